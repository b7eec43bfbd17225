package io.ringio.bench.engine;

import io.ringio.file.BlockingRingFile;
import io.ringio.file.RingFile;
import io.ringio.loop.EventLoop;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * RingFile's blocking calls on the spec's threads as virtual threads, all on one loop; with a
 * {@code spin}, the loop and the waiting thread poll that long before they sleep
 * ({@link io.ringio.loop.EventLoopOptions#spin}); {@link #onLoop()}, on virtual threads that the
 * loop's own thread carries ({@link EventLoop#virtualThreadFactory()}) instead of the JDK's
 * scheduler. The bench starts every engine's JVM with the {@code --add-opens} that needs.
 */
public final class RingioBlockingEngine implements Engine {
    /** The polling time of {@code ringio-blocking-spin}: above this VM's 4 KiB read latency (45-65 µs). */
    public static final Duration SPIN = Duration.ofNanos(200_000);

    private final Duration spin;
    private final boolean onLoop;

    /** Without polling. */
    public RingioBlockingEngine() {
        this(Duration.ZERO);
    }

    public RingioBlockingEngine(Duration spin) {
        this(spin, false);
    }

    private RingioBlockingEngine(Duration spin, boolean onLoop) {
        this.spin = spin;
        this.onLoop = onLoop;
    }

    /** Without polling, on virtual threads of the loop's own thread. */
    public static RingioBlockingEngine onLoop() {
        return new RingioBlockingEngine(Duration.ZERO, true);
    }

    @Override
    public String id() {
        return onLoop ? "ringio-blocking-loop" : spin.isZero() ? "ringio-blocking" : "ringio-blocking-spin";
    }

    @Override
    public String title(BenchSpec spec) {
        return "ringio blocking, " + spec.threads() + (spec.threads() == 1 ? " virtual thread" : " virtual threads")
                + (onLoop ? " on the loop's thread" : "")
                + (spin.isZero() ? "" : ", polling " + spin.toNanos() / 1000 + " µs");
    }

    @Override
    public int threads(BenchSpec spec) {
        return spec.threads();
    }

    @Override
    public int depth(BenchSpec spec) {
        return spec.threads();
    }

    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws Exception {
        boolean write = spec.kind().write();
        boolean sync = spec.kind().syncEach();
        try (EventLoop loop = EventLoop.start(RingioFuturesEngine.loopOptions().withSpin(spin));
             RingFile file = RingFile.openBlocking(loop, spec.path(), OpenFlags.of(spec))) {
            BlockingRingFile blocking = file.blocking();
            ThreadFactory threads = onLoop ? loop.virtualThreadFactory() : Thread.ofVirtual().factory();
            return Measured.onThreads(spec, window, nanos, spec.threads(), threads, id -> {
                MemorySegment buffer = loop.buffers().acquire(spec.blockBytes());
                if (write) {
                    Measured.fillForWrites(buffer, id);
                }
                return new Measured.Op() {
                    @Override
                    public void run(long position) throws Exception {
                        if (write) {
                            blocking.writeFully(buffer, position);
                            if (sync) {
                                blocking.datasync();
                            }
                        } else {
                            blocking.readFully(buffer, position);
                        }
                    }

                    @Override
                    public void close() {
                        loop.buffers().release(buffer);
                    }
                };
            });
        }
    }
}
