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
 */
final class MpscQueue<E> {
    private static final VarHandle PRODUCER;
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);

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

    /** Adds {@code e} at the tail; false when the queue is full. Any thread. */
    boolean offer(E e) {
        while (true) {
            long index = producerIndex;
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

    /** Whether a producer has claimed a cell the consumer has not taken. Consumer only. */
    boolean isEmpty() {
        return producerIndex == consumerIndex;
    }
}
