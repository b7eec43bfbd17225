package io.ringio.io.uring;

import java.util.Arrays;

/**
 * Caller tags of the operations in flight, each mapped to its slot: an open addressing table of
 * long keys with linear probing and backward-shift deletion, fixed capacity, no allocation after
 * construction. Any long is a valid key; emptiness is kept in a separate slot array.
 */
final class TagTable {
    private static final int NONE = -1;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    /** A table for at most {@code limit} keys, at a load factor of at most one half. */
    TagTable(int limit) {
        int capacity = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(values, NONE);
    }

    int size() {
        return size;
    }

    /** The slot for {@code tag}, or -1. */
    int get(long tag) {
        for (int i = index(tag); values[i] != NONE; i = (i + 1) & mask) {
            if (keys[i] == tag) {
                return values[i];
            }
        }
        return NONE;
    }

    /** Maps a tag known to be absent to {@code slot} (callers check with {@link #get} first). */
    void put(long tag, int slot) {
        assert slot >= 0;
        int i = index(tag);
        while (values[i] != NONE) {
            assert keys[i] != tag : "duplicate tag " + tag;
            i = (i + 1) & mask;
        }
        keys[i] = tag;
        values[i] = slot;
        size++;
    }

    /** Removes {@code tag}; returns its slot, or -1 when it was absent. */
    int remove(long tag) {
        int i = index(tag);
        while (values[i] == NONE || keys[i] != tag) {
            if (values[i] == NONE) {
                return NONE;
            }
            i = (i + 1) & mask;
        }
        int removed = values[i];
        // Backward-shift deletion keeps every probe run unbroken without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != NONE; j = (j + 1) & mask) {
            int home = index(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = NONE;
        size--;
        return removed;
    }

    private int index(long tag) {
        return (int) ((tag * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
