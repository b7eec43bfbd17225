package io.ringio.io.channel;

import io.ringio.io.FileStat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One operation of a {@link ChannelIo}, from submission until its completion is delivered; then
 * it goes back to the pool and is reused. A plain mutable record: which fields mean something
 * depends on {@link #kind}.
 *
 * <p>Threads: the owner thread fills it in at submission; once dispatched, {@link #state},
 * {@link #where}, {@link #prev} and {@link #next} change only under the {@code ChannelIo} lock, and
 * a worker reads the rest while it runs the operation. The lock hands the record over in both
 * directions, so no field needs to be volatile.
 *
 * <pre>
 *  owner thread                     lock                          worker
 *  PENDING --dispatch--> QUEUED (WORK | TIMERS | OWNER) --take--> RUNNING
 *     |                     |                                        |
 *     +------cancel---------+----------> DONE <---------result-------+
 *                                         | delivered by poll/park
 *                                        FREE
 * </pre>
 */
final class ChannelOp {
    /** What the operation does: one per {@code Io} method. */
    enum Kind {
        OPEN, CLOSE, READ, WRITE, READV, WRITEV, SYNC, FSTAT, STAT, RENAME, UNLINK, RMDIR, MKDIR, ALLOCATE,
        TRUNCATE, NOP, TIMEOUT, CANCEL
    }

    /** Where the operation is in its life (see the class diagram). */
    enum State { FREE, PENDING, QUEUED, RUNNING, DONE }

    /** Which queue holds the operation while it is the head of a chain waiting to run. */
    enum Where { NONE, PENDING, WORK, TIMERS, OWNER }

    long tag;
    Kind kind;
    State state = State.FREE;
    Where where = Where.NONE;
    /** The operation before this one in its chain, until this one becomes the chain's head. */
    ChannelOp prev;
    /** The operation linked after this one, or null at the end of the chain. */
    ChannelOp next;

    /** The open file, holding one reference to it; null when the handle was not open (EBADF). */
    ChannelFile file;
    MemorySegment buf;
    MemorySegment[] bufs;
    long offset;
    long length;
    int flags;
    int mode;
    /** dataOnly for SYNC, noReplace for RENAME, keepSize for ALLOCATE. */
    boolean flag;
    Path path;
    Path path2;
    /** {@link #path} / {@link #path2} was written with a trailing slash: it must name a directory (Path drops the slash). */
    boolean dirOnly;
    boolean dirOnly2;
    FileStat stat;
    long nanos;
    /** When a TIMEOUT completes, in {@link System#nanoTime()} units, once it has started. */
    long deadline;
    long targetTag;
    /** Bytes a READ, WRITE, READV or WRITEV asks for; fewer breaks the chain. -1 for the others. */
    long requested = -1;
    int result;

    /** Whether {@code result} stops the operations linked after this one from running. */
    boolean breaksChain(int result) {
        return result < 0 || (requested >= 0 && result < requested);
    }

    /** Forgets everything, for the pool. */
    void clear() {
        tag = 0;
        kind = null;
        state = State.FREE;
        where = Where.NONE;
        prev = null;
        next = null;
        file = null;
        buf = null;
        bufs = null;
        offset = 0;
        length = 0;
        flags = 0;
        mode = 0;
        flag = false;
        path = null;
        path2 = null;
        dirOnly = false;
        dirOnly2 = false;
        stat = null;
        nanos = 0;
        deadline = 0;
        targetTag = 0;
        requested = -1;
        result = 0;
    }

    @Override
    public String toString() {
        return "ChannelOp[tag=" + tag + ", kind=" + kind + ", state=" + state + "]";
    }
}
