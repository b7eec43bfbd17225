package io.ringio.io;

/** No such file or directory (ENOENT). */
public final class NoSuchFileException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public NoSuchFileException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
