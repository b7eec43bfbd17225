package io.ringio.io.sim;

import java.util.ArrayDeque;

/**
 * Spare 4 KiB arrays: a sync that makes a pending write's copy the durable page frees the page it
 * replaces, and the next write of a page takes it for its copy. Without this, a simulation of
 * page-sized writes allocates a page per write, and the collector, not the simulator, sets the
 * pace. Bounded, so that a burst of syncs does not hold memory for good.
 */
final class SimPagePool {
    private static final int PAGES_MAX = 1024;

    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();

    /** A page-sized array with any contents; the caller overwrites all of it. */
    byte[] take() {
        byte[] page = spare.poll();
        return page != null ? page : new byte[SimContent.PAGE_BYTES];
    }

    /** Gives back a page nobody refers to any more; null is ignored. */
    void give(byte[] page) {
        if (page != null && spare.size() < PAGES_MAX) {
            spare.add(page);
        }
    }
}
