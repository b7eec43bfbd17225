package io.ringio.io;

/** The operation did not finish in time (ETIME, ETIMEDOUT). */
public final class TimedOutException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public TimedOutException(String operation, String path, int errno) {
        super(operation, path, errno);
    }
}
