package io.ringio.file;

import io.ringio.loop.EventLoop;

/** What every view of one open file shares: its loop, handle and path, and whether it is closed. */
final class FileState {
    final EventLoop loop;
    final int handle;
    final String path;
    /** close() was called: new operations are refused. Any thread. */
    volatile boolean closed;
    /** Operations of this file in the Io. Loop thread only. */
    int inFlight;
    /** A close waiting for {@link #inFlight} to reach 0. Loop thread only. */
    FileOp<?> pendingClose;
    /** The Io has closed the handle. Loop thread only. */
    boolean closedInIo;

    FileState(EventLoop loop, int handle, String path) {
        this.loop = loop;
        this.handle = handle;
        this.path = path;
    }
}
