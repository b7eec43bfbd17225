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
     * An entry change not yet durable: {@code node} now under {@code name}, or null for removed.
     * {@code seq} numbers the namespace operation it belongs to (a create, mkdir, unlink, rmdir or
     * rename) in the order of all of them in the file system; the two changes of a rename share
     * one, so that a crash keeps or drops the rename whole.
     */
    record EntryChange(String name, SimNode node, long seq) {}

    final TreeMap<String, SimNode> entries = new TreeMap<>();
    TreeMap<String, SimNode> durable = new TreeMap<>();
    final List<EntryChange> pending = new ArrayList<>();
    /** The directory that holds this one now; the root is its own parent. */
    SimDirectory parent;

    SimDirectory(int mode, long modifiedNanos, SimDirectory parent) {
        super(mode, modifiedNanos);
        this.parent = parent == null ? this : parent;
    }

    void put(String name, SimNode node, long seq, long now) {
        entries.put(name, node);
        pending.add(new EntryChange(name, node, seq));
        modifiedNanos = now;
        if (node instanceof SimDirectory child) {
            child.parent = this;
        }
    }

    void remove(String name, long seq, long now) {
        entries.remove(name);
        pending.add(new EntryChange(name, null, seq));
        modifiedNanos = now;
    }

    /** fsync of the directory: its entries as they are now become durable. */
    void sync() {
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
