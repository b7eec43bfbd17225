package io.ringio.file;

import java.lang.foreign.MemorySegment;

/** Checks and wraps a range of a byte array, for the {@code byte[]} overloads. */
final class RingFileArrays {
    private RingFileArrays() {}

    static MemorySegment slice(byte[] array, int offset, int length) {
        RingFile.checkNotNull(array, "array");
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " must lie within array.length="
                    + array.length);
        }
        return MemorySegment.ofArray(array).asSlice(offset, length);
    }
}
