package io.ringio.ring;

/** Receives completions from a {@link CompletionBatch}, after the ring walk is over. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * @param userData the tag given when the operation was prepared
     * @param result   non-negative on success, {@code -errno} on failure
     * @param flags    the CQE flags
     */
    void onCompletion(long userData, int result, int flags);
}
