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

    /**
     * Pages below this index live in a plain array, grown as far as the file reaches: most files
     * are smaller than {@code DENSE_PAGES_MAX * PAGE_BYTES} (1 GiB), and an array index is much
     * cheaper than a hash lookup of a boxed key. Pages above it, such as those of a write at
     * 5 GiB into a sparse file, go to a map.
     */
    private static final int DENSE_PAGES_MAX = 1 << 18;
    private static final byte[][] NO_PAGES = new byte[0][];

    private byte[][] dense;
    private final Map<Long, byte[]> sparse;
    private long size;

    SimContent() {
        this.dense = NO_PAGES;
        this.sparse = new HashMap<>();
    }

    private SimContent(SimContent other) {
        this.dense = new byte[other.dense.length][];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = other.dense[i] == null ? null : other.dense[i].clone();
        }
        this.sparse = new HashMap<>();
        for (Map.Entry<Long, byte[]> e : other.sparse.entrySet()) {
            sparse.put(e.getKey(), e.getValue().clone());
        }
        this.size = other.size;
    }

    /** The page at {@code index}, or null for a hole. */
    private byte[] pageAt(long index) {
        if (index < DENSE_PAGES_MAX) {
            return index < dense.length ? dense[(int) index] : null;
        }
        return sparse.get(index);
    }

    /** Stores {@code page} at {@code index}; the array becomes this content's own. */
    private void putPage(long index, byte[] page) {
        if (index < DENSE_PAGES_MAX) {
            if (index >= dense.length) {
                dense = java.util.Arrays.copyOf(dense, (int) Math.min(DENSE_PAGES_MAX,
                        Math.max(index + 1, 2L * dense.length)));
            }
            dense[(int) index] = page;
        } else {
            sparse.put(index, page);
        }
    }

    /**
     * Writes a whole page, aligned, taking {@code page} itself instead of copying it: for a sync,
     * which hands over the pending write's private copy. The caller must not touch it again.
     * Returns the page it replaced, now nobody's, or null.
     */
    byte[] adoptPage(long offset, byte[] page) {
        assert (offset & (PAGE_BYTES - 1)) == 0 && page.length == PAGE_BYTES : "offset=" + offset;
        long index = offset >>> PAGE_SHIFT;
        byte[] replaced = pageAt(index);
        putPage(index, page);
        size = Math.max(size, offset + PAGE_BYTES);
        return replaced;
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
            byte[] page = pageAt(at >>> PAGE_SHIFT);
            if (page == null) {
                dst.asSlice(dstOffset + done, n).fill((byte) 0);
            } else {
                MemorySegment.copy(page, inPage, dst, ValueLayout.JAVA_BYTE, dstOffset + done, n);
            }
            done += n;
        }
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
        long index = at >>> PAGE_SHIFT;
        byte[] page = pageAt(index);
        if (page == null) {
            page = new byte[PAGE_BYTES];
            putPage(index, page);
        }
        return page;
    }

    /** Sets the size; bytes past a smaller size are gone, and read as zeros if the file grows again. */
    void resize(long newSize) {
        if (newSize < size) {
            long firstGone = (newSize + PAGE_BYTES - 1) >>> PAGE_SHIFT;
            sparse.keySet().removeIf(index -> index >= firstGone);
            for (long i = firstGone; i < dense.length; i++) {
                dense[(int) i] = null;
            }
            int inPage = (int) (newSize & (PAGE_BYTES - 1));
            byte[] last = inPage == 0 ? null : pageAt(newSize >>> PAGE_SHIFT);
            if (last != null) {
                java.util.Arrays.fill(last, inPage, PAGE_BYTES, (byte) 0);
            }
        }
        size = newSize;
    }
}
