package io.ringio.io.sim;

import io.ringio.io.FileStat;

import java.lang.foreign.MemorySegment;

/** One operation inside {@link SimIo}, from submission until its completion is delivered. */
final class SimOp {
    enum Code { OPEN, CLOSE, READ, WRITE, READV, WRITEV, SYNC, STAT_FILE, STAT_PATH, RENAME, UNLINK, RMDIR, MKDIR,
        ALLOCATE, TRUNCATE, NOP, TIMEOUT, CANCEL }

    enum State {
        /** Accepted; handed to the simulated kernel at the next poll or park. */
        WAITING,
        /** Linked behind an operation that has not completed yet. */
        CHAINED,
        /** Started: completes at {@link #dueNanos}. */
        RUNNING,
        /** Completed; its completion waits to be delivered. */
        READY
    }

    final long tag;
    final Code code;
    final SimOperation kind;
    /** Order of submission, for crashes: writes in flight reach the disk in the order they were issued. */
    final long submitted;
    State state = State.WAITING;
    /** Order among operations due at the same virtual time. */
    long startSeq;
    long dueNanos;
    int result;
    /** The operation linked behind this one, which starts only when this one succeeds in full. */
    SimOp next;

    // Arguments; which are used depends on the code.
    SimHandle file;
    MemorySegment buf;
    MemorySegment[] bufs;
    long offset;
    long length;
    int flags;
    int mode;
    boolean flag;
    String path;
    String path2;
    FileStat statOut;
    long targetTag;
    /**
     * Bytes a read or write asks for, set at submission (for readv and writev, the total that
     * {@code IoArguments.checkBuffers} returns); less is a short transfer, which breaks a chain. 0 for
     * the others.
     */
    long requested;

    SimOp(long tag, Code code, SimOperation kind, long submitted) {
        this.tag = tag;
        this.code = code;
        this.kind = kind;
        this.submitted = submitted;
    }
}
