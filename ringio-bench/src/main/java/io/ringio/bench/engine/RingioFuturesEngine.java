package io.ringio.bench.engine;

import io.ringio.file.RingFile;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;

import java.lang.foreign.MemorySegment;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * RingFile's futures: {@code depth} reads kept in flight on one loop, each completion starting the
 * next from its callback, on the loop thread. One thread does all the work.
 */
public final class RingioFuturesEngine implements Engine {
    static EventLoopOptions loopOptions() {
        return EventLoopOptions.defaults().withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING)
                .withCapacity(1024).withSingleIssuer(true));
    }

    @Override
    public String name() {
        return "ringio futures, one loop";
    }

    @Override
    public BenchResult run(BenchSpec spec) throws Exception {
        try (EventLoop loop = EventLoop.start(loopOptions())) {
            OpenOption[] options = spec.direct()
                    ? new OpenOption[] {StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT}
                    : new OpenOption[] {StandardOpenOption.READ};
            try (RingFile file = RingFile.openBlocking(loop, spec.file(), options)) {
                Chains chains = new Chains(loop, file, spec);
                CompletableFuture<Void> done = chains.start();
                done.get();
                return chains.result(name());
            }
        }
    }

    /** The reads in flight, each a chain: when one completes, its callback starts the next. Loop thread only. */
    private static final class Chains {
        private final EventLoop loop;
        private final RingFile file;
        private final BenchSpec spec;
        private final SplittableRandom random = new SplittableRandom(0x5EEDL);
        private final Latencies latencies = new Latencies();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final MemorySegment[] buffers;
        private long deadline;
        private long ops;
        private int active;
        private long t0;
        private long cpu0;
        private long t1;
        private long cpu1;

        Chains(EventLoop loop, RingFile file, BenchSpec spec) {
            this.loop = loop;
            this.file = file;
            this.spec = spec;
            this.buffers = new MemorySegment[spec.depth()];
        }

        CompletableFuture<Void> start() {
            loop.execute(() -> {
                for (int i = 0; i < buffers.length; i++) {
                    buffers[i] = loop.buffers().acquire(spec.blockBytes());
                }
                cpu0 = Measured.processCpuNanos();
                t0 = System.nanoTime();
                deadline = t0 + spec.durationNanos();
                active = buffers.length;
                for (int i = 0; i < buffers.length; i++) {
                    next(i);
                }
            });
            return done;
        }

        private void next(int chain) {
            long start = System.nanoTime();
            if (start - deadline >= 0) {
                if (--active == 0) {
                    t1 = System.nanoTime();
                    cpu1 = Measured.processCpuNanos();
                    for (MemorySegment b : buffers) {
                        loop.buffers().release(b);
                    }
                    done.complete(null);
                }
                return;
            }
            long position = random.nextLong(spec.blocks()) * spec.blockBytes();
            file.readAt(buffers[chain], position).whenComplete((n, failure) -> {
                if (failure != null || n != spec.blockBytes()) {
                    done.completeExceptionally(failure != null ? failure
                            : new IllegalStateException("short read of " + n + " at " + position));
                    return;
                }
                latencies.record(System.nanoTime() - start);
                ops++;
                next(chain);
            });
        }

        BenchResult result(String engine) {
            return Measured.result(engine, ops, t1 - t0, cpu1 - cpu0, latencies);
        }
    }
}
