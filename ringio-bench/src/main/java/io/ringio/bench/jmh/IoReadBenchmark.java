package io.ringio.bench.jmh;

import io.ringio.io.Io;
import io.ringio.io.IoHandler;
import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * 4 KiB random reads of a file held in the page cache, through the {@link Io} seam, {@link #BATCH}
 * at a time on one thread: submit a batch, then park until every read of it has completed. The
 * same code runs on each backend named by {@link #backend}, side by side in one JMH run.
 *
 * <p><b>Unit: nanoseconds per read</b> ({@code @OperationsPerInvocation(BATCH)}); with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per read.
 *
 * <p>Run: {@code ./ringio jmh IoReadBenchmark -prof gc -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class IoReadBenchmark {
    /** Reads in flight per batch. */
    public static final int BATCH = 32;
    /** Bytes per read. */
    public static final int BLOCK_BYTES = 4096;
    /** The file: small enough to stay in the page cache, large enough to defeat the CPU caches. */
    public static final long FILE_BYTES = 64L << 20;
    /** Bound on parks per batch; each park returns at least one completion when reads are in flight. */
    private static final int PARKS_PER_BATCH_MAX = 10_000;
    private static final long PARK_NANOS = 1_000_000_000L;

    /**
     * Which backend: {@code uring}, {@code uring-fd} (io_uring with its registered-file table off,
     * so that each read names the plain fd) or {@code channel}.
     */
    @Param({"uring", "uring-fd", "channel"})
    public String backend;

    private Path file;
    private Io io;
    private Arena arena;
    private int handle;
    private MemorySegment[] buffers;
    private long[] offsets;
    private final SplittableRandom random = new SplittableRandom(42);
    private int completed;
    private int failures;
    private final IoHandler handler = (tag, result) -> {
        completed++;
        if (result != BLOCK_BYTES) {
            failures++;
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("ringio-jmh", ".dat");
        byte[] chunk = new byte[1 << 20];
        random.nextBytes(chunk);
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < FILE_BYTES; written += chunk.length) {
                out.write(chunk);
            }
        }
        IoOptions.Choice choice = switch (backend) {
            case "uring", "uring-fd" -> IoOptions.Choice.URING;
            case "channel" -> IoOptions.Choice.CHANNEL;
            default -> throw new IllegalArgumentException("backend=" + backend + " must be uring, uring-fd or channel");
        };
        io = Io.open(IoOptions.defaults().withBackend(choice).withCapacity(BATCH * 2)
                .withRegisteredFiles(!backend.equals("uring-fd")));
        arena = Arena.ofShared();
        buffers = new MemorySegment[BATCH];
        offsets = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
        }
        io.open(0, file.toString(), OpenFlags.READ, 0);
        int[] opened = {-1};
        while (opened[0] < 0) {
            io.park(PARK_NANOS, (tag, result) -> opened[0] = result == 0 && tag != 0 ? -1 : result);
        }
        handle = opened[0];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int readBatch() {
        long blocks = FILE_BYTES / BLOCK_BYTES;
        for (int i = 0; i < BATCH; i++) {
            offsets[i] = random.nextLong(blocks) * BLOCK_BYTES;
            io.read(i + 1, handle, buffers[i], offsets[i]);
        }
        completed = 0;
        for (int p = 0; completed < BATCH && p < PARKS_PER_BATCH_MAX; p++) {
            io.park(PARK_NANOS, handler);
        }
        if (completed != BATCH || failures != 0) {
            throw new IllegalStateException("completed=" + completed + " failures=" + failures);
        }
        return completed;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        io.close();
        arena.close();
        Files.deleteIfExists(file);
    }
}
