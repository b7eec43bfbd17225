package io.ringio.io.channel;

import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Java exceptions become the errno the kernel would have reported. */
class ChannelErrnoTest {
    @TempDir
    Path dir;

    @Test
    void typedFileSystemExceptionsMapToTheirErrno() {
        assertThat(ChannelErrno.of(new NoSuchFileException("x"))).isEqualTo(Errno.ENOENT);
        assertThat(ChannelErrno.of(new FileAlreadyExistsException("x"))).isEqualTo(Errno.EEXIST);
        assertThat(ChannelErrno.of(new DirectoryNotEmptyException("x"))).isEqualTo(Errno.ENOTEMPTY);
        assertThat(ChannelErrno.of(new NotDirectoryException("x"))).isEqualTo(Errno.ENOTDIR);
        assertThat(ChannelErrno.of(new AccessDeniedException("x"))).isEqualTo(Errno.EACCES);
        assertThat(ChannelErrno.of(new AtomicMoveNotSupportedException("a", "b", "Invalid cross-device link")))
                .isEqualTo(Errno.EXDEV);
    }

    @Test
    void fileSystemExceptionReasonIsLookedUpAmongErrnoMessages() {
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "Is a directory"))).isEqualTo(Errno.EISDIR);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "Not a directory"))).isEqualTo(Errno.ENOTDIR);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "No space left on device"))).isEqualTo(Errno.ENOSPC);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "Read-only file system"))).isEqualTo(Errno.EROFS);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "File name too long"))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "Directory not empty"))).isEqualTo(Errno.ENOTEMPTY);
    }

    @Test
    void reasonThatStartsWithAMessageMapsToTheLongestSuchMessage() {
        // The JDK appends its own words to ELOOP's message.
        assertThat(ChannelErrno.of(new FileSystemException("x", null,
                "Too many levels of symbolic links or unable to access attributes of symbolic link"))).isEqualTo(Errno.ELOOP);
        // "No such device" is a prefix of ENXIO's message too; the longer one wins.
        assertThat(ChannelErrno.ofText("No such device or address (extra)")).isEqualTo(Errno.ENXIO);
        assertThat(ChannelErrno.ofText("No such device")).isEqualTo(Errno.ENODEV);
    }

    @Test
    void unknownOrMissingTextIsEIO() {
        assertThat(ChannelErrno.of(new FileSystemException("x"))).isEqualTo(Errno.EIO);
        assertThat(ChannelErrno.of(new FileSystemException("x", null, "something odd"))).isEqualTo(Errno.EIO);
        assertThat(ChannelErrno.of(new IOException())).isEqualTo(Errno.EIO);
        assertThat(ChannelErrno.of(new IOException("Input/output error"))).isEqualTo(Errno.EIO);
        assertThat(ChannelErrno.of(new IllegalStateException("odd"))).isEqualTo(Errno.EIO);
    }

    @Test
    void channelStateExceptionsAreEBADF() {
        assertThat(ChannelErrno.of(new ClosedChannelException())).isEqualTo(Errno.EBADF);
        assertThat(ChannelErrno.of(new AsynchronousCloseException())).isEqualTo(Errno.EBADF);
        assertThat(ChannelErrno.of(new NonReadableChannelException())).isEqualTo(Errno.EBADF);
        assertThat(ChannelErrno.of(new NonWritableChannelException())).isEqualTo(Errno.EBADF);
    }

    @Test
    void directAlignmentRefusalsAreEINVAL() {
        // The three texts sun.nio.ch.Util uses when an O_DIRECT transfer is not aligned.
        assertThat(ChannelErrno.of(new IOException("Channel position (100) is not a multiple of the block size (4096)")))
                .isEqualTo(Errno.EINVAL);
        assertThat(ChannelErrno.of(new IOException("Number of remaining bytes (100) is not a multiple of the block size (4096)")))
                .isEqualTo(Errno.EINVAL);
        assertThat(ChannelErrno.of(new IOException(
                "Current position of the bytebuffer (0) is not a multiple of the block size (4096): alignment offset = 1")))
                .isEqualTo(Errno.EINVAL);
        assertThat(ChannelErrno.of(new IllegalArgumentException("Read-only buffer"))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void plainIOExceptionMessageIsLookedUpToo() {
        assertThat(ChannelErrno.of(new IOException("Is a directory"))).isEqualTo(Errno.EISDIR);
        assertThat(ChannelErrno.of(new IOException("No space left on device"))).isEqualTo(Errno.ENOSPC);
    }

    @Test
    void whatTheJdkThrowsHereMapsAsTheKernelWould() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path full = Files.createDirectories(dir.resolve("full/inner"));

        assertThat(errnoOf(() -> FileChannel.open(dir, StandardOpenOption.WRITE))).isEqualTo(Errno.EISDIR);
        assertThat(errnoOf(() -> FileChannel.open(file.resolve("sub"), StandardOpenOption.READ))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> Files.delete(full.getParent()))).isEqualTo(Errno.ENOTEMPTY);
        assertThat(errnoOf(() -> FileChannel.open(dir.resolve("x".repeat(300)), StandardOpenOption.READ)))
                .isEqualTo(Errno.ENAMETOOLONG);
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            assertThat(errnoOf(() -> channel.read(java.nio.ByteBuffer.allocate(8), 0))).isEqualTo(Errno.EISDIR);
        }
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static int errnoOf(Failing action) {
        Throwable thrown = catchThrowable(action::run);
        assertThat(thrown).isNotNull();
        return ChannelErrno.of(thrown);
    }
}
