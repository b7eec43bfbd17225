package io.ringio.ring;

/**
 * A bounded batch of completions copied out of a ring's CQ by {@link Ring#copyCompletions}. The
 * ring releases the CQ head before the copy is handed back, so whatever the caller does with the
 * batch (including submitting more work) never runs while the ring is being walked.
 *
 * <p>Reused across calls: each copy overwrites the previous contents. Not thread-safe.
 */
public final class CompletionBatch {
    /** Largest batch accepted; a batch this size is 64 KiB of arrays. */
    public static final int CAPACITY_MAX = 4096;

    private final long[] userData;
    private final int[] results;
    private final int[] flags;
    private int size;

    /** A batch of at most {@code capacity} completions, 1 to {@link #CAPACITY_MAX}. */
    public CompletionBatch(int capacity) {
        if (capacity < 1 || capacity > CAPACITY_MAX) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + CAPACITY_MAX + "]");
        }
        userData = new long[capacity];
        results = new int[capacity];
        flags = new int[capacity];
    }

    public int capacity() {
        return userData.length;
    }

    /** How many completions the last copy produced. */
    public int size() {
        return size;
    }

    /** The user_data of the submission that completion {@code i} belongs to. */
    public long userData(int i) {
        checkIndex(i);
        return userData[i];
    }

    /** The completion's result: non-negative on success, {@code -errno} on failure. */
    public int result(int i) {
        checkIndex(i);
        return results[i];
    }

    /** The CQE flags ({@code IORING_CQE_F_*}). */
    public int flags(int i) {
        checkIndex(i);
        return flags[i];
    }

    /** Hands every completion of the batch to {@code handler}, in the order they were copied. */
    public void forEach(CompletionHandler handler) {
        for (int i = 0; i < size; i++) {
            handler.onCompletion(userData[i], results[i], flags[i]);
        }
    }

    void clear() {
        size = 0;
    }

    int remaining() {
        return userData.length - size;
    }

    void add(long ud, int res, int fl) {
        userData[size] = ud;
        results[size] = res;
        flags[size] = fl;
        size++;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("i=" + i + " size=" + size);
        }
    }
}
