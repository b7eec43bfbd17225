package io.ringio.io.sim;

/** A simulated file or directory: what a directory entry names, an inode. */
abstract sealed class SimNode permits SimFile, SimDirectory {
    final int mode;
    /** Virtual time of the last change, in nanoseconds; the epoch is added when it is reported. */
    long modifiedNanos;

    SimNode(int mode, long modifiedNanos) {
        this.mode = mode;
        this.modifiedNanos = modifiedNanos;
    }
}
