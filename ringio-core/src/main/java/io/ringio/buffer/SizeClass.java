package io.ringio.buffer;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffers of one size in a {@link BufferPool}: one slab cut into {@code count} buffers, and a
 * lock-free stack (Treiber's) of the free ones. The stack's head packs a version in its high 32
 * bits with the top index plus one in its low 32 (0: empty), so that a pop that read a stale
 * {@code next} fails its compare-and-set instead of corrupting the stack (the ABA problem).
 */
final class SizeClass {
    private static final long VERSION_ONE = 1L << 32;
    private static final int FREE = 0;
    private static final int TAKEN = 1;

    final MemorySegment memory;
    final int size;
    private final AtomicLong head = new AtomicLong();
    /** Below each free buffer on the stack: the next one's index plus one, or 0. */
    private final int[] next;
    /** FREE or TAKEN per buffer, to refuse a second release. */
    private final AtomicIntegerArray state;

    SizeClass(MemorySegment memory, int size, int count) {
        this.memory = memory;
        this.size = size;
        this.next = new int[count];
        this.state = new AtomicIntegerArray(count);
        for (int i = count - 1; i >= 0; i--) {
            push(i);
        }
    }

    MemorySegment buffer(int index) {
        return memory.asSlice((long) index * size, size);
    }

    /** A free buffer's index, now taken, or -1 when none is free. */
    int take() {
        while (true) {
            long h = head.get();
            int top = (int) h;
            if (top == 0) {
                return -1;
            }
            // A plain read: if another thread changed the stack since head was read, the version
            // in head has changed too, and the compare-and-set below fails.
            long newHead = (h & ~0xFFFF_FFFFL) + VERSION_ONE | next[top - 1];
            if (head.compareAndSet(h, newHead)) {
                boolean wasFree = state.compareAndSet(top - 1, FREE, TAKEN);
                assert wasFree : "buffer " + (top - 1) + " of class " + size + " was on the free stack but taken";
                return top - 1;
            }
        }
    }

    /** Gives back the buffer at {@code index}; {@code buf} is only for the message of a second release. */
    void give(int index, MemorySegment buf) {
        if (!state.compareAndSet(index, TAKEN, FREE)) {
            throw new IllegalArgumentException("buf=" + buf + " was released already");
        }
        push(index);
    }

    private void push(int index) {
        while (true) {
            long h = head.get();
            next[index] = (int) h;
            long newHead = (h & ~0xFFFF_FFFFL) + VERSION_ONE | (index + 1);
            // The volatile compare-and-set publishes next[index] to the thread that pops it.
            if (head.compareAndSet(h, newHead)) {
                return;
            }
        }
    }

    /** The index of the buffer starting at {@code address}, or -1 if no buffer of this class starts there. */
    int indexOf(long address) {
        long offset = address - memory.address();
        if (offset < 0 || offset >= memory.byteSize() || offset % size != 0) {
            return -1;
        }
        return (int) (offset / size);
    }
}
