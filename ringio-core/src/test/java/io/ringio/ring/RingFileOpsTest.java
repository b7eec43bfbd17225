package io.ringio.ring;

import io.ringio.sys.Errno;
import io.ringio.sys.Fcntl;
import io.ringio.sys.Iovec;
import io.ringio.sys.Statx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static io.ringio.ring.RingFixture.cPath;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/** Every file operation the ring prepares, on the real kernel. */
class RingFileOpsTest extends RingTestCase {
    @TempDir
    Path dir;


    @Override
    protected RingOptions ringOptions() {
        return RingOptions.entries(32);
    }

    private int openFile(Path path, int flags) {
        ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, path), flags | Fcntl.O_CLOEXEC, 0644, 1);
        int fd = awaitCompletions(ring, 1).get(1L);
        assertThat(fd).as("openat %s", path).isGreaterThanOrEqualTo(0);
        return fd;
    }

    private int run(int sqe) {
        assertThat(sqe).isGreaterThanOrEqualTo(0);
        return awaitCompletions(ring, 1).values().iterator().next();
    }

    private void closeFd(int fd) {
        assertThat(run(ring.prepClose(fd, 99))).isZero();
    }

    @Test
    void writeThenReadBackReturnsTheSameBytes() throws IOException {
        Path file = dir.resolve("data");
        int fd = openFile(file, Fcntl.O_RDWR | Fcntl.O_CREAT);
        MemorySegment out = arena.allocateFrom("hello, ring", StandardCharsets.UTF_8);
        assertThat(run(ring.prepWrite(fd, out, 4096, 2))).isEqualTo((int) out.byteSize());
        MemorySegment in = arena.allocate(out.byteSize());
        assertThat(run(ring.prepRead(fd, in, 4096, 3))).isEqualTo((int) out.byteSize());
        assertThat(in.mismatch(out)).isEqualTo(-1);
        closeFd(fd);
        assertThat(Files.size(file)).isEqualTo(4096 + out.byteSize());
    }

    @Test
    void readPastEndOfFileReturnsZero() {
        int fd = openFile(dir.resolve("empty"), Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertThat(run(ring.prepRead(fd, arena.allocate(512), 0, 2))).isZero();
        closeFd(fd);
    }

    @Test
    void vectoredWriteThenVectoredReadRoundTrips() {
        int fd = openFile(dir.resolve("vec"), Fcntl.O_RDWR | Fcntl.O_CREAT);
        MemorySegment a = arena.allocateFrom("abc", StandardCharsets.UTF_8);
        MemorySegment b = arena.allocateFrom("defgh", StandardCharsets.UTF_8);
        MemorySegment iov = arena.allocate(Iovec.LAYOUT, 2);
        Iovec.set(iov, 0, a);
        Iovec.set(iov, 1, b);
        int total = (int) (a.byteSize() + b.byteSize());
        assertThat(run(ring.prepWritev(fd, iov, 2, 0, 2))).isEqualTo(total);
        MemorySegment x = arena.allocate(2);
        MemorySegment y = arena.allocate(total - 2);
        Iovec.set(iov, 0, x);
        Iovec.set(iov, 1, y);
        assertThat(run(ring.prepReadv(fd, iov, 2, 0, 3))).isEqualTo(total);
        MemorySegment joined = arena.allocate(total);
        joined.copyFrom(x);
        joined.asSlice(2).copyFrom(y);
        MemorySegment expected = arena.allocate(total);
        expected.copyFrom(a);
        expected.asSlice(a.byteSize()).copyFrom(b);
        assertThat(joined.mismatch(expected)).isEqualTo(-1);
        closeFd(fd);
    }

    @Test
    void fsyncAndFdatasyncSucceedOnAWrittenFile() {
        int fd = openFile(dir.resolve("sync"), Fcntl.O_RDWR | Fcntl.O_CREAT);
        run(ring.prepWrite(fd, arena.allocate(4096), 0, 2));
        assertThat(run(ring.prepFsync(fd, false, 3))).isZero();
        assertThat(run(ring.prepFsync(fd, true, 4))).isZero();
        closeFd(fd);
    }

    @Test
    void openOfAMissingFileFailsWithEnoent() {
        ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, dir.resolve("missing")), Fcntl.O_RDONLY, 0, 1);
        assertThat(awaitCompletions(ring, 1).get(1L)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void readOfAClosedFdFailsWithEbadf() {
        int fd = openFile(dir.resolve("closed"), Fcntl.O_RDWR | Fcntl.O_CREAT);
        closeFd(fd);
        assertThat(run(ring.prepRead(fd, arena.allocate(16), 0, 2))).isEqualTo(-Errno.EBADF);
    }

    @Test
    void statxReportsSizeTypeAndBlockSize() throws IOException {
        Path file = dir.resolve("stat");
        Files.write(file, new byte[12345]);
        MemorySegment stx = arena.allocate(Statx.LAYOUT);
        int r = run(ring.prepStatx(Fcntl.AT_FDCWD, cPath(arena, file), 0, Statx.STATX_BASIC_STATS, stx, 2));
        assertThat(r).isZero();
        assertThat(Statx.size(stx)).isEqualTo(12345);
        assertThat(Statx.mode(stx) & Statx.S_IFMT).isEqualTo(Statx.S_IFREG);
        assertThat(Statx.blockSize(stx)).isPositive();
        assertThat(Statx.mtimeSeconds(stx)).isEqualTo(Files.getLastModifiedTime(file).toInstant().getEpochSecond());
    }

    @Test
    void mkdirRenameAndUnlinkChangeTheDirectory() throws IOException {
        Path sub = dir.resolve("sub");
        assertThat(run(ring.prepMkdirat(Fcntl.AT_FDCWD, cPath(arena, sub), 0755, 2))).isZero();
        assertThat(Files.isDirectory(sub)).isTrue();
        assertThat(run(ring.prepMkdirat(Fcntl.AT_FDCWD, cPath(arena, sub), 0755, 3))).isEqualTo(-Errno.EEXIST);

        Path a = sub.resolve("a");
        Path b = sub.resolve("b");
        Files.writeString(a, "A");
        Files.writeString(b, "B");
        int noReplace = run(ring.prepRenameat(Fcntl.AT_FDCWD, cPath(arena, a), Fcntl.AT_FDCWD, cPath(arena, b),
                Fcntl.RENAME_NOREPLACE, 4));
        assertThat(noReplace).isEqualTo(-Errno.EEXIST);
        assertThat(run(ring.prepRenameat(Fcntl.AT_FDCWD, cPath(arena, a), Fcntl.AT_FDCWD, cPath(arena, b), 0, 5)))
                .isZero();
        assertThat(Files.readString(b)).isEqualTo("A");
        assertThat(Files.exists(a)).isFalse();

        assertThat(run(ring.prepUnlinkat(Fcntl.AT_FDCWD, cPath(arena, sub), Fcntl.AT_REMOVEDIR, 6)))
                .isEqualTo(-Errno.ENOTEMPTY);
        assertThat(run(ring.prepUnlinkat(Fcntl.AT_FDCWD, cPath(arena, b), 0, 7))).isZero();
        assertThat(run(ring.prepUnlinkat(Fcntl.AT_FDCWD, cPath(arena, sub), Fcntl.AT_REMOVEDIR, 8))).isZero();
        assertThat(Files.exists(sub)).isFalse();
    }

    @Test
    void fallocateGrowsAFileAndKeepSizeDoesNot() throws IOException {
        Path file = dir.resolve("alloc");
        int fd = openFile(file, Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertThat(run(ring.prepFallocate(fd, Fcntl.FALLOC_FL_KEEP_SIZE, 0, 1 << 20, 2))).isZero();
        assertThat(Files.size(file)).isZero();
        assertThat(run(ring.prepFallocate(fd, 0, 0, 1 << 20, 3))).isZero();
        assertThat(Files.size(file)).isEqualTo(1 << 20);
        closeFd(fd);
    }

    @Test
    void ftruncateSetsTheSizeWhenTheKernelHasIt() throws IOException {
        Path file = dir.resolve("trunc");
        int fd = openFile(file, Fcntl.O_RDWR | Fcntl.O_CREAT);
        boolean supported = ring.probeOpcodes().supports(io.ringio.sys.IoUring.OP_FTRUNCATE);
        int r = run(ring.prepFtruncate(fd, 777, 2));
        if (supported) {
            assertThat(r).isZero();
            assertThat(Files.size(file)).isEqualTo(777);
        } else {
            assertThat(r).isEqualTo(-Errno.EINVAL);
        }
        closeFd(fd);
    }

    @Test
    void readIntoALargeBufferIsShortAtEndOfFile() throws IOException {
        Path file = dir.resolve("short");
        Files.write(file, new byte[100]);
        int fd = openFile(file, Fcntl.O_RDONLY);
        MemorySegment buf = arena.allocate(4096);
        buf.fill((byte) 7);
        assertThat(run(ring.prepRead(fd, buf, 0, 2))).isEqualTo(100);
        assertThat(buf.get(JAVA_BYTE, 99)).isZero();
        assertThat(buf.get(JAVA_BYTE, 100)).isEqualTo((byte) 7);
        closeFd(fd);
    }

    @Test
    void manyReadsInOneBatchAllComplete() throws IOException {
        Path file = dir.resolve("batch");
        byte[] content = new byte[32 * 512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512);
        }
        Files.write(file, content);
        int fd = openFile(file, Fcntl.O_RDONLY);
        MemorySegment[] bufs = new MemorySegment[32];
        for (int i = 0; i < 32; i++) {
            bufs[i] = arena.allocate(512);
            assertThat(ring.prepRead(fd, bufs[i], i * 512L, 100 + i)).isGreaterThanOrEqualTo(0);
        }
        Map<Long, Integer> results = awaitCompletions(ring, 32);
        for (int i = 0; i < 32; i++) {
            assertThat(results.get(100L + i)).isEqualTo(512);
            assertThat(bufs[i].get(JAVA_BYTE, 0)).isEqualTo((byte) i);
        }
        closeFd(fd);
    }
}
