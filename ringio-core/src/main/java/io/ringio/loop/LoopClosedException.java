package io.ringio.loop;

/**
 * The {@link EventLoop} an operation was given to is closed or closing: the operation was not
 * started, or was cancelled by the close. Futures that were still pending when their loop closed
 * fail with this.
 */
public final class LoopClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LoopClosedException(String loopName, String what) {
        super("loop closed: " + loopName + " " + what);
    }
}
