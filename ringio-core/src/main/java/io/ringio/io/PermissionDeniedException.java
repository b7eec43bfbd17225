package io.ringio.io;

/** Not permitted (EACCES, EPERM), or the file system is read-only (EROFS). */
public final class PermissionDeniedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
