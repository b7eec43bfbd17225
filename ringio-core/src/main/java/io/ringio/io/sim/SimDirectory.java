package io.ringio.io.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A directory: its entries as readers see them now, the entries the disk holds durably, and the
 * entry changes between the two, which a sync of the directory makes durable (fsync(2): "Calling
 * fsync() does not necessarily ensure that the entry in the directory containing the file has
 * also reached disk. For that an explicit fsync() on a file descriptor for the directory is also
 * needed."). Sorted maps, so that a crash walks entries in the same order on every run.
 */
final class SimDirectory extends SimNode {
    /**
     * One namespace operation (a create, mkdir, unlink, rmdir or rename), which a crash keeps or
     * drops as a whole: a rename never leaves the file under both names or neither, even across
     * two directories, as journaling file systems promise. Syncing a directory that holds part of
     * it makes all of it durable, as committing the journal transaction that holds it would.
     */
    static final class NamespaceChange {
        /** Whether a crash keeps it: decided when a sync makes it durable or a crash first meets it. */
        Boolean kept;

        boolean keptAfterCrash(SimRandom random) {
            if (kept == null) {
                kept = random.chance(0.5);
            }
            return kept;
        }
    }

    /** An entry change not yet durable: {@code node} now under {@code name}, or null for removed. */
    record EntryChange(String name, SimNode node, NamespaceChange change) {}

    final TreeMap<String, SimNode> entries = new TreeMap<>();
    TreeMap<String, SimNode> durable = new TreeMap<>();
    final List<EntryChange> pending = new ArrayList<>();
    /** The directory that holds this one now; the root is its own parent. */
    SimDirectory parent;

    SimDirectory(int mode, long modifiedNanos, SimDirectory parent) {
        super(mode, modifiedNanos);
        this.parent = parent == null ? this : parent;
    }

    void put(String name, SimNode node, NamespaceChange change, long now) {
        entries.put(name, node);
        pending.add(new EntryChange(name, node, change));
        modifiedNanos = now;
        if (node instanceof SimDirectory child) {
            child.parent = this;
        }
    }

    void remove(String name, NamespaceChange change, long now) {
        entries.remove(name);
        pending.add(new EntryChange(name, null, change));
        modifiedNanos = now;
    }

    /** fsync of the directory: its entries as they are now become durable. */
    void sync() {
        for (EntryChange c : pending) {
            c.change().kept = true;
        }
        durable = new TreeMap<>(entries);
        pending.clear();
    }

    /** Whether this directory is {@code other} or lies somewhere beneath it. */
    boolean isWithin(SimDirectory other) {
        for (SimDirectory d = this; ; d = d.parent) {
            if (d == other) {
                return true;
            }
            if (d.parent == d) {
                return false;
            }
        }
    }
}
