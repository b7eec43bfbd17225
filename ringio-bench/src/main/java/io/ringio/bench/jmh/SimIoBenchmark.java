package io.ringio.bench.jmh;

import io.ringio.io.IoHandler;
import io.ringio.io.OpenFlags;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Simulated operations per second of {@link SimIo} on one thread, {@link #BATCH} in flight:
 * how many seeds of a simulation test fit in a CI run. Each invocation submits a batch, then
 * parks (moving the virtual clock) until all of it has completed.
 *
 * <ul>
 *   <li>{@code nop}: the scheduling alone.
 *   <li>{@code read}: 4 KiB reads at random offsets of a 16 MiB simulated file.
 *   <li>{@code write}: 4 KiB writes at random offsets, then one fdatasync per batch, which makes
 *       the batch durable (the sync counts as an operation).
 * </ul>
 *
 * <p><b>Unit: nanoseconds per simulated operation</b>; 1,000 ns is one million per second.
 *
 * <p>Run: {@code ./ringio jmh SimIoBenchmark -prof gc -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SimIoBenchmark {
    /** Operations per invocation. */
    public static final int BATCH = 32;
    public static final int BLOCK_BYTES = 4096;
    public static final long FILE_BYTES = 16L << 20;
    private static final long PARK_NANOS = 1_000_000_000L;
    private static final int PARKS_PER_BATCH_MAX = 10_000;

    /** Which operations: {@code nop}, {@code read} or {@code write}. */
    @Param({"nop", "read", "write"})
    public String workload;

    private SimIo io;
    private Arena arena;
    private int file;
    private MemorySegment[] buffers;
    private final SplittableRandom random = new SplittableRandom(42);
    private int completed;
    private int failures;
    private final IoHandler handler = (tag, result) -> {
        completed++;
        if (result < 0) {
            failures++;
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        io = SimIo.open(SimOptions.seed(42).withCapacity(BATCH * 2));
        io.createDurableDirectories("/bench");
        arena = Arena.ofConfined();
        buffers = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = arena.allocate(BLOCK_BYTES, BLOCK_BYTES).fill((byte) i);
        }
        int[] opened = {-1};
        io.open(0, "/bench/file", OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644);
        while (opened[0] < 0) {
            io.park(PARK_NANOS, (tag, result) -> opened[0] = result);
        }
        file = opened[0];
        // Fill the file, so that reads find data, and make it durable.
        for (long at = 0; at < FILE_BYTES; at += (long) BLOCK_BYTES * BATCH) {
            for (int i = 0; i < BATCH; i++) {
                io.write(i + 1, file, buffers[i], at + (long) i * BLOCK_BYTES);
            }
            awaitBatch(BATCH);
        }
        io.sync(1, file, true);
        awaitBatch(1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batch() {
        long blocks = FILE_BYTES / BLOCK_BYTES;
        switch (workload) {
            case "nop" -> {
                for (int i = 0; i < BATCH; i++) {
                    io.nop(i + 1);
                }
            }
            case "read" -> {
                for (int i = 0; i < BATCH; i++) {
                    io.read(i + 1, file, buffers[i], random.nextLong(blocks) * BLOCK_BYTES);
                }
            }
            case "write" -> {
                for (int i = 0; i < BATCH - 1; i++) {
                    io.write(i + 1, file, buffers[i], random.nextLong(blocks) * BLOCK_BYTES);
                }
                awaitBatch(BATCH - 1);
                io.sync(BATCH, file, true);
                awaitBatch(1);
                return io.nowNanos();
            }
            default -> throw new IllegalArgumentException("workload=" + workload + " must be nop, read or write");
        }
        awaitBatch(BATCH);
        return io.nowNanos();
    }

    private void awaitBatch(int count) {
        completed = 0;
        for (int p = 0; completed < count && p < PARKS_PER_BATCH_MAX; p++) {
            io.park(PARK_NANOS, handler);
        }
        if (completed != count || failures != 0) {
            throw new IllegalStateException("completed=" + completed + " of " + count + ", failures=" + failures);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        io.close();
        arena.close();
    }
}
