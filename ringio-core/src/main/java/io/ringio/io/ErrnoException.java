package io.ringio.io;

import io.ringio.sys.Errno;

import java.io.IOException;

/**
 * An operation failed with an errno. Carries the operation ({@code "open"}, {@code "write"}),
 * the path when there is one, and the errno; the message reads
 * {@code "open /data/x: ENOENT (No such file or directory)"}. Each common failure has its own
 * subclass, made by {@link #of}; this class itself stands for the rest, with the raw errno.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String path;
    private final int errno;

    public ErrnoException(String operation, String path, int errno) {
        super(operation + (path == null ? "" : " " + path) + ": " + Errno.describe(errno));
        this.operation = operation;
        this.path = path;
        this.errno = Math.abs(errno);
    }

    /** The exception for {@code errno} (positive, or a negative result): the typed subclass where there is one. */
    public static ErrnoException of(int errno, String operation, String path) {
        int e = Math.abs(errno);
        return switch (e) {
            case Errno.ENOENT -> new NoSuchFileException(operation, path, e);
            case Errno.EEXIST -> new AlreadyExistsException(operation, path, e);
            case Errno.ENOTDIR -> new NotADirectoryException(operation, path, e);
            case Errno.EISDIR -> new IsADirectoryException(operation, path, e);
            case Errno.ENOTEMPTY -> new NotEmptyException(operation, path, e);
            case Errno.ENOSPC, Errno.EDQUOT -> new NoSpaceException(operation, path, e);
            case Errno.EIO -> new DiskIOException(operation, path, e);
            case Errno.EACCES, Errno.EPERM, Errno.EROFS -> new PermissionDeniedException(operation, path, e);
            case Errno.EBADF -> new BadDescriptorException(operation, path, e);
            case Errno.EINVAL -> new InvalidArgumentException(operation, path, e);
            case Errno.ECANCELED -> new CancelledException(operation, path, e);
            case Errno.ETIME, Errno.ETIMEDOUT -> new TimedOutException(operation, path, e);
            default -> new ErrnoException(operation, path, e);
        };
    }

    /** The operation that failed, such as {@code "fdatasync"}. */
    public String operation() {
        return operation;
    }

    /** The path the operation was on, or null when it was on an open file without a known path. */
    public String path() {
        return path;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, such as {@code "EIO"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
