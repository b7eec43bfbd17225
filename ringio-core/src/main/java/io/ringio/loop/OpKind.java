package io.ringio.loop;

/** What an operation does, for the loop's {@link EventLoopStats counters}. */
public enum OpKind {
    /** Reads data: its positive results count as bytes read. */
    READ,
    /** Writes data: its positive results count as bytes written. */
    WRITE,
    /** fsync and fdatasync. */
    SYNC,
    /** Everything else: open, close, stat, metadata, directories. */
    OTHER,
    /** What the loop submits on its own behalf: timers and cancels. Not counted as completed work. */
    INTERNAL
}
