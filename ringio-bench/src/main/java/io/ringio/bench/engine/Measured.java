package io.ringio.bench.engine;

import io.ringio.bench.machine.MachineCpu;
import io.ringio.bench.machine.ThisProcess;
import io.ringio.bench.report.Percentile;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Measuring a window: process and machine CPU, latency histograms, and engines that do one operation at a time per thread. */
final class Measured {
    /** The percentiles of every latency curve; fio is asked for the same ones. */
    static final double[] PERCENTS = {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

    private Measured() {}

    /** One thread's operations: do one at {@code position}, whatever it takes. */
    interface Op extends AutoCloseable {
        void run(long position) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface OpFactory {
        /** The operation for thread {@code thread}; opened before the window starts. */
        Op open(int thread) throws Exception;
    }

    /** A direct buffer of {@code bytes} at a 4 KiB boundary, as O_DIRECT needs, whatever its size. */
    static java.nio.ByteBuffer alignedBuffer(int bytes) {
        int rounded = (bytes + 4095) & ~4095;
        return java.nio.ByteBuffer.allocateDirect(rounded + 4096).alignedSlice(4096).slice(0, bytes);
    }

    /** Fills {@code bytes} with a pattern that does not compress, for writes. */
    static void fillForWrites(java.lang.foreign.MemorySegment bytes, int seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (long i = 0; i + 8 <= bytes.byteSize(); i += 8) {
            bytes.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
    }

    /**
     * The clocks a window is measured by, read together at its start and at its end: the
     * monotonic clock, the process's CPU time, and the machine's ({@link MachineCpu}).
     */
    record Clocks(long nanos, long cpuNanos, MachineCpu machine) {
        static Clocks read() {
            MachineCpu machine = MachineCpu.read();
            long cpu = ThisProcess.cpuNanos();
            return new Clocks(System.nanoTime(), cpu, machine);
        }
    }

    /** A latency histogram from 1 ns, resizing as it needs, to 3 significant digits. */
    static Histogram histogram() {
        return new Histogram(3);
    }

    /** The sample of a window from its clocks at its start and end, and {@code latencies} of its {@code ops} operations. */
    static Sample sample(long ops, Clocks start, Clocks end, Histogram latencies) {
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        return new Sample(ops, seconds, (end.cpuNanos() - start.cpuNanos()) / 1e9,
                MachineCpu.busySeconds(start.machine(), end.machine(), seconds), curve(latencies));
    }

    private static List<Percentile> curve(Histogram latencies) {
        List<Percentile> curve = new ArrayList<>(PERCENTS.length);
        for (double p : PERCENTS) {
            curve.add(new Percentile(p, latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(p)));
        }
        return curve;
    }

    /**
     * One thread's operations until {@code end} ({@link System#nanoTime()}), each timed into
     * {@code latencies}; returns how many ran. A method of its own, not written out inside the
     * thread's lambda in {@link #onThreads}: with the loop there, in a frame that also holds the
     * lambda's eleven captured values, the JDK allocated a new stack chunk at nearly every park of
     * a virtual thread (JFR's allocation samples: more bytes of {@code StackChunk} than of
     * ringio's operation objects), which cost the blocking engines about 0.5 µs of CPU a read at
     * depth 32. In a frame of its own the chunk is reused, as it was in every smaller frame tried.
     */
    private static long loop(Op op, Positions positions, Histogram latencies, long end) throws Exception {
        long count = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - end >= 0) {
                break;
            }
            op.run(positions.next());
            latencies.recordValue(System.nanoTime() - start);
            count++;
        }
        return count;
    }

    /**
     * Runs {@code threads} threads from {@code factory}, each doing operations from {@code ops}
     * at {@code spec}'s positions until {@code nanos} have passed, and measures them.
     */
    static Sample onThreads(BenchSpec spec, int window, long nanos, int threads, ThreadFactory factory, OpFactory ops)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] counts = new long[threads];
        Histogram[] latencies = new Histogram[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong cursor = Positions.cursor(spec, window);
        long[] deadline = new long[1];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            latencies[t] = histogram();
            started.add(factory.newThread(() -> {
                boolean counted = false;
                try (Op op = ops.open(id)) {
                    Positions positions = Positions.of(spec, window, id, cursor);
                    Histogram lat = latencies[id];
                    ready.countDown();
                    counted = true;
                    go.await();
                    counts[id] = loop(op, positions, lat, deadline[0]);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    if (!counted) {
                        ready.countDown();
                    }
                }
            }));
        }
        started.forEach(Thread::start);
        ready.await();
        Clocks start = Clocks.read();
        deadline[0] = start.nanos() + nanos;
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        Clocks end = Clocks.read();
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get().toString(), failure.get());
        }
        Histogram all = histogram();
        long total = 0;
        for (int t = 0; t < threads; t++) {
            all.add(latencies[t]);
            total += counts[t];
        }
        return sample(total, start, end, all);
    }
}
