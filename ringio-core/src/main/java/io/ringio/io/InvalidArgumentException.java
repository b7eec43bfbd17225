package io.ringio.io;

/** The kernel rejected an argument (EINVAL), such as an unaligned O_DIRECT transfer. */
public final class InvalidArgumentException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
