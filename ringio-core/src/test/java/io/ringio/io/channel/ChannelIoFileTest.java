package io.ringio.io.channel;

import io.ringio.io.FileStat;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening, reading, writing and the metadata operations, one at a time. */
class ChannelIoFileTest extends ChannelIoTestCase {
    @Test
    void writeThenReadRoundTripsThroughAConfinedSegment() {
        int file = openNew("data");
        assertThat(write(file, "hello, ring", 0)).isEqualTo(11);
        MemorySegment buf = arena.allocate(64);
        assertThat(read(file, buf, 0)).isEqualTo(11);
        assertThat(text(buf, 11)).isEqualTo("hello, ring");
        assertThat(close(file)).isZero();
    }

    @Test
    void readAtEndOfFileCompletesWithZeroAndShortReadsReportWhatWasThere() throws IOException {
        Files.write(dir.resolve("hundred"), new byte[100]);
        int file = open("hundred", OpenFlags.READ);
        assertThat(read(file, arena.allocate(4096), 0)).isEqualTo(100);
        assertThat(read(file, arena.allocate(4096), 60)).isEqualTo(40);
        assertThat(read(file, arena.allocate(4096), 100)).isZero();
        assertThat(read(file, arena.allocate(4096), 1 << 20)).isZero();
    }

    @Test
    void readvFillsBuffersInOrderSkipsEmptyOnesAndStopsAtEndOfFile() throws IOException {
        Files.writeString(dir.resolve("abc"), "abcdefg");
        int file = open("abc", OpenFlags.READ);
        MemorySegment first = arena.allocate(3);
        MemorySegment empty = arena.allocate(0);
        MemorySegment second = arena.allocate(8);
        MemorySegment third = arena.allocate(8);
        long tag = tag();
        assertThat(io.readv(tag, file, new MemorySegment[] {first, empty, second, third}, 1)).isTrue();
        assertThat(await(tag)).isEqualTo(6);
        assertThat(text(first, 3)).isEqualTo("bcd");
        assertThat(text(second, 3)).isEqualTo("efg");
        assertThat(third.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isZero();
    }

    @Test
    void writevWritesBuffersInOrderAtTheOffset() throws IOException {
        int file = openNew("v");
        long tag = tag();
        assertThat(io.writev(tag, file, new MemorySegment[] {utf8("ab"), arena.allocate(0), utf8("cde")}, 2)).isTrue();
        assertThat(await(tag)).isEqualTo(5);
        assertThat(Files.readAllBytes(dir.resolve("v"))).isEqualTo(new byte[] {0, 0, 'a', 'b', 'c', 'd', 'e'});
    }

    @Test
    void openFailuresCarryTheKernelsErrno() throws IOException {
        Files.writeString(dir.resolve("exists"), "x");
        assertThat(openResult("missing", OpenFlags.READ)).isEqualTo(-Errno.ENOENT);
        assertThat(openResult("exists", OpenFlags.WRITE | OpenFlags.CREATE_NEW)).isEqualTo(-Errno.EEXIST);
        assertThat(openResult("exists/below", OpenFlags.READ)).isEqualTo(-Errno.ENOTDIR);
        assertThat(openResult("exists", OpenFlags.DIRECTORY)).isEqualTo(-Errno.ENOTDIR);
        assertThat(openResult(".", OpenFlags.WRITE)).isEqualTo(-Errno.EISDIR);
    }

    private int openResult(String name, int flags) {
        long tag = tag();
        assertThat(io.open(tag, path(name), flags, 0644)).isTrue();
        return await(tag);
    }

    @Test
    void handlesAreSmallAndReusedLowestFirst() {
        int a = openNew("a");
        int b = openNew("b");
        assertThat(a).isZero();
        assertThat(b).isEqualTo(1);
        assertThat(close(a)).isZero();
        assertThat(openNew("c")).isZero();
    }

    @Test
    void aHandleThatNamesNoOpenFileIsEBADF() {
        int file = openNew("closed");
        assertThat(close(file)).isZero();
        assertThat(read(file, arena.allocate(8), 0)).isEqualTo(-Errno.EBADF);
        assertThat(close(file)).isEqualTo(-Errno.EBADF);
        assertThat(read(-1, arena.allocate(8), 0)).isEqualTo(-Errno.EBADF);
        assertThat(read(12345, arena.allocate(8), 0)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void accessModeIsEnforcedAsTheKernelDoes() {
        int writeOnly = open("wo", OpenFlags.WRITE | OpenFlags.CREATE);
        assertThat(read(writeOnly, arena.allocate(8), 0)).isEqualTo(-Errno.EBADF);
        int readOnly = open("wo", OpenFlags.READ);
        assertThat(write(readOnly, "x", 0)).isEqualTo(-Errno.EBADF);
        long tag = tag();
        io.truncate(tag, readOnly, 0);
        // ftruncate(2) of a read-only descriptor is EINVAL on Linux.
        assertThat(await(tag)).isEqualTo(-Errno.EINVAL);
        tag = tag();
        io.allocate(tag, readOnly, 0, 10, false);
        assertThat(await(tag)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void operationsSubmittedBeforeCloseStillRunOnTheOpenFile() {
        int file = openNew("late");
        long write = tag();
        long close = tag();
        assertThat(io.write(write, file, utf8("still here"), 0)).isTrue();
        assertThat(io.close(close, file)).isTrue();
        assertThat(await(write)).isEqualTo(10);
        assertThat(await(close)).isZero();
    }

    @Test
    void aDirectoryOpensWithDirectoryAndSyncs() {
        int directory = open(".", OpenFlags.DIRECTORY);
        long full = tag();
        long dataOnly = tag();
        assertThat(io.sync(full, directory, false)).isTrue();
        assertThat(io.sync(dataOnly, directory, true)).isTrue();
        assertThat(await(full)).isZero();
        assertThat(await(dataOnly)).isZero();
        assertThat(read(directory, arena.allocate(8), 0)).isEqualTo(-Errno.EISDIR);
        assertThat(write(directory, "x", 0)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void statByHandleAndByPathReportSizeTypeBlockSizeAndTime() throws IOException {
        int file = openNew("sized");
        write(file, "12345", 0);
        FileStat byHandle = new FileStat();
        long tag = tag();
        assertThat(io.stat(tag, file, byHandle)).isTrue();
        assertThat(await(tag)).isZero();
        long mtime = Files.getLastModifiedTime(dir.resolve("sized")).to(TimeUnit.NANOSECONDS);
        assertThat(byHandle.size()).isEqualTo(5);
        assertThat(byHandle.type()).isEqualTo(FileStat.Type.FILE);
        assertThat(byHandle.blockSize()).isEqualTo((int) Files.getFileStore(dir).getBlockSize());
        assertThat(byHandle.modifiedEpochNanos()).isEqualTo(mtime);

        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("sized"));
        FileStat byPath = new FileStat();
        tag = tag();
        assertThat(io.stat(tag, path("link"), byPath)).isTrue();
        assertThat(await(tag)).isZero();
        assertThat(byPath.size()).isEqualTo(5);
        assertThat(byPath.type()).isEqualTo(FileStat.Type.FILE);
        assertThat(byPath.modifiedEpochNanos()).isEqualTo(mtime);

        tag = tag();
        io.stat(tag, dir.toString(), byPath);
        assertThat(await(tag)).isZero();
        assertThat(byPath.type()).isEqualTo(FileStat.Type.DIRECTORY);
        tag = tag();
        io.stat(tag, path("missing"), byPath);
        assertThat(await(tag)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void statByHandleFollowsARenameThroughTheSameIo() throws IOException {
        int file = openNew("before");
        write(file, "abc", 0);
        assertThat(rename("before", "after", true)).isZero();
        Files.writeString(dir.resolve("before"), "a different, longer file");
        FileStat stat = new FileStat();
        long tag = tag();
        io.stat(tag, file, stat);
        assertThat(await(tag)).isZero();
        assertThat(stat.size()).isEqualTo(3);
        assertThat(stat.modifiedEpochNanos())
                .isEqualTo(Files.getLastModifiedTime(dir.resolve("after")).to(TimeUnit.NANOSECONDS));
    }

    @Test
    void renameReplacesAtomicallyUnlessNoReplace() throws IOException {
        Files.writeString(dir.resolve("a"), "A");
        Files.writeString(dir.resolve("b"), "B");
        assertThat(rename("a", "b", true)).isEqualTo(-Errno.EEXIST);
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("B");
        assertThat(rename("a", "b", false)).isZero();
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("A");
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
        assertThat(rename("a", "c", false)).isEqualTo(-Errno.ENOENT);
    }

    private int rename(String from, String to, boolean noReplace) {
        long tag = tag();
        assertThat(io.rename(tag, path(from), path(to), noReplace)).isTrue();
        return await(tag);
    }

    @Test
    void unlinkRmdirAndMkdirKeepToTheirKindOfFile() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("full/inner"));
        Files.createDirectory(dir.resolve("empty"));
        assertThat(pathOp(Path.of("unlink"), "empty")).isEqualTo(-Errno.EISDIR);
        assertThat(pathOp(Path.of("rmdir"), "file")).isEqualTo(-Errno.ENOTDIR);
        assertThat(pathOp(Path.of("rmdir"), "full")).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(pathOp(Path.of("rmdir"), "empty")).isZero();
        assertThat(pathOp(Path.of("unlink"), "file")).isZero();
        assertThat(pathOp(Path.of("unlink"), "file")).isEqualTo(-Errno.ENOENT);
        assertThat(Files.exists(dir.resolve("empty"))).isFalse();
        assertThat(Files.exists(dir.resolve("file"))).isFalse();

        long tag = tag();
        assertThat(io.mkdir(tag, path("made"), 0700)).isTrue();
        assertThat(await(tag)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("made")))).isEqualTo("rwx------");
        tag = tag();
        io.mkdir(tag, path("made"), 0700);
        assertThat(await(tag)).isEqualTo(-Errno.EEXIST);
    }

    private int pathOp(Path which, String name) {
        long tag = tag();
        boolean accepted = switch (which.toString()) {
            case "unlink" -> io.unlink(tag, path(name));
            case "rmdir" -> io.rmdir(tag, path(name));
            default -> throw new IllegalArgumentException(which.toString());
        };
        assertThat(accepted).isTrue();
        return await(tag);
    }

    @Test
    void createAppliesModeBits() throws IOException {
        long tag = tag();
        assertThat(io.open(tag, path("private"), OpenFlags.WRITE | OpenFlags.CREATE_NEW, 0600)).isTrue();
        assertThat(await(tag)).isNotNegative();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private")))).isEqualTo("rw-------");
    }

    @Test
    void allocateGrowsTheSizeUnlessKeepSizeAndTruncateCutsOrExtendsWithZeros() throws IOException {
        int file = openNew("sized");
        write(file, "abcdef", 0);
        assertThat(allocate(file, 0, 4096, true)).isZero();
        assertThat(Files.size(dir.resolve("sized"))).isEqualTo(6);
        assertThat(allocate(file, 4096, 4096, false)).isZero();
        assertThat(Files.size(dir.resolve("sized"))).isEqualTo(8192);
        assertThat(allocate(file, 0, 10, false)).isZero();
        assertThat(Files.size(dir.resolve("sized"))).isEqualTo(8192);
        assertThat(allocate(file, 0, 0, false)).isEqualTo(-Errno.EINVAL);

        assertThat(truncate(file, 3)).isZero();
        assertThat(Files.readString(dir.resolve("sized"))).isEqualTo("abc");
        assertThat(truncate(file, 6)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("sized"))).isEqualTo(new byte[] {'a', 'b', 'c', 0, 0, 0});
    }

    private int allocate(int file, long offset, long length, boolean keepSize) {
        long tag = tag();
        assertThat(io.allocate(tag, file, offset, length, keepSize)).isTrue();
        return await(tag);
    }

    private int truncate(int file, long length) {
        long tag = tag();
        assertThat(io.truncate(tag, file, length)).isTrue();
        return await(tag);
    }

    @Test
    void appendWritesGoToTheEndWhateverTheOffsetAndTheFileStaysReadable() throws IOException {
        Files.writeString(dir.resolve("log"), "old");
        int file = open("log", OpenFlags.READ_WRITE | OpenFlags.APPEND);
        assertThat(write(file, "-one", 0)).isEqualTo(4);
        assertThat(write(file, "-two", 0)).isEqualTo(4);
        MemorySegment buf = arena.allocate(64);
        assertThat(read(file, buf, 0)).isEqualTo(11);
        assertThat(text(buf, 11)).isEqualTo("old-one-two");
        assertThat(truncate(file, 20)).isZero();
        assertThat(Files.size(dir.resolve("log"))).isEqualTo(20);

        int cut = open("log", OpenFlags.WRITE | OpenFlags.APPEND | OpenFlags.TRUNCATE);
        assertThat(write(cut, "new", 5)).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("log"))).isEqualTo("new");
    }

    @Test
    void syncOfAFileCompletesWithZero() {
        int file = open("synced", OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.DSYNC);
        write(file, "durable", 0);
        long tag = tag();
        assertThat(io.sync(tag, file, true)).isTrue();
        assertThat(await(tag)).isZero();
    }

    @Test
    void nopCompletesWithZero() {
        long tag = tag();
        assertThat(io.nop(tag)).isTrue();
        assertThat(await(tag)).isZero();
    }
}
