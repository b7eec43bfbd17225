package io.ringio.bench.engine;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/** Runs readers on threads for a spec's duration and measures them: ops, wall time, process CPU, latencies. */
final class Measured {
    private Measured() {}

    /** One thread's reads: read one block at {@code position}, whatever it takes. */
    interface Reader extends AutoCloseable {
        void read(long position) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface ReaderFactory {
        Reader open(int thread) throws Exception;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {@code spec.depth()} threads from {@code threads}, each reading random blocks until the duration is up. */
    static BenchResult onThreads(String engine, BenchSpec spec, ThreadFactory threads, ReaderFactory readers)
            throws Exception {
        int n = spec.depth();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] ops = new long[n];
        Latencies[] latencies = new Latencies[n];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] deadline = new long[1];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            latencies[t] = new Latencies();
            started.add(threads.newThread(() -> {
                try (Reader reader = readers.open(id)) {
                    SplittableRandom random = new SplittableRandom(0x5EEDL * (id + 1));
                    ready.countDown();
                    go.await();
                    long end = deadline[0];
                    long count = 0;
                    Latencies lat = latencies[id];
                    long blocks = spec.blocks();
                    while (true) {
                        long start = System.nanoTime();
                        if (start - end >= 0) {
                            break;
                        }
                        reader.read(random.nextLong(blocks) * spec.blockBytes());
                        lat.record(System.nanoTime() - start);
                        count++;
                    }
                    ops[id] = count;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                }
            }));
        }
        started.forEach(Thread::start);
        ready.await();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        deadline[0] = t0 + spec.durationNanos();
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        if (failure.get() != null) {
            throw new IllegalStateException(engine + " failed", failure.get());
        }
        Latencies all = new Latencies();
        long total = 0;
        for (int t = 0; t < n; t++) {
            all.add(latencies[t]);
            total += ops[t];
        }
        return result(engine, total, t1 - t0, cpu1 - cpu0, all);
    }

    static BenchResult result(String engine, long ops, long wallNanos, long cpuNanos, Latencies latencies) {
        return new BenchResult(engine, ops, wallNanos / 1e9, cpuNanos / 1e9, latencies.percentile(0.5),
                latencies.percentile(0.99), latencies.percentile(0.999));
    }
}
