package io.ringio.io;

/** The file is a directory where a regular file was needed (EISDIR). */
public final class IsADirectoryException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public IsADirectoryException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
