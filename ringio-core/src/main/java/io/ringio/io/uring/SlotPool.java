package io.ringio.io.uring;

/** A stack of free slot numbers {@code 0..size-1}: take and give back without allocation. */
final class SlotPool {
    private final int[] free;
    private int top;

    SlotPool(int size) {
        free = new int[size];
        for (int i = 0; i < size; i++) {
            free[i] = size - 1 - i; // slot 0 is taken first
        }
        top = size;
    }

    int available() {
        return top;
    }

    int capacity() {
        return free.length;
    }

    /** A free slot, or -1 when none is left. */
    int take() {
        return top == 0 ? -1 : free[--top];
    }

    void give(int slot) {
        assert top < free.length : "slot " + slot + " given back twice";
        free[top++] = slot;
    }
}
