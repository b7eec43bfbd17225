package io.ringio.file;

import io.ringio.loop.EventLoop;

/** What every view of one open file shares: its loop, handle and path, and whether it is closed. */
final class FileState {
    final EventLoop loop;
    final int handle;
    final String path;
    /** Blocking reads may try the page cache on the caller's thread first ({@link CachedReads}). */
    final boolean cachedReads;
    /** close() was called: new operations are refused. Any thread. */
    volatile boolean closed;
    /** Operations of this file in the Io. Loop thread only. */
    int inFlight;
    /** A close waiting for {@link #inFlight} to reach 0. Loop thread only. */
    FileOp<?> pendingClose;
    /**
     * The loop has taken the close (submitted it, or made it {@link #pendingClose}): an operation
     * that reaches the loop later, having passed the {@link #closed} check on its thread before
     * the close, is refused instead of started. Loop thread only.
     */
    boolean closeTaken;

    FileState(EventLoop loop, int handle, String path, int openFlags) {
        this.loop = loop;
        this.handle = handle;
        this.path = path;
        // Only where the handle is a kernel fd, and never with O_DIRECT, whose reads go to the
        // disk even with RWF_NOWAIT and would block the caller's carrier.
        this.cachedReads = loop.backend().kind() == io.ringio.io.IoBackend.Kind.URING
                && (openFlags & io.ringio.io.OpenFlags.DIRECT) == 0 && !Boolean.getBoolean(DISABLE_PROPERTY);
    }

    /** Set to true to send every blocking read through the ring (for measurements). */
    static final String DISABLE_PROPERTY = "ringio.cachedReads.disable";
}
