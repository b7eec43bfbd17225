package io.ringio.io;

/** The directory to remove is not empty (ENOTEMPTY). */
public final class NotEmptyException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public NotEmptyException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
