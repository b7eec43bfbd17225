package io.ringio.io.sim;

import io.ringio.io.OpenFlags;

/** An open file of one {@link SimIo}: what a handle names. */
final class SimHandle {
    final SimNode node;
    final int flags;
    /** The path the file was opened with, for fault rules and messages. */
    final String path;

    SimHandle(SimNode node, int flags, String path) {
        this.node = node;
        this.flags = flags;
        this.path = path;
    }

    boolean readable() {
        return (flags & OpenFlags.READ) != 0;
    }

    boolean writable() {
        return (flags & OpenFlags.WRITE) != 0;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
