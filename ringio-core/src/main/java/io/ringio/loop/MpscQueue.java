package io.ringio.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free queue for many producers and one consumer (Dmitry Vyukov's bounded queue
 * with a sequence number per cell). A producer claims a cell by advancing the producer index
 * with a CAS, writes the element and publishes it by setting the cell's sequence; the consumer
 * takes cells in order and hands them back by advancing their sequence one lap.
 *
 * <pre>
 *   cell i:  seq == index       free for the producer whose claim is index
 *            seq == index + 1   holds the element of index, for the consumer
 *            seq == index + cap free again, for the producer one lap later
 * </pre>
 *
 * The consumer can close the queue ({@link #close}): it sets the top bit of the producer index,
 * so that a producer's claim, a CAS on that index, either came before the close or fails after it.
 * Every element offered successfully is therefore one the consumer can still take; none arrives
 * after the consumer's last look.
 */
final class MpscQueue<E> {
    private static final VarHandle PRODUCER;
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Set in the producer index once the queue is closed; the claims themselves never reach it. */
    private static final long CLOSED_BIT = Long.MIN_VALUE;

    static {
        try {
            PRODUCER = MethodHandles.lookup().findVarHandle(MpscQueue.class, "producerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long[] sequence;
    private final Object[] elements;
    @SuppressWarnings("unused") // through PRODUCER
    private volatile long producerIndex;
    /** Read and written by the consumer only. */
    private long consumerIndex;

    /** A queue of {@code capacity} cells, a power of two. */
    MpscQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two >= 2");
        }
        this.mask = capacity - 1;
        this.sequence = new long[capacity];
        this.elements = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequence[i] = i;
        }
    }

    int capacity() {
        return mask + 1;
    }

    /** Adds {@code e} at the tail; false when the queue is full or closed. Any thread. */
    boolean offer(E e) {
        while (true) {
            long index = producerIndex;
            if ((index & CLOSED_BIT) != 0) {
                return false;
            }
            int cell = (int) index & mask;
            // The cell's sequence, read with acquire: the consumer released it after taking its element.
            long seq = (long) SEQUENCE.getAcquire(sequence, cell);
            if (seq == index) {
                if (PRODUCER.compareAndSet(this, index, index + 1)) {
                    ELEMENT.set(elements, cell, e);
                    // Published with release: the element must be visible before the sequence says so.
                    SEQUENCE.setRelease(sequence, cell, index + 1);
                    return true;
                }
            } else if (seq < index) {
                return false;
            }
            // Another producer took the cell first: try again with the new index.
        }
    }

    /** Takes the head, or null when the queue is empty or its head is not yet published. Consumer only. */
    @SuppressWarnings("unchecked")
    E poll() {
        long index = consumerIndex;
        int cell = (int) index & mask;
        // Read with acquire: pairs with the producer's release of the same sequence.
        long seq = (long) SEQUENCE.getAcquire(sequence, cell);
        if (seq != index + 1) {
            return null;
        }
        E e = (E) ELEMENT.get(elements, cell);
        ELEMENT.set(elements, cell, null);
        consumerIndex = index + 1;
        // Handed back with release: the producer a lap later may write only after we read.
        SEQUENCE.setRelease(sequence, cell, index + elements.length);
        return e;
    }

    /**
     * Whether no producer has claimed a cell the consumer has not taken. Consumer only. A claimed
     * cell may not be published yet: {@link #poll} returns null for it until its producer's
     * release, the next instructions of its {@link #offer}.
     */
    boolean isEmpty() {
        return (producerIndex & ~CLOSED_BIT) == consumerIndex;
    }

    /**
     * Refuses every offer from now on. The cells claimed before stay for the consumer to take:
     * until {@link #isEmpty}, a {@link #poll} that returns null means a producer has yet to
     * publish. Consumer only; idempotent.
     */
    void close() {
        // An atomic OR on the index producers CAS: a claim is ordered before it, or fails.
        PRODUCER.getAndBitwiseOr(this, CLOSED_BIT);
    }

    /** Whether {@link #close} was called. Any thread. */
    boolean isClosed() {
        return (producerIndex & CLOSED_BIT) != 0;
    }
}
