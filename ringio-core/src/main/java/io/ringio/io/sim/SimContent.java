package io.ringio.io.sim;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes and size of one simulated file: sparse 4 KiB pages, so that a write at 5 GiB costs
 * one page. A page never stored reads as zeros, like a hole. Used twice per file: once for what
 * a reader sees now, once for what the disk holds durably.
 */
final class SimContent {
    static final int PAGE_BYTES = 4096;
    private static final int PAGE_SHIFT = 12;

    private final Map<Long, byte[]> pages;
    private long size;

    SimContent() {
        this.pages = new HashMap<>();
    }

    private SimContent(SimContent other) {
        this.pages = new HashMap<>(Math.max(16, other.pages.size() * 2));
        for (Map.Entry<Long, byte[]> e : other.pages.entrySet()) {
            pages.put(e.getKey(), e.getValue().clone());
        }
        this.size = other.size;
    }

    /** A deep copy: later changes to either do not show in the other. */
    SimContent copy() {
        return new SimContent(this);
    }

    long size() {
        return size;
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst}; the caller keeps within the size. */
    void read(long offset, MemorySegment dst, long dstOffset, int length) {
        assert offset + length <= size : "read [" + offset + ", +" + length + ") past size " + size;
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int inPage = (int) (at & (PAGE_BYTES - 1));
            int n = Math.min(length - done, PAGE_BYTES - inPage);
            byte[] page = pages.get(at >>> PAGE_SHIFT);
            if (page == null) {
                dst.asSlice(dstOffset + done, n).fill((byte) 0);
            } else {
                MemorySegment.copy(page, inPage, dst, ValueLayout.JAVA_BYTE, dstOffset + done, n);
            }
            done += n;
        }
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst}; holes and bytes past the size read as zeros. */
    void read(long offset, byte[] dst, int dstOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int inPage = (int) (at & (PAGE_BYTES - 1));
            int n = Math.min(length - done, PAGE_BYTES - inPage);
            byte[] page = at < size ? pages.get(at >>> PAGE_SHIFT) : null;
            if (page == null) {
                java.util.Arrays.fill(dst, dstOffset + done, dstOffset + done + n, (byte) 0);
            } else {
                System.arraycopy(page, inPage, dst, dstOffset + done, n);
            }
            done += n;
        }
    }

    /** Writes {@code length} bytes of {@code src} at {@code offset}, growing the size to cover them. */
    void write(long offset, MemorySegment src, long srcOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int inPage = (int) (at & (PAGE_BYTES - 1));
            int n = Math.min(length - done, PAGE_BYTES - inPage);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcOffset + done, page(at), inPage, n);
            done += n;
        }
        size = Math.max(size, offset + length);
    }

    /** Writes {@code length} bytes of {@code src} at {@code offset}, growing the size to cover them. */
    void write(long offset, byte[] src, int srcOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int inPage = (int) (at & (PAGE_BYTES - 1));
            int n = Math.min(length - done, PAGE_BYTES - inPage);
            System.arraycopy(src, srcOffset + done, page(at), inPage, n);
            done += n;
        }
        size = Math.max(size, offset + length);
    }

    private byte[] page(long at) {
        return pages.computeIfAbsent(at >>> PAGE_SHIFT, k -> new byte[PAGE_BYTES]);
    }

    /** Sets the size; bytes past a smaller size are gone, and read as zeros if the file grows again. */
    void resize(long newSize) {
        if (newSize < size) {
            long firstGone = (newSize + PAGE_BYTES - 1) >>> PAGE_SHIFT;
            pages.keySet().removeIf(index -> index >= firstGone);
            int inPage = (int) (newSize & (PAGE_BYTES - 1));
            byte[] last = inPage == 0 ? null : pages.get(newSize >>> PAGE_SHIFT);
            if (last != null) {
                java.util.Arrays.fill(last, inPage, PAGE_BYTES, (byte) 0);
            }
        }
        size = newSize;
    }

    /** Flips one bit, for a fault; the caller keeps within the size. */
    void flipBit(long offset, int bit) {
        byte[] page = page(offset);
        page[(int) (offset & (PAGE_BYTES - 1))] ^= (byte) (1 << bit);
    }
}
