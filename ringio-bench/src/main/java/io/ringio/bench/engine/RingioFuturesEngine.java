package io.ringio.bench.engine;

import io.ringio.file.RingFile;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RingFile's futures: the spec's depth of operations kept in flight on one loop, each completion
 * starting the next from its callback, on the loop thread. One thread does all the work. The
 * variants differ in when io_uring is handed the operations ({@link IoOptions#submitBatch()}):
 * {@code ringio-futures} every {@link IoOptions#SUBMIT_BATCH_DEFAULT} (the default),
 * {@code ringio-futures-eager} each at once, {@code ringio-futures-turn} once per loop turn.
 */
public final class RingioFuturesEngine implements Engine {
    private final int submitBatch;

    /** The default submit batch. */
    public RingioFuturesEngine() {
        this(IoOptions.SUBMIT_BATCH_DEFAULT);
    }

    /** {@code submitBatch} as {@link IoOptions#submitBatch()}: the default, 1 (eager) or 0 (per turn). */
    public RingioFuturesEngine(int submitBatch) {
        if (submitBatch != IoOptions.SUBMIT_BATCH_DEFAULT && submitBatch != 1 && submitBatch != 0) {
            throw new IllegalArgumentException("submitBatch=" + submitBatch + " has no engine id; use "
                    + IoOptions.SUBMIT_BATCH_DEFAULT + ", 1 or 0");
        }
        this.submitBatch = submitBatch;
    }

    /** The loop both ringio engines use: io_uring (never the FileChannel fallback), single issuer. */
    static EventLoopOptions loopOptions() {
        return EventLoopOptions.defaults().withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING)
                .withCapacity(1024).withSingleIssuer(true));
    }

    @Override
    public String id() {
        return switch (submitBatch) {
            case 1 -> "ringio-futures-eager";
            case 0 -> "ringio-futures-turn";
            default -> "ringio-futures";
        };
    }

    @Override
    public String title(BenchSpec spec) {
        return "ringio futures, " + spec.depth() + " in flight" + switch (submitBatch) {
            case 1 -> ", eager submit";
            case 0 -> ", submit per turn";
            default -> "";
        };
    }

    @Override
    public int threads(BenchSpec spec) {
        return 1;
    }

    @Override
    public int depth(BenchSpec spec) {
        return spec.depth();
    }

    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws Exception {
        EventLoopOptions options = loopOptions();
        try (EventLoop loop = EventLoop.start(options.withIo(options.io().withSubmitBatch(submitBatch)));
             RingFile file = RingFile.openBlocking(loop, spec.path(), OpenFlags.of(spec))) {
            Chains chains = new Chains(loop, file, spec, window, nanos);
            chains.start().get();
            return chains.sample();
        }
    }

    /** The operations in flight, each a chain: when one completes, its callback starts the next. Loop thread only. */
    private static final class Chains {
        private final EventLoop loop;
        private final RingFile file;
        private final BenchSpec spec;
        /** From the spec once, so that no operation looks the workload up inside the window. */
        private final boolean write;
        private final boolean syncEach;
        private final long nanos;
        private final Histogram latencies = Measured.histogram();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final MemorySegment[] buffers;
        private final Positions[] positions;
        private long deadline;
        private long ops;
        private int active;
        private Throwable failure;
        private Measured.Clocks windowStart;
        private Measured.Clocks windowEnd;

        Chains(EventLoop loop, RingFile file, BenchSpec spec, int window, long nanos) {
            this.loop = loop;
            this.file = file;
            this.spec = spec;
            this.write = spec.kind().write();
            this.syncEach = spec.kind().syncEach();
            this.nanos = nanos;
            this.buffers = new MemorySegment[spec.depth()];
            this.positions = new Positions[spec.depth()];
            AtomicLong cursor = Positions.cursor(spec, window);
            for (int i = 0; i < positions.length; i++) {
                positions[i] = Positions.of(spec, window, i, cursor);
            }
        }

        CompletableFuture<Void> start() {
            loop.execute(() -> {
                try {
                    for (int i = 0; i < buffers.length; i++) {
                        buffers[i] = loop.buffers().acquire(spec.blockBytes());
                        if (write) {
                            Measured.fillForWrites(buffers[i], i);
                        }
                    }
                } catch (Throwable e) {
                    releaseBuffers();
                    done.completeExceptionally(e);
                    return;
                }
                windowStart = Measured.Clocks.read();
                deadline = windowStart.nanos() + nanos;
                active = buffers.length;
                for (int i = 0; i < buffers.length; i++) {
                    next(i);
                }
            });
            return done;
        }

        /** Starts the chain's next operation, or ends the chain when the window is over or an operation failed. */
        private void next(int chain) {
            long start = System.nanoTime();
            if (start - deadline >= 0 || failure != null) {
                if (--active == 0) {
                    windowEnd = Measured.Clocks.read();
                    releaseBuffers();
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        done.complete(null);
                    }
                }
                return;
            }
            long position = positions[chain].next();
            CompletableFuture<Void> op;
            if (!write) {
                op = file.readFully(buffers[chain], position);
            } else if (syncEach) {
                op = file.writeFully(buffers[chain], position).thenCompose(v -> file.datasync());
            } else {
                op = file.writeFully(buffers[chain], position);
            }
            op.whenComplete((v, e) -> {
                if (e != null) {
                    failure = failure == null ? e : failure;
                } else {
                    latencies.recordValue(System.nanoTime() - start);
                    ops++;
                }
                next(chain);
            });
        }

        private void releaseBuffers() {
            for (MemorySegment b : buffers) {
                if (b != null) {
                    loop.buffers().release(b);
                }
            }
        }

        Sample sample() {
            return Measured.sample(ops, windowStart, windowEnd, latencies);
        }
    }
}
