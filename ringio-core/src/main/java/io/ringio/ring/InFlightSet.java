package io.ringio.ring;

/**
 * The user_data values of operations submitted to a ring and not yet completed: an open
 * addressing hash set of longs with linear probing and backward-shift deletion, so that adding
 * and removing allocate nothing and leave no tombstones. Capacity is fixed at construction.
 *
 * <p>{@link #EMPTY} marks a free slot and can never be a member; {@link Ring} reserves it.
 */
final class InFlightSet {
    static final long EMPTY = Long.MIN_VALUE;

    private final long[] slots;
    private final int mask;
    private final int limit;
    private int size;

    /** A set that holds at most {@code limit} values, at a load factor of at most one half. */
    InFlightSet(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit + " must be >= 1");
        }
        int capacity = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) * 2;
        this.slots = new long[capacity];
        this.mask = capacity - 1;
        this.limit = limit;
        java.util.Arrays.fill(slots, EMPTY);
    }

    int size() {
        return size;
    }

    int limit() {
        return limit;
    }

    boolean isFull() {
        return size >= limit;
    }

    boolean contains(long value) {
        assert value != EMPTY;
        for (int i = index(value); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == value) {
                return true;
            }
            if (s == EMPTY) {
                return false;
            }
        }
    }

    /** Adds a value known to be absent, with room for it (callers check both first). */
    void add(long value) {
        assert value != EMPTY;
        assert size < limit : "size=" + size + " limit=" + limit;
        int i = index(value);
        while (slots[i] != EMPTY) {
            assert slots[i] != value : "duplicate user_data " + value;
            i = (i + 1) & mask;
        }
        slots[i] = value;
        size++;
    }

    /** Removes a value; returns false when it was not a member. */
    boolean remove(long value) {
        assert value != EMPTY;
        int i = index(value);
        while (slots[i] != value) {
            if (slots[i] == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole so that
        // every remaining member stays reachable from its home slot without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int home = index(slots[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = EMPTY;
        size--;
        return true;
    }

    /** Calls {@code action} with every member; the set must not change meanwhile. */
    void forEach(java.util.function.LongConsumer action) {
        for (long s : slots) {
            if (s != EMPTY) {
                action.accept(s);
            }
        }
    }

    private int index(long value) {
        // Fibonacci hashing spreads sequential tags across the table.
        return (int) ((value * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
