package io.ringio.io;

/** A path component, or a file opened as a directory, is not a directory (ENOTDIR). */
public final class NotADirectoryException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public NotADirectoryException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
