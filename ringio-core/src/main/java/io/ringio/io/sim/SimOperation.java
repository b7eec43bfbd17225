package io.ringio.io.sim;

/** The kinds of {@link io.ringio.io.Io} operation the simulator tells apart, for latencies and faults. */
public enum SimOperation {
    NOP,
    /** A timeout: it completes after its own duration, not after a latency. */
    TIMEOUT,
    CANCEL,
    OPEN,
    CLOSE,
    /** read and readv. */
    READ,
    /** write and writev. */
    WRITE,
    /** fsync and fdatasync, of files and of directories. */
    SYNC,
    /** stat by handle or by path. */
    STAT,
    /** rename, unlink, mkdir and rmdir: changes to directory entries. */
    NAMESPACE,
    /** allocate and truncate. */
    RESIZE
}
