package io.ringio.testkit;

import io.ringio.buffer.BufferPool;
import io.ringio.file.BlockingRingFile;
import io.ringio.file.RingDirectories;
import io.ringio.file.RingFile;
import io.ringio.io.AlreadyExistsException;
import io.ringio.io.ErrnoException;
import io.ringio.io.NoSuchFileException;
import io.ringio.io.NotEmptyException;
import io.ringio.loop.EventLoop;
import io.ringio.loop.LoopClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file layer's contract: {@link RingFile} and {@link RingDirectories} over an
 * {@link EventLoop}, for each backend. Subclasses make the loop; a stepped loop (the simulator's)
 * is run by the test's own waits. The cases are the {@code Io} contract's that make sense at this
 * level, plus what the file layer adds: heap copies, loops over short transfers, closed files.
 */
@Timeout(120)
public abstract class RingFileContractTest {
    /** Bytes in a heap transfer large enough to take several pooled chunks. */
    private static final int LARGE_BYTES = 3 * BufferPool.CLASS_MAX_BYTES + 123;
    private static final int BLOCK = 4096;

    @TempDir
    protected Path dir;
    protected EventLoop loop;
    protected RingDirectories dirs;
    private Arena arena;

    /** A new loop whose {@code Io} can reach {@code dir}; the test closes it. */
    protected abstract EventLoop newLoop(Path dir);

    /** Whether files can be opened with {@code ExtendedOpenOption.DIRECT}. */
    protected boolean supportsDirectIo() {
        return true;
    }

    @BeforeEach
    final void openLoop() {
        loop = newLoop(dir);
        dirs = RingDirectories.on(loop);
        arena = Arena.ofShared();
    }

    @AfterEach
    final void closeLoop() {
        try {
            loop.close();
            assertThat(loop.buffers().stats().inUse()).as("pooled buffers still out after close").isZero();
        } finally {
            arena.close();
        }
    }

    /** Waits for {@code future}, running a stepped loop meanwhile; unwraps its failure. */
    protected final <T> T join(CompletableFuture<T> future) throws Exception {
        if (loop.isStepped()) {
            loop.runUntil(future::isDone);
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private RingFile create(String name) throws Exception {
        return join(RingFile.open(loop, dir.resolve(name), READ, WRITE, CREATE));
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    // ------------------------------------------------------------------ open and close

    @Test
    void openOfAMissingFileFailsWithNoSuchFileNamingThePath() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> join(RingFile.open(loop, missing, READ)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("ENOENT");
    }

    @Test
    void createNewOfAnExistingFileFailsWithAlreadyExists() throws Exception {
        create("a").close();
        assertThatThrownBy(() -> join(RingFile.open(loop, dir.resolve("a"), WRITE, CREATE_NEW)))
                .isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void unsupportedOptionsAreRefusedAtTheCall() {
        assertThatThrownBy(() -> RingFile.open(loop, dir.resolve("x"), WRITE, java.nio.file.StandardOpenOption.SYNC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SYNC");
        assertThatThrownBy(() -> RingFile.open(loop, dir.resolve("x"), READ, java.nio.file.StandardOpenOption.APPEND))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operationsOnAClosedFileFailWithClosedChannel() throws Exception {
        RingFile file = create("closed");
        file.close();
        assertThat(file.isOpen()).isFalse();
        assertThatThrownBy(() -> join(file.size())).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> join(file.readAt(new byte[8], 0, 8, 0))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> file.blocking().sync()).isInstanceOf(ClosedChannelException.class);
        file.close();
        join(file.closeAsync());
    }

    @Test
    void closeWaitsForTheOperationsInFlight() throws Exception {
        RingFile file = create("busy");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            writes.add(file.writeFully(pattern(BLOCK, i), 0, BLOCK, (long) i * BLOCK));
        }
        CompletableFuture<Void> closed = file.closeAsync();
        join(closed);
        for (CompletableFuture<Void> w : writes) {
            assertThat(w).isDone();
            join(w);
        }
        try (RingFile again = join(RingFile.open(loop, dir.resolve("busy"), READ))) {
            assertThat(join(again.size())).isEqualTo(64L * BLOCK);
        }
    }

    // ------------------------------------------------------------------ transfers

    @Test
    void segmentWriteThenReadRoundTrips() throws Exception {
        try (RingFile file = create("seg")) {
            MemorySegment src = arena.allocate(BLOCK);
            src.copyFrom(MemorySegment.ofArray(pattern(BLOCK, 1)));
            assertThat(join(file.writeAt(src, 100))).isEqualTo(BLOCK);
            MemorySegment dst = arena.allocate(BLOCK);
            assertThat(join(file.readAt(dst, 100))).isEqualTo(BLOCK);
            assertThat(dst.mismatch(src)).isEqualTo(-1);
        }
    }

    @Test
    void directAndHeapByteBuffersRoundTripAndAdvanceTheirPositions() throws Exception {
        try (RingFile file = create("bb")) {
            byte[] data = pattern(10_000, 2);
            ByteBuffer heapSrc = ByteBuffer.wrap(data, 100, 5000);
            assertThat(join(file.writeAt(heapSrc, 0))).isEqualTo(5000);
            assertThat(heapSrc.position()).isEqualTo(5100);
            ByteBuffer direct = ByteBuffer.allocateDirect(5000);
            assertThat(join(file.readAt(direct, 0))).isEqualTo(5000);
            assertThat(direct.position()).isEqualTo(5000);
            direct.flip();
            byte[] back = new byte[5000];
            direct.get(back);
            assertThat(back).isEqualTo(Arrays.copyOfRange(data, 100, 5100));
            ByteBuffer heapDst = ByteBuffer.allocate(6000);
            heapDst.position(1000);
            assertThat(join(file.readAt(heapDst, 0))).isEqualTo(5000);
            assertThat(heapDst.position()).isEqualTo(6000);
            assertThat(Arrays.copyOfRange(heapDst.array(), 1000, 6000)).isEqualTo(back);
        }
    }

    @Test
    void byteArrayRangesRoundTrip() throws Exception {
        try (RingFile file = create("array")) {
            byte[] data = pattern(300, 3);
            assertThat(join(file.writeAt(data, 10, 200, 7))).isEqualTo(200);
            byte[] back = new byte[300];
            assertThat(join(file.readAt(back, 50, 200, 7))).isEqualTo(200);
            assertThat(Arrays.copyOfRange(back, 50, 250)).isEqualTo(Arrays.copyOfRange(data, 10, 210));
            assertThat(back[49]).isZero();
            assertThat(back[250]).isZero();
        }
    }

    @Test
    void aHeapReadAtMovesAtMostOnePooledBufferAndReadFullyLoops() throws Exception {
        try (RingFile file = create("large")) {
            byte[] data = pattern(LARGE_BYTES, 4);
            join(file.writeFully(data, 0, data.length, 0));
            byte[] back = new byte[LARGE_BYTES];
            int n = join(file.readAt(back, 0, back.length, 0));
            assertThat(n).isPositive().isLessThanOrEqualTo(BufferPool.CLASS_MAX_BYTES);
            assertThat(Arrays.copyOf(back, n)).isEqualTo(Arrays.copyOf(data, n));
            Arrays.fill(back, (byte) 0);
            join(file.readFully(back, 0, back.length, 0));
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void readAtEndOfFileIsZeroAndReadFullyPastItIsEof() throws Exception {
        try (RingFile file = create("eof")) {
            join(file.writeFully(pattern(100, 5), 0, 100, 0));
            assertThat(join(file.readAt(new byte[10], 0, 10, 100))).isZero();
            assertThat(join(file.readAt(new byte[10], 0, 10, 95))).isEqualTo(5);
            assertThatThrownBy(() -> join(file.readFully(new byte[10], 0, 10, 95))).isInstanceOf(EOFException.class)
                    .hasMessageContaining("eof");
        }
    }

    @Test
    void vectoredWriteThenReadRoundTrips() throws Exception {
        try (RingFile file = create("vector")) {
            MemorySegment a = arena.allocate(100);
            MemorySegment b = arena.allocate(300);
            a.fill((byte) 1);
            b.fill((byte) 2);
            assertThat(join(file.writev(new MemorySegment[] {a, b}, 0))).isEqualTo(400);
            MemorySegment x = arena.allocate(250);
            MemorySegment y = arena.allocate(150);
            assertThat(join(file.readv(new MemorySegment[] {x, y}, 0))).isEqualTo(400);
            assertThat(x.get(ValueLayout.JAVA_BYTE, 99)).isEqualTo((byte) 1);
            assertThat(x.get(ValueLayout.JAVA_BYTE, 100)).isEqualTo((byte) 2);
            assertThat(y.get(ValueLayout.JAVA_BYTE, 149)).isEqualTo((byte) 2);
        }
    }

    @Test
    void sizeTruncateAllocateAndSync() throws Exception {
        try (RingFile file = create("size")) {
            assertThat(join(file.size())).isZero();
            join(file.truncate(12_345));
            assertThat(join(file.size())).isEqualTo(12_345);
            join(file.allocate(0, 65_536, false));
            assertThat(join(file.size())).isEqualTo(65_536);
            join(file.allocate(0, 1 << 20, true));
            assertThat(join(file.size())).isEqualTo(65_536);
            join(file.truncate(10));
            join(file.sync());
            join(file.datasync());
            assertThat(join(file.size())).isEqualTo(10);
        }
    }

    @Test
    void directFilesTakeAlignedPooledBuffers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsDirectIo(), "O_DIRECT");
        create("direct").close();
        try (RingFile file = join(RingFile.open(loop, dir.resolve("direct"), READ, WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT))) {
            MemorySegment buf = loop.buffers().acquire(BLOCK);
            try {
                buf.fill((byte) 7);
                join(file.writeFully(buf, BLOCK));
                buf.fill((byte) 0);
                join(file.readFully(buf, BLOCK));
                assertThat(buf.get(ValueLayout.JAVA_BYTE, BLOCK - 1)).isEqualTo((byte) 7);
            } finally {
                loop.buffers().release(buf);
            }
        }
    }

    @Test
    void badArgumentsAreRefusedAtTheCall() throws Exception {
        try (RingFile file = create("args")) {
            assertThatThrownBy(() -> file.readAt(new byte[4], 0, 4, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("position=-1");
            assertThatThrownBy(() -> file.readAt(new byte[4], 2, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=2");
            assertThatThrownBy(() -> file.readAt((MemorySegment) null, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dst=null");
            assertThatThrownBy(() -> file.readAt(ByteBuffer.allocate(4).asReadOnlyBuffer(), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> file.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> file.allocate(0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ------------------------------------------------------------------ blocking twins

    @Test
    void blockingTwinsRoundTrip() throws Exception {
        RingFile file = RingFile.openBlocking(loop, dir.resolve("blocking"), READ, WRITE, CREATE);
        BlockingRingFile b = file.blocking();
        byte[] data = pattern(LARGE_BYTES, 6);
        b.writeFully(data, 0, data.length, 0);
        assertThat(b.size()).isEqualTo(LARGE_BYTES);
        byte[] back = new byte[LARGE_BYTES];
        b.readFully(back, 0, back.length, 0);
        assertThat(back).isEqualTo(data);
        b.datasync();
        b.truncate(5);
        assertThat(b.readAt(new byte[10], 0, 10, 0)).isEqualTo(5);
        b.close();
        assertThatThrownBy(b::size).isInstanceOf(ClosedChannelException.class);
    }

    // ------------------------------------------------------------------ directories

    @Test
    void directoriesAreCreatedListedRenamedSyncedAndDeleted() throws Exception {
        Path sub = dir.resolve("sub");
        join(dirs.create(sub));
        assertThatThrownBy(() -> join(dirs.create(sub))).isInstanceOf(AlreadyExistsException.class);
        join(RingFile.open(loop, sub.resolve("b"), WRITE, CREATE)).close();
        join(RingFile.open(loop, sub.resolve("a"), WRITE, CREATE)).close();
        assertThat(join(dirs.list(sub))).containsExactly("a", "b");
        assertThatThrownBy(() -> join(dirs.rename(sub.resolve("a"), sub.resolve("b"), false)))
                .isInstanceOf(AlreadyExistsException.class);
        join(dirs.rename(sub.resolve("a"), sub.resolve("c"), false));
        join(dirs.rename(sub.resolve("c"), sub.resolve("b"), true));
        assertThat(join(dirs.list(sub))).containsExactly("b");
        join(dirs.sync(sub));
        assertThatThrownBy(() -> join(dirs.delete(sub))).isInstanceOf(NotEmptyException.class);
        join(dirs.delete(sub.resolve("b")));
        join(dirs.delete(sub));
        assertThat(join(dirs.list(dir))).doesNotContain("sub");
        assertThatThrownBy(() -> join(dirs.list(sub))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> join(dirs.sync(sub))).isInstanceOf(ErrnoException.class).hasMessageContaining("ENOENT");
    }

    @Test
    void blockingDirectoryTwins() throws Exception {
        Path sub = dir.resolve("twins");
        var b = dirs.blocking();
        b.create(sub);
        RingFile.openBlocking(loop, sub.resolve("f"), WRITE, CREATE).close();
        b.sync(sub);
        assertThat(b.list(sub)).containsExactly("f");
        b.rename(sub.resolve("f"), sub.resolve("g"), false);
        b.delete(sub.resolve("g"));
        b.delete(sub);
        assertThatThrownBy(() -> b.delete(sub)).isInstanceOf(NoSuchFileException.class);
    }

    // ------------------------------------------------------------------ the loop's close

    @Test
    void operationsAfterTheLoopClosesFailWithLoopClosed() throws Exception {
        RingFile file = create("late");
        loop.close();
        assertThatThrownBy(() -> join(file.size())).isInstanceOf(LoopClosedException.class);
        assertThatThrownBy(() -> file.blocking().size()).isInstanceOf(LoopClosedException.class);
        file.close();
    }

    @Test
    void statsCountReadsWritesSyncsAndBytes() throws Exception {
        try (RingFile file = create("stats")) {
            join(file.writeFully(pattern(1000, 7), 0, 1000, 0));
            join(file.readFully(new byte[1000], 0, 1000, 0));
            join(file.datasync());
            var stats = loop.stats();
            assertThat(stats.completedWrites()).isGreaterThanOrEqualTo(1);
            assertThat(stats.completedReads()).isGreaterThanOrEqualTo(1);
            assertThat(stats.completedSyncs()).isEqualTo(1);
            assertThat(stats.bytesWritten()).isEqualTo(1000);
            assertThat(stats.bytesRead()).isEqualTo(1000);
            assertThat(stats.errors()).isZero();
        }
    }
}
