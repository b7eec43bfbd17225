package io.ringio.file;

import io.ringio.io.DiskIOException;
import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.loop.EventLoopStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Blocking reads of a file in the page cache take the caller's-thread fast path, and read the same bytes. */
class CachedReadsTest {
    @TempDir
    Path dir;

    @Test
    void blockingReadsOfACachedFileBypassTheLoopAndReadTheSameBytes() throws Exception {
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true)));
             Arena arena = Arena.ofConfined()) {
            RingFile file = RingFile.openBlocking(loop, dir.resolve("hot"), READ, WRITE, CREATE);
            byte[] data = new byte[3 << 20];
            new Random(9).nextBytes(data);
            file.blocking().writeFully(data, 0, data.length, 0);
            EventLoopStats before = loop.stats();

            byte[] heap = new byte[4096];
            assertThat(file.blocking().readAt(heap, 0, heap.length, 8192)).isEqualTo(4096);
            assertThat(heap).isEqualTo(Arrays.copyOfRange(data, 8192, 8192 + 4096));
            MemorySegment seg = arena.allocate(4096);
            assertThat(file.blocking().readAt(seg, 100)).isEqualTo(4096);
            assertThat(seg.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOfRange(data, 100, 4196));
            ByteBuffer bb = ByteBuffer.allocateDirect(1000);
            assertThat(file.blocking().readAt(bb, data.length - 500)).isEqualTo(500);
            assertThat(bb.position()).isEqualTo(500);
            assertThat(file.blocking().readAt(heap, 0, 10, data.length)).isZero();
            byte[] all = new byte[data.length];
            file.blocking().readFully(all, 0, all.length, 0);
            assertThat(all).isEqualTo(data);
            assertThatThrownBy(() -> file.blocking().readFully(new byte[10], 0, 10, data.length - 5))
                    .isInstanceOf(EOFException.class);

            EventLoopStats after = loop.stats();
            long fast = after.pageCacheReads() - before.pageCacheReads();
            assertThat(after.completedReads() - before.completedReads() - fast).as("reads that went through the loop")
                    .isZero();
            // Seven calls, some of which read in several steps; the last read 5 bytes, then 0.
            assertThat(fast).as("reads counted in the loop's stats").isGreaterThanOrEqualTo(7);
            assertThat(after.bytesRead() - before.bytesRead()).isEqualTo(4096 + 4096 + 500 + data.length + 5);
            assertThat(loop.buffers().stats().inUse()).isZero();
            file.close();
        }
    }

    @Test
    void onAStartedLoopsOwnThreadEveryBlockingReadIsRefusedEvenOneThePageCacheCouldServe() throws Exception {
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true)));
             Arena arena = Arena.ofShared()) {
            RingFile file = RingFile.openBlocking(loop, dir.resolve("hot"), READ, WRITE, CREATE);
            file.blocking().writeFully(new byte[8192], 0, 8192, 0);
            MemorySegment seg = arena.allocate(4096);
            assertThat(file.blocking().readAt(seg, 0)).as("cached, off the loop").isEqualTo(4096);
            List<ThrowingRunnable> calls = List.of(
                    () -> file.blocking().readAt(seg, 0),
                    () -> file.blocking().readFully(seg, 4096),
                    () -> file.blocking().readAt(new byte[10], 0, 10, 0),
                    () -> file.blocking().close());
            for (ThrowingRunnable call : calls) {
                CompletableFuture<Throwable> thrown = new CompletableFuture<>();
                loop.execute(() -> {
                    try {
                        call.run();
                        thrown.complete(null);
                    } catch (Throwable e) {
                        thrown.complete(e);
                    }
                });
                assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("would wait for itself");
            }
            assertThat(file.isOpen()).as("open after a refused close").isTrue();
            assertThat(loop.buffers().stats().inUse()).isZero();
            file.close();
            CompletableFuture<Throwable> again = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    file.blocking().close();
                    again.complete(null);
                } catch (Throwable e) {
                    again.complete(e);
                }
            });
            assertThat(again.get(10, TimeUnit.SECONDS)).as("closing a closed file, on the loop thread").isNull();
        }
    }

    /**
     * A close racing blocking reads on the page-cache fast path: the close waits for the reads
     * inside preadv2 before it frees the fd, so no read ever reaches the file that reuses the fd
     * number right after (here, one of other bytes opened at once). Every read returns the file's
     * own bytes or fails with ClosedChannelException.
     */
    @Test
    void aCloseRacingFastPathReadsNeverLetsOneReadTheFileThatReusesItsFd() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.write(a, filled((byte) 'a', 1 << 20));
        Files.write(b, filled((byte) 'b', 1 << 20));
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true)))) {
            AtomicLong served = new AtomicLong();
            for (int round = 0; round < 30; round++) {
                RingFile file = RingFile.openBlocking(loop, a, READ);
                CountDownLatch reading = new CountDownLatch(4);
                List<CompletableFuture<String>> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    CompletableFuture<String> outcome = new CompletableFuture<>();
                    readers.add(outcome);
                    long seed = round * 31L + t;
                    // Platform threads: a virtual thread reading from the page cache in a loop never
                    // parks, so four of them on two carriers would not all get to run.
                    Thread.ofPlatform().start(() -> outcome.complete(readUntilClosed(file, seed, reading, served)));
                }
                assertThat(reading.await(10, TimeUnit.SECONDS)).as("every reader has read").isTrue();
                file.close();
                // Likely the fd number just freed: a fast-path read that slipped past the close would read 'b'.
                try (FileChannel other = FileChannel.open(b, READ)) {
                    for (CompletableFuture<String> r : readers) {
                        assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
                    }
                }
            }
            assertThat(served.get()).as("reads the fast path served").isPositive();
        }
    }

    /** Reads 4 KiB at random until the file is closed: "closed", or what went wrong. */
    private static String readUntilClosed(RingFile file, long seed, CountDownLatch reading,
                                          AtomicLong served) {
        Random random = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            boolean first = true;
            while (true) {
                int n;
                try {
                    n = file.blocking().readAt(buf, random.nextInt(256) * 4096L);
                } catch (ClosedChannelException e) {
                    return "closed";
                } catch (Exception e) {
                    return "failed: " + e;
                }
                if (n != 4096) {
                    return "short read: " + n;
                }
                for (long i = 0; i < n; i++) {
                    byte x = buf.get(ValueLayout.JAVA_BYTE, i);
                    if (x != 'a') {
                        return "read byte " + x + " of another file";
                    }
                }
                served.incrementAndGet();
                if (first) {
                    first = false;
                    reading.countDown();
                }
            }
        }
    }

    /**
     * The page cache answers a read of a range it holds only in part with what it holds; a read
     * (not a readFully) must still read the rest, as one pread does, so that a short count means
     * the end of the file: RingFileChannel stops at the first short count.
     */
    @Test
    void aReadOfARangeOnlyPartlyCachedReadsItAll() throws Throwable {
        Path p = dir.resolve("partly");
        byte[] data = writeSynced(p, 3);
        int size = 256 * 1024;
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true)));
             RingFileChannel channel = RingFileChannel.open(loop, p, READ);
             Arena arena = Arena.ofShared()) {
            RingFile file = RingFile.openBlocking(loop, p, READ);
            MemorySegment seg = arena.allocate(size);

            onlyFirstPageCached(p);
            // The first page and whatever readahead brought in with it: a part of the range
            // (where the file system ignores POSIX_FADV_DONTNEED, as tmpfs does, there is no test).
            assumeThat(CachedReads.read(file.state(), seg, 0)).as("what the page cache answers")
                    .isBetween(4096L, size - 4096L);

            onlyFirstPageCached(p);
            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            assertThat(channel.read(direct)).as("RingFileChannel.read").isEqualTo(size);
            assertThat(channel.position()).isEqualTo(size);
            assertThat(direct.flip()).isEqualTo(ByteBuffer.wrap(data, 0, size));

            onlyFirstPageCached(p);
            seg.fill((byte) 0);
            assertThat(file.blocking().readAt(seg, 0)).as("readAt of native memory").isEqualTo(size);
            assertThat(seg.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOf(data, size));

            onlyFirstPageCached(p);
            byte[] heap = new byte[size];
            assertThat(file.blocking().readAt(heap, 0, size, 0)).as("readAt of a byte[]").isEqualTo(size);
            assertThat(heap).isEqualTo(Arrays.copyOf(data, size));

            onlyFirstPageCached(p);
            ByteBuffer last = ByteBuffer.allocateDirect(size);
            assertThat(file.blocking().readAt(last, data.length - 8192)).as("a read past the end of the file")
                    .isEqualTo(8192);
            file.close();
        }
    }

    /**
     * A read of a range the page cache holds only in part, whose rest then fails in the kernel
     * (here every read through the ring fails with EIO): as a pread that meets an error after
     * copying some bytes, it returns the count of those bytes. A readFully still fails, since it
     * promises every byte. The kernel's readahead may have read a range in by the time it is read
     * (a page-cache miss under RWF_NOWAIT still starts it), so a read may also find it all cached,
     * and a read of the rest after a short count need not meet the error.
     */
    @Test
    void aReadWhoseUncachedRestFailsReturnsTheCachedBytes() throws Throwable {
        Path p = dir.resolve("partly");
        byte[] data = writeSynced(p, 4);
        int size = 256 * 1024;
        EventLoopOptions options = EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true));
        try (EventLoop loop = EventLoop.start(options, () -> new FailingRingReadsIo(Io.open(options.io()), 0));
             RingFileChannel channel = RingFileChannel.open(loop, p, READ);
             Arena arena = Arena.ofShared()) {
            RingFile file = RingFile.openBlocking(loop, p, READ);
            MemorySegment seg = arena.allocate(size);
            // Reads that met the failure: the kernel's readahead may have brought a whole range
            // in before a read of it (see above), but not every time.
            int shortReads = 0;

            onlyFirstPageCached(p);
            assumeThat(CachedReads.read(file.state(), seg, 0)).as("what the page cache answers")
                    .isBetween(4096L, size - 4096L);

            onlyFirstPageCached(p);
            seg.fill((byte) 0);
            int n = file.blocking().readAt(seg, 0);
            assertThat(n).as("readAt of native memory").isBetween(4096, size);
            shortReads += n < size ? 1 : 0;
            assertThat(seg.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOf(data, n));

            onlyFirstPageCached(p);
            byte[] heap = new byte[size];
            int h = file.blocking().readAt(heap, 0, size, 0);
            assertThat(h).as("readAt of a byte[]").isBetween(4096, size);
            shortReads += h < size ? 1 : 0;
            assertThat(Arrays.copyOf(heap, h)).isEqualTo(Arrays.copyOf(data, h));

            onlyFirstPageCached(p);
            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            int d = file.blocking().readAt(direct, 0);
            assertThat(d).as("readAt of a direct ByteBuffer").isBetween(4096, size);
            shortReads += d < size ? 1 : 0;
            assertThat(direct.position()).isEqualTo(d);

            onlyFirstPageCached(p);
            ByteBuffer viaChannel = ByteBuffer.allocateDirect(size);
            int c = channel.read(viaChannel);
            assertThat(c).as("RingFileChannel.read").isBetween(4096, size);
            shortReads += c < size ? 1 : 0;
            assertThat(channel.position()).isEqualTo(c);
            assertThat(viaChannel.flip()).isEqualTo(ByteBuffer.wrap(data, 0, c));

            // Two buffers: the first as large as what the page cache held just now, the second
            // from there, where the first read of the second buffer fails.
            ByteBuffer[] two = {ByteBuffer.allocateDirect(c), ByteBuffer.allocateDirect(size)};
            channel.position(0);
            onlyFirstPageCached(p);
            long scattered = channel.read(two);
            assertThat(scattered).as("RingFileChannel.read of two buffers").isBetween(4096L, (long) c + size);
            assertThat(channel.position()).isEqualTo(scattered);
            shortReads += scattered < c + size ? 1 : 0;

            assertThat(shortReads).as("reads that met the failure after some bytes").isPositive();

            onlyFirstPageCached(p);
            assertThatThrownBy(() -> file.blocking().readFully(arena.allocate(data.length), 0)).as("readFully")
                    .isInstanceOf(DiskIOException.class);
            assertThat(loop.buffers().stats().inUse()).isZero();
            file.close();
        }
    }

    /** Writes 1 MiB of random bytes from {@code seed} to {@code p}, on the disk (clean in the page cache); returns them. */
    private static byte[] writeSynced(Path p, long seed) throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(seed).nextBytes(data);
        Files.write(p, data);
        try (FileChannel sync = FileChannel.open(p, WRITE)) {
            sync.force(true);
        }
        return data;
    }

    /** Drops the (clean) file from the page cache, then reads its first page back in (and readahead some more). */
    private static void onlyFirstPageCached(Path p) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle fadvise = linker.downcallHandle(linker.defaultLookup().find("posix_fadvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(arena.allocateFrom(p.toString()), 0); // O_RDONLY
            assertThat(fd).isNotNegative();
            try {
                int rc = (int) fadvise.invokeExact(fd, 0L, 0L, 4); // POSIX_FADV_DONTNEED
                assertThat(rc).isZero();
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        }
        try (FileChannel fc = FileChannel.open(p, READ)) {
            fc.read(ByteBuffer.allocate(4096), 0);
        }
    }

    private static byte[] filled(byte value, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
