package io.ringio.io.channel;

import io.ringio.sys.Errno;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The Linux errno that a FileChannel or java.nio.file exception stands for, so that
 * {@link ChannelIo} reports failures with the same codes as the kernel.
 *
 * <p>The JDK keeps the errno it got only in words: {@code UnixException} turns most of them into a
 * {@link FileSystemException} whose reason is {@code strerror(errno)}, and the channel code throws
 * {@link IOException}s whose message is that same text ({@code "No space left on device"}). So
 * after the exception types that name an errno, the text is looked up among glibc's messages in
 * {@link Errno}; the JDK sometimes appends words of its own, so a text that starts with a message
 * counts too ({@code "Too many levels of symbolic links or unable to access attributes of symbolic
 * link"} is ELOOP). What matches nothing is EIO.
 */
final class ChannelErrno {
    private ChannelErrno() {}

    /** Largest errno whose message is looked up; {@link Errno} knows none past it. */
    private static final int ERRNO_MAX = 133;
    /**
     * What the JDK says when an O_DIRECT transfer is not aligned to the file store's block size
     * ({@code sun.nio.ch.Util.checkChannelPositionAligned} and its siblings). It checks before the
     * kernel sees the request; the kernel would have said EINVAL.
     */
    private static final String DIRECT_ALIGNMENT_TEXT = "is not a multiple of the block size";

    /** The positive errno for a failure of a FileChannel or java.nio.file call. */
    static int of(Throwable failure) {
        return switch (failure) {
            case NoSuchFileException e -> missingOrNotADirectory(e.getFile());
            case FileAlreadyExistsException e -> Errno.EEXIST;
            case DirectoryNotEmptyException e -> Errno.ENOTEMPTY;
            case NotDirectoryException e -> Errno.ENOTDIR;
            case AccessDeniedException e -> Errno.EACCES;
            case AtomicMoveNotSupportedException e -> Errno.EXDEV;
            case FileSystemLoopException e -> Errno.ELOOP;
            case FileSystemException e -> ofText(e.getReason());
            case ClosedChannelException e -> Errno.EBADF;
            case NonReadableChannelException e -> Errno.EBADF;
            case NonWritableChannelException e -> Errno.EBADF;
            // The JDK refuses some transfers the kernel would refuse with EINVAL (a read-only
            // buffer, an O_DIRECT buffer it cannot align) with IllegalArgumentException.
            case IllegalArgumentException e -> Errno.EINVAL;
            case UnsupportedOperationException e -> Errno.EOPNOTSUPP;
            case IOException e -> ofText(e.getMessage());
            default -> Errno.EIO;
        };
    }

    /**
     * ENOENT or ENOTDIR for a path the JDK reported as missing: the JDK turns the kernel's ENOTDIR
     * (a path through a regular file, such as {@code file/child}) into NoSuchFileException too.
     * The nearest ancestor that exists tells them apart, as the kernel's path walk does.
     */
    static int missingOrNotADirectory(String file) {
        if (file == null) {
            return Errno.ENOENT;
        }
        try {
            for (java.nio.file.Path p = java.nio.file.Path.of(file).getParent(); p != null; p = p.getParent()) {
                if (java.nio.file.Files.exists(p)) {
                    return java.nio.file.Files.isDirectory(p) ? Errno.ENOENT : Errno.ENOTDIR;
                }
            }
        } catch (java.nio.file.InvalidPathException | SecurityException e) {
            return Errno.ENOENT;
        }
        return Errno.ENOENT;
    }

    /** The errno whose glibc message {@code text} is or starts with; EIO when there is none. */
    static int ofText(String text) {
        if (text == null || text.isEmpty()) {
            return Errno.EIO;
        }
        if (text.contains(DIRECT_ALIGNMENT_TEXT)) {
            return Errno.EINVAL;
        }
        int best = Errno.EIO;
        int bestLength = 0;
        for (int errno = 1; errno <= ERRNO_MAX; errno++) {
            String message = Errno.message(errno);
            if (message.startsWith("Unknown error")) {
                continue;
            }
            if (text.equals(message)) {
                return errno;
            }
            // The longest message that is a prefix wins: "No such device or address" over
            // "No such device".
            if (message.length() > bestLength && text.startsWith(message)) {
                best = errno;
                bestLength = message.length();
            }
        }
        return best;
    }
}
