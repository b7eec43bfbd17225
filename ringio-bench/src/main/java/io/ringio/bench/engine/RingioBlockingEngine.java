package io.ringio.bench.engine;

import io.ringio.file.BlockingRingFile;
import io.ringio.file.RingFile;
import io.ringio.loop.EventLoop;

import java.lang.foreign.MemorySegment;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;

/** RingFile's blocking readFully on virtual threads (or platform threads), all on one loop. */
public final class RingioBlockingEngine implements Engine {
    private final boolean virtual;

    public RingioBlockingEngine(boolean virtual) {
        this.virtual = virtual;
    }

    @Override
    public String name() {
        return virtual ? "ringio blocking, virtual threads" : "ringio blocking, platform threads";
    }

    @Override
    public BenchResult run(BenchSpec spec) throws Exception {
        try (EventLoop loop = EventLoop.start(RingioFuturesEngine.loopOptions())) {
            OpenOption[] options = spec.direct()
                    ? new OpenOption[] {StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT}
                    : new OpenOption[] {StandardOpenOption.READ};
            try (RingFile file = RingFile.openBlocking(loop, spec.file(), options)) {
                BlockingRingFile blocking = file.blocking();
                return Measured.onThreads(name(), spec, virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory(),
                        id -> {
                            MemorySegment buf = loop.buffers().acquire(spec.blockBytes());
                            return new Measured.Reader() {
                                @Override
                                public void read(long position) throws Exception {
                                    blocking.readFully(buf, position);
                                }

                                @Override
                                public void close() {
                                    loop.buffers().release(buf);
                                }
                            };
                        });
            }
        }
    }
}
