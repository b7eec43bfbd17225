package io.ringio.bench.jmh;

import io.ringio.file.RingFile;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
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
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * 4 KiB random reads of a file in the page cache through the file layer, next to FileChannel, on
 * one thread: {@code futures} submits {@link #BATCH} readAt futures and joins them;
 * {@code blocking} calls the blocking readAt (the page-cache fast path on io_uring);
 * {@code blockingRing} the same with that path off, so every read goes through the loop;
 * {@code fileChannel} is FileChannel.read(buffer, position).
 *
 * <p><b>Unit: nanoseconds per read</b>; with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes
 * allocated per read: one operation object (which is the future) on the ring paths.
 *
 * <p>Run: {@code ./ringio jmh RingFileReadBenchmark -prof gc -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RingFileReadBenchmark {
    public static final int BATCH = 32;
    public static final int BLOCK_BYTES = 4096;
    public static final long FILE_BYTES = 64L << 20;

    @Param({"futures", "blocking", "blockingRing", "fileChannel"})
    public String mode;

    private Path path;
    private EventLoop loop;
    private RingFile file;
    private FileChannel channel;
    private MemorySegment[] buffers;
    private ByteBuffer direct;
    private final SplittableRandom random = new SplittableRandom(42);
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Integer>[] pending = new CompletableFuture[BATCH];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = Files.createTempFile("ringio-rf-bench", ".dat");
        byte[] chunk = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(chunk);
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (long p = 0; p < FILE_BYTES; p += chunk.length) {
                fc.write(ByteBuffer.wrap(chunk), p);
            }
        }
        if (mode.equals("blockingRing")) {
            System.setProperty("ringio.cachedReads.disable", "true");
        }
        loop = EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults()
                .withBackend(IoOptions.Choice.URING).withCapacity(256).withSingleIssuer(true)));
        file = RingFile.openBlocking(loop, path, StandardOpenOption.READ);
        System.clearProperty("ringio.cachedReads.disable");
        channel = FileChannel.open(path, StandardOpenOption.READ);
        buffers = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = loop.buffers().acquire(BLOCK_BYTES);
        }
        direct = ByteBuffer.allocateDirect(BLOCK_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (MemorySegment b : buffers) {
            loop.buffers().release(b);
        }
        file.close();
        loop.close();
        channel.close();
        Files.deleteIfExists(path);
    }

    private long position() {
        return random.nextLong(FILE_BYTES / BLOCK_BYTES) * BLOCK_BYTES;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int read() throws IOException {
        int sum = 0;
        switch (mode) {
            case "futures" -> {
                for (int i = 0; i < BATCH; i++) {
                    pending[i] = file.readAt(buffers[i], position());
                }
                for (int i = 0; i < BATCH; i++) {
                    sum += pending[i].join();
                }
            }
            case "blocking", "blockingRing" -> {
                for (int i = 0; i < BATCH; i++) {
                    sum += file.blocking().readAt(buffers[0], position());
                }
            }
            default -> {
                for (int i = 0; i < BATCH; i++) {
                    sum += channel.read(direct.clear(), position());
                }
            }
        }
        return sum;
    }
}
