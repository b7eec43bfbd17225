package io.ringio.io;

/** The file is not open, or not open for this kind of access (EBADF). */
public final class BadDescriptorException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public BadDescriptorException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
