package io.ringio.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A map from {@code long} keys to non-null values of fixed capacity: open addressing with linear
 * probing and backward-shift deletion, so that putting and removing allocate nothing and leave
 * no tombstones. Any {@code long} is a valid key (a position is free when its value is null).
 * Holds at most the limit it was made with, at a load factor of at most one half. Not
 * thread-safe. The in-flight tables of the ring and of both Io backends are built on it.
 *
 * @param <V> the value type; callers that need {@code int} values keep pre-boxed ones
 */
public final class LongTable<V> {
    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private final int limit;
    private int size;

    /** A table for at most {@code limit} keys. */
    public LongTable(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit + " must be >= 1");
        }
        int capacity = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }

    public boolean isFull() {
        return size >= limit;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        for (int i = index(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    public boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Adds a key known to be absent, with room for it (callers check both first). */
    public void put(long key, V value) {
        assert value != null : "null value for key " + key;
        assert size < limit : "size=" + size + " limit=" + limit;
        int i = index(key);
        while (values[i] != null) {
            assert keys[i] != key : "duplicate key " + key;
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}; returns its value, or null when it was absent. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = index(key);
        while (values[i] == null || keys[i] != key) {
            if (values[i] == null) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V removed = (V) values[i];
        // Backward-shift deletion: pull later members of the probe run into the hole so that
        // every remaining key stays reachable from its home position without tombstones.
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
        size--;
        return removed;
    }

    /** Calls {@code action} with every value; the table must not change meanwhile. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private int index(long key) {
        // Fibonacci hashing spreads sequential tags across the table.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
