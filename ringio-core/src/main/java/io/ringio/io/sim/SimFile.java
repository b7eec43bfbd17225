package io.ringio.io.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A regular file: what readers see now ({@link #current}), what the disk holds durably
 * ({@link #durable}), and the changes between the two, in order, that a sync makes durable and a
 * crash keeps, drops or tears.
 */
final class SimFile extends SimNode {
    static final int SECTOR_BYTES = 512;

    /** A write not yet durable, with a copy of its bytes as they were written. */
    record WriteChange(long offset, byte[] data) {}

    /** A change of size (truncate, allocate, open with TRUNCATE) not yet durable. */
    record ResizeChange(long size) {}

    SimContent current;
    SimContent durable;
    final List<Object> pending = new ArrayList<>();
    /** Sectors (offset / 512) that have gone bad; null while there are none. */
    TreeSet<Long> badSectors;

    SimFile(int mode, long modifiedNanos) {
        this(mode, modifiedNanos, new SimContent());
    }

    /** A file whose contents are all durable, as after a crash. */
    SimFile(int mode, long modifiedNanos, SimContent content) {
        super(mode, modifiedNanos);
        this.current = content;
        this.durable = content.copy();
    }

    long size() {
        return current.size();
    }

    void write(long offset, byte[] data, long now) {
        current.write(offset, data, 0, data.length);
        pending.add(new WriteChange(offset, data));
        modifiedNanos = now;
        healSectors(offset, data.length);
    }

    void resize(long size, long now) {
        current.resize(size);
        pending.add(new ResizeChange(size));
        modifiedNanos = now;
    }

    /** fsync: every pending change becomes durable. Pages freed on the way go to {@code pool}. */
    void sync(SimPagePool pool) {
        for (Object change : pending) {
            if (change instanceof WriteChange w && w.data().length == SimContent.PAGE_BYTES
                    && w.offset() % SimContent.PAGE_BYTES == 0) {
                // The change is about to be forgotten, so its private copy can become the durable page.
                pool.give(durable.adoptPage(w.offset(), w.data()));
            } else {
                apply(durable, change);
            }
        }
        pending.clear();
    }

    /** The fsyncgate failure: dirty pages are dropped, and readers see the durable contents. */
    void dropDirty() {
        current = durable.copy();
        pending.clear();
    }

    static void apply(SimContent content, Object change) {
        if (change instanceof WriteChange w) {
            content.write(w.offset(), w.data(), 0, w.data().length);
        } else {
            content.resize(((ResizeChange) change).size());
        }
    }

    /** Whether any sector of {@code [offset, offset + length)} has gone bad. */
    boolean hasBadSector(long offset, long length) {
        if (badSectors == null || length == 0) {
            return false;
        }
        Long bad = badSectors.ceiling(offset / SECTOR_BYTES);
        return bad != null && bad <= (offset + length - 1) / SECTOR_BYTES;
    }

    void markBad(long sector) {
        if (badSectors == null) {
            badSectors = new TreeSet<>();
        }
        badSectors.add(sector);
    }

    /** A write that covers a whole bad sector remaps it, as a disk does. */
    private void healSectors(long offset, long length) {
        if (badSectors == null) {
            return;
        }
        long first = (offset + SECTOR_BYTES - 1) / SECTOR_BYTES;
        long end = (offset + length) / SECTOR_BYTES;
        if (first < end) {
            badSectors.subSet(first, end).clear();
        }
        if (badSectors.isEmpty()) {
            badSectors = null;
        }
    }

    /**
     * The file as the disk shows it after a power cut: the durable contents, then each pending
     * change in order kept, dropped or (a write across a sector boundary) torn, by {@code random}.
     */
    SimFile afterCrash(SimRandom random) {
        SimContent content = durable.copy();
        for (Object change : pending) {
            if (change instanceof WriteChange w) {
                applyCrashedWrite(content, w, random);
            } else if (random.chance(0.5)) {
                apply(content, change);
            }
        }
        SimFile survivor = new SimFile(mode, modifiedNanos, content);
        if (badSectors != null) {
            survivor.badSectors = new TreeSet<>(badSectors);
        }
        return survivor;
    }

    private static void applyCrashedWrite(SimContent content, WriteChange w, SimRandom random) {
        long end = w.offset() + w.data().length;
        long firstBoundary = (w.offset() / SECTOR_BYTES + 1) * SECTOR_BYTES;
        boolean tearable = firstBoundary < end;
        switch (random.nextInt(tearable ? 3 : 2)) {
            case 0 -> content.write(w.offset(), w.data(), 0, w.data().length);
            case 1 -> { } // dropped: the write never reached the platter
            default -> {
                // Torn: the sectors up to a boundary inside the write made it, the rest did not.
                long boundaries = (end - 1 - firstBoundary) / SECTOR_BYTES + 1;
                long cut = firstBoundary + SECTOR_BYTES * random.nextLong(boundaries);
                content.write(w.offset(), w.data(), 0, (int) (cut - w.offset()));
            }
        }
    }
}
