package io.ringio.io.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Fixed-size pieces of native scratch memory (paths, iovec arrays, statx buffers) handed out by
 * number. Memory comes from the owner's long-lived arena in chunks, only when every piece so far
 * is in use, up to {@code maxSlots} pieces; so a burst costs memory once and steady use costs
 * nothing. Pieces are sliced when their chunk is made, so taking one allocates nothing.
 */
final class NativeSlots {
    private final Arena arena;
    private final long slotBytes;
    private final int chunkSlots;
    private final int maxSlots;
    private MemorySegment[] slices = new MemorySegment[0];
    private int[] free = new int[0];
    private int top;

    NativeSlots(Arena arena, long slotBytes, int chunkSlots, int maxSlots) {
        this.arena = arena;
        this.slotBytes = slotBytes;
        this.chunkSlots = chunkSlots;
        this.maxSlots = maxSlots;
    }

    /** A free piece's number, or -1 when {@code maxSlots} are all in use. */
    int take() {
        if (top == 0 && !grow()) {
            return -1;
        }
        return free[--top];
    }

    void give(int slot) {
        assert top < free.length : "piece " + slot + " given back twice";
        free[top++] = slot;
    }

    MemorySegment get(int slot) {
        return slices[slot];
    }

    /** Pieces made so far, for tests. */
    int made() {
        return slices.length;
    }

    private boolean grow() {
        int have = slices.length;
        int add = Math.min(chunkSlots, maxSlots - have);
        if (add <= 0) {
            return false;
        }
        MemorySegment chunk = arena.allocate(add * slotBytes, 8);
        slices = Arrays.copyOf(slices, have + add);
        free = Arrays.copyOf(free, have + add);
        for (int i = 0; i < add; i++) {
            slices[have + i] = chunk.asSlice(i * slotBytes, slotBytes);
            free[top++] = have + add - 1 - i;
        }
        return true;
    }
}
