package io.ringio.io.channel;

import java.util.Arrays;

/**
 * The operations in flight by tag: an open addressing hash map from {@code long} to
 * {@link ChannelOp} with linear probing and backward-shift deletion, so that adding and removing
 * allocate nothing and leave no tombstones. Any {@code long} is a valid key (a slot is free when
 * its value is null). Holds at most the limit it was made with. Not thread-safe: only the owner
 * thread of a {@link ChannelIo} uses it.
 */
final class TagTable {
    private final long[] keys;
    private final ChannelOp[] values;
    private final int mask;
    private final int limit;
    private int size;

    /** A table of at most {@code limit} entries, at a load factor of at most one half. */
    TagTable(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit + " must be >= 1");
        }
        int slots = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) * 2;
        keys = new long[slots];
        values = new ChannelOp[slots];
        mask = slots - 1;
        this.limit = limit;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size >= limit;
    }

    /** The operation with {@code tag}, or null. */
    ChannelOp get(long tag) {
        for (int i = index(tag); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == tag) {
                return values[i];
            }
        }
        return null;
    }

    /** Adds an operation whose tag is absent, with room for it (callers check both first). */
    void put(long tag, ChannelOp op) {
        assert op != null;
        assert size < limit : "size=" + size + " limit=" + limit;
        int i = index(tag);
        while (values[i] != null) {
            assert keys[i] != tag : "duplicate tag " + tag;
            i = (i + 1) & mask;
        }
        keys[i] = tag;
        values[i] = op;
        size++;
    }

    /** Removes the entry for {@code tag}; returns false when there was none. */
    boolean remove(long tag) {
        int i = index(tag);
        while (values[i] == null || keys[i] != tag) {
            if (values[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole so that
        // every remaining entry stays reachable from its home slot without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = index(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
        size--;
        return true;
    }

    /** Calls {@code action} with every operation; the table must not change meanwhile. */
    void forEach(java.util.function.Consumer<ChannelOp> action) {
        for (ChannelOp op : values) {
            if (op != null) {
                action.accept(op);
            }
        }
    }

    void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0);
        size = 0;
    }

    private int index(long tag) {
        // Fibonacci hashing spreads sequential tags across the table.
        return (int) ((tag * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
