package io.ringio.io;

/** Receives completions from {@link Io#poll} and {@link Io#park}, never during a ring walk. */
@FunctionalInterface
public interface IoHandler {
    /**
     * @param tag    the caller's tag given at submission
     * @param result non-negative on success (bytes moved, a file handle, or 0), {@code -errno} on
     *               failure; {@code -ECANCELED} when cancelled or when the operation linked before
     *               it failed or was short
     */
    void complete(long tag, int result);
}
