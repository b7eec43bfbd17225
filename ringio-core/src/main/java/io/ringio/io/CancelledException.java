package io.ringio.io;

/** The operation was cancelled, or did not run because the operation linked before it failed (ECANCELED). */
public final class CancelledException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
