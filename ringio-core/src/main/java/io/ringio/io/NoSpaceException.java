package io.ringio.io;

/** No space left on the device, or the disk quota is exhausted (ENOSPC, EDQUOT). */
public final class NoSpaceException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public NoSpaceException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
