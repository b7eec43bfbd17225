package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.CancelledException;
import io.ringio.io.ErrnoException;
import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.OpenFlags;
import io.ringio.io.TimedOutException;
import io.ringio.loop.LoopFuture;
import io.ringio.loop.OpKind;
import io.ringio.sys.Errno;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * One operation of the file layer, and its future. A single class for every kind, so that the
 * hot path allocates this object and nothing else: what the kind needs is in its fields.
 *
 * <p>Heap memory is copied through a buffer from the loop's {@link BufferPool}, at most
 * {@link BufferPool#CLASS_MAX_BYTES} per step: a write's first chunk is copied on the calling
 * thread before submission, a read's on the loop thread when it completes. The pooled buffer is
 * released when the operation settles, never before its last completion.
 *
 * <p>A blocking operation does not complete its future (which would box its result): the caller
 * waits for it to settle and reads {@link #count} or {@link #error}.
 */
final class FileOp<T> extends LoopFuture<T> {
    static final int OPEN = 1;
    static final int READ = 2;
    static final int WRITE = 3;
    static final int READV = 4;
    static final int WRITEV = 5;
    static final int SYNC = 6;
    static final int DATASYNC = 7;
    static final int SIZE = 8;
    static final int TRUNCATE = 9;
    static final int ALLOCATE = 10;
    static final int CLOSE = 11;
    static final int MKDIR = 12;
    static final int DELETE = 13;
    static final int RENAME = 14;
    static final int SYNC_DIRECTORY = 15;

    /** Sizes of full transfers that commonly complete, boxed once: a read future then allocates nothing more. */
    private static final int BOXED_STEP = 512;
    private static final Integer[] BOXED = new Integer[BufferPool.CLASS_MAX_BYTES / BOXED_STEP + 1];

    static {
        for (int i = 0; i < BOXED.length; i++) {
            BOXED[i] = i * BOXED_STEP;
        }
    }

    final int code;
    final FileState file;
    final boolean blocking;
    String path;
    String path2;
    int flags;
    int mode;

    /** What goes to the kernel: the caller's native memory, or a slice of {@link #pooled}. */
    MemorySegment kernel;
    /** The caller's memory when it is on the heap, else null. */
    MemorySegment heap;
    MemorySegment pooled;
    BufferPool pool;
    ByteBuffer byteBuffer;
    MemorySegment[] vector;
    long offset;
    long length;
    boolean keepSize;
    boolean fully;
    /** Bytes moved so far by a readFully or writeFully. */
    long moved;
    FileStat stat;
    int step;
    int directoryHandle = -1;
    /** The outcome of a blocking operation: a count, size or handle; or the failure. */
    long count;
    Throwable error;
    /** finish() ran: the operation succeeded, whatever a later cancel of its future says. */
    boolean succeeded;
    /**
     * The operation counts in its file's {@link FileState#inFlight}: from when the loop takes it
     * until it settles, across all its steps, so that a close waits for it to the last step and
     * no step reaches the kernel after the close (the fd number could by then name another file).
     */
    private boolean counted;
    /** The completion being handled asked for another step ({@link #repeat}). */
    private boolean repeating;
    /**
     * A read that is not a readFully, which the page cache answered only in part: it goes on,
     * through the ring if need be, until its first chunk ({@link #length} from then on) is full
     * or the file ends, and counts all it read. If the rest fails with an I/O error, it counts
     * what it had read ({@link #endsReadShort}).
     */
    private boolean toEnd;
    jdk.jfr.Event event;

    FileOp(int code, FileState file, boolean blocking) {
        this.code = code;
        this.file = file;
        this.blocking = blocking;
    }

    // ------------------------------------------------------------------ start

    @Override
    protected boolean start(Io io, long tag) {
        if (file != null && !counted) {
            // Not counted when the loop took it: it passed the closed check on its thread before
            // the close, and reached the loop after it. The fd is closed, or soon will be, and
            // its number may name another file.
            throw new ClosedBeforeStart();
        }
        boolean accepted = switch (code) {
            case OPEN -> io.open(tag, path, flags, mode);
            case READ -> io.read(tag, file.handle, kernel, offset);
            case WRITE -> io.write(tag, file.handle, kernel, offset);
            case READV -> io.readv(tag, file.handle, vector, offset);
            case WRITEV -> io.writev(tag, file.handle, vector, offset);
            case SYNC, DATASYNC -> io.sync(tag, file.handle, code == DATASYNC);
            case SIZE -> io.stat(tag, file.handle, stat);
            case TRUNCATE -> io.truncate(tag, file.handle, length);
            case ALLOCATE -> io.allocate(tag, file.handle, offset, length, keepSize);
            case CLOSE -> io.close(tag, file.handle);
            case MKDIR -> io.mkdir(tag, path, mode);
            case DELETE -> step == 0 ? io.unlink(tag, path) : io.rmdir(tag, path);
            case RENAME -> io.rename(tag, path, path2, (flags & 1) != 0);
            case SYNC_DIRECTORY -> switch (step) {
                case 0 -> io.open(tag, path, OpenFlags.DIRECTORY | OpenFlags.READ, 0);
                case 1 -> io.sync(tag, directoryHandle, false);
                default -> io.close(tag, directoryHandle);
            };
            default -> throw new AssertionError("operation code " + code);
        };
        return accepted;
    }

    /**
     * Counts the operation in its file's operations in flight when the loop takes it, in order
     * with the close's own task: one taken before the close (waiting for room in the Io, say) is
     * waited for by the close; one taken after is refused ({@link #start}).
     */
    @Override
    protected void taken() {
        if (file != null && (code == CLOSE || !file.closeTaken)) {
            counted = true;
            file.inFlight++;
        }
    }

    @Override
    protected OpKind kind() {
        return switch (code) {
            case READ, READV -> OpKind.READ;
            case WRITE, WRITEV -> OpKind.WRITE;
            case SYNC, DATASYNC -> OpKind.SYNC;
            default -> OpKind.OTHER;
        };
    }

    // ------------------------------------------------------------------ completion

    @Override
    protected void completed(int result) {
        repeating = false;
        try {
            switch (code) {
                case READ -> readCompleted(result);
                case WRITE -> writeCompleted(result);
                case SYNC_DIRECTORY -> syncDirectoryStep(result);
                case DELETE -> deleteStep(result);
                default -> simpleCompleted(result);
            }
        } finally {
            if (!repeating) {
                uncount();
            }
        }
    }

    @Override
    protected void rejected(Throwable cause) {
        try {
            releasePooled();
            fail(cause instanceof ClosedBeforeStart ? new java.nio.channels.ClosedChannelException() : cause);
        } finally {
            // A later step refused by the loop (cancelled between steps, or the loop closing).
            uncount();
        }
    }

    @Override
    protected Throwable cancelledBetweenSteps() {
        return failure(-Errno.ECANCELED, name(), file != null ? file.path : path);
    }

    /**
     * Thrown by {@link #start} for an operation the loop took after its file's close;
     * {@link #rejected} turns it into the ClosedChannelException of a closed file.
     */
    private static final class ClosedBeforeStart extends RuntimeException {
        ClosedBeforeStart() {
            super(null, null, false, false);
        }
    }

    /**
     * Another step of this operation: it keeps counting in its file's operations in flight. The
     * last thing a step's completion does: a completion that threw after it would leave the
     * operation counted.
     */
    private void repeat() {
        repeating = true;
        again();
    }

    /** The operation has ended: it no longer counts in its file's, and a close waiting for that may go. */
    private void uncount() {
        if (!counted) {
            return;
        }
        counted = false;
        file.inFlight--;
        if (file.inFlight == 0 && file.pendingClose != null) {
            FileOp<?> close = file.pendingClose;
            file.pendingClose = null;
            if (file.loop.isClosed()) {
                // As RingFile.closeOp says of a closed loop: its Io closes the file with it.
                close.alreadyClosed();
            } else {
                file.loop.submit(close);
            }
        }
    }

    private void readCompleted(int n) {
        if (n < 0 && toEnd && moved > 0 && n != -Errno.ECANCELED) {
            // The rest of a read the page cache answered in part failed: the bytes it already
            // has are the count, as one pread's that met the error there; the next read meets
            // it again. A cancel (an interrupt, a timeout, the loop's close) still fails.
            finish(moved);
        } else if (n < 0) {
            fail(failure(n, "read", file.path));
        } else if (!tookRead(n)) {
            if (isCancelled()) {
                releasePooled();
            } else {
                repeat();
            }
        }
    }

    /**
     * Takes {@code n} bytes read: copies them out of the pooled buffer, advances the buffer's
     * position, and ends the operation, unless a readFully (or a read the page cache answered in
     * part, {@link #toEnd}) has more to read: then the offset and the memory move past what was
     * read, and this returns false.
     */
    private boolean tookRead(int n) {
        if (heap != null && n > 0) {
            MemorySegment.copy(pooled, 0, heap, moved, n);
        }
        moved += n;
        if (byteBuffer != null) {
            byteBuffer.position(byteBuffer.position() + n);
        }
        commitRead(n);
        if (!fully && !toEnd) {
            finish(n);
            return true;
        }
        long left = length - moved;
        if (left == 0 || (n == 0 && toEnd)) {
            finish(moved);
            return true;
        }
        if (n == 0) {
            fail(new EOFException("read " + file.path + ": end of file at offset " + offset
                    + " with " + left + " of " + length + " bytes still to read"));
            return true;
        }
        offset += n;
        nextChunk(left);
        return false;
    }

    /**
     * Whether {@code failure}, thrown by the rest of a read (not a readFully) that has already
     * read some bytes, makes that read end short with them instead of failing: an I/O error of
     * the file (an {@link ErrnoException} of the kernel's), as pread returns the count of what it
     * had copied before one and leaves the error to the next call. A cancel (an interrupt, a
     * timeout), a closed file or a closed loop is not the file's answer and still fails.
     */
    static boolean endsReadShort(Throwable failure) {
        return failure instanceof ErrnoException e && !(e instanceof CancelledException) && !(e instanceof TimedOutException);
    }

    /** Counts a read served by {@link CachedReads} in the stats of the file's loop. */
    static void countCachedRead(FileState file, long bytes) {
        countPageCacheRead(file.loop, bytes);
    }

    /**
     * The fast path of a blocking read of a buffered file on io_uring: reads what the page cache
     * holds on the calling thread ({@link CachedReads}), without the loop. Returns true when that
     * ended the operation (it is then settled); false when the rest must go through the ring:
     * the data is not cached, or the read failed (the ring then reports the failure its own way).
     */
    boolean tryCachedRead() {
        if (file.closed) {
            return false;
        }
        beginEvent();
        while (true) {
            long n = CachedReads.read(file, kernel, offset);
            if (n < 0) {
                return false;
            }
            countCachedRead(file, n);
            // Not past 2 GiB, where a count would not fit the int a read returns: there the
            // kernel's cap (MAX_RW_COUNT) makes a pread short too.
            if (!fully && !toEnd && n > 0 && n < kernel.byteSize() && kernel.byteSize() <= Integer.MAX_VALUE) {
                // Only part was cached: the rest too, until the chunk is full or the file ends,
                // so that a short count means the end of the file, as one pread's does.
                toEnd = true;
                length = kernel.byteSize();
            }
            if (tookRead((int) n)) {
                settleWithoutIo();
                return true;
            }
        }
    }

    private void writeCompleted(int n) {
        if (n < 0) {
            fail(failure(n, "write", file.path));
            return;
        }
        moved += n;
        if (byteBuffer != null) {
            byteBuffer.position(byteBuffer.position() + n);
        }
        commitWrite(n);
        if (!fully) {
            finish(n);
            return;
        }
        long left = length - moved;
        if (left == 0) {
            finish(moved);
        } else if (n == 0) {
            fail(new IOException("write " + file.path + ": the kernel wrote 0 bytes at offset " + offset
                    + " with " + left + " still to write"));
        } else if (!isCancelled()) {
            offset += n;
            nextChunk(left);
            if (heap != null) {
                MemorySegment.copy(heap, moved, kernel, 0, kernel.byteSize());
            }
            repeat();
        } else {
            releasePooled();
        }
    }

    /** Points {@link #kernel} at what is left: the caller's memory past what moved, or the pooled buffer again. */
    private void nextChunk(long left) {
        if (heap != null) {
            kernel = pooled.asSlice(0, Math.min(left, pooled.byteSize()));
        } else {
            kernel = kernel.asSlice(kernel.byteSize() - left);
        }
    }

    private void simpleCompleted(int result) {
        if (result < 0) {
            fail(failure(result, name(), file != null ? file.path : path));
            return;
        }
        if (code == SYNC || code == DATASYNC) {
            commitForce();
        }
        finish(code == SIZE ? stat.size() : result);
    }

    private void syncDirectoryStep(int result) {
        switch (step) {
            case 0 -> {
                if (result < 0) {
                    fail(failure(result, "open", path));
                    return;
                }
                directoryHandle = result;
                step = 1;
                repeat();
            }
            case 1 -> {
                // The directory is closed whatever the sync said.
                if (result < 0) {
                    error = failure(result, "fsync", path);
                }
                step = 2;
                repeat();
            }
            default -> {
                if (error != null) {
                    fail(error);
                } else if (result < 0) {
                    fail(failure(result, "close", path));
                } else {
                    finish(0);
                }
            }
        }
    }

    /**
     * A sync of a directory opens it, syncs it and closes it; a cancel between the steps would
     * leave it open, so it cannot be cancelled: this returns false for it.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return code != SYNC_DIRECTORY && super.cancel(mayInterruptIfRunning);
    }

    private void deleteStep(int result) {
        if (step == 0 && result == -Errno.EISDIR) {
            step = 1;
            repeat();
            return;
        }
        if (result < 0) {
            fail(failure(result, step == 0 ? "unlink" : "rmdir", path));
        } else {
            finish(0);
        }
    }

    private String name() {
        return switch (code) {
            case OPEN -> "open";
            case READ -> "read";
            case WRITE -> "write";
            case READV -> "readv";
            case WRITEV -> "writev";
            case SYNC -> "fsync";
            case DATASYNC -> "fdatasync";
            case SIZE -> "stat";
            case TRUNCATE -> "truncate";
            case ALLOCATE -> "fallocate";
            case CLOSE -> "close";
            case MKDIR -> "mkdir";
            case RENAME -> "rename";
            case DELETE -> step == 0 ? "unlink" : "rmdir";
            case SYNC_DIRECTORY -> step == 0 ? "open" : step == 1 ? "fsync" : "close";
            default -> "operation " + code;
        };
    }

    // ------------------------------------------------------------------ outcome

    @SuppressWarnings("unchecked")
    private void finish(long value) {
        releasePooled();
        count = value;
        succeeded = true;
        if (blocking) {
            return;
        }
        Object boxed = switch (code) {
            case READ, WRITE, READV, WRITEV -> fully ? null : box((int) value);
            case SIZE -> value;
            // OPEN too: RingFile.open completes its own future from the handle.
            default -> null;
        };
        complete((T) boxed);
    }

    private void fail(Throwable cause) {
        releasePooled();
        error = cause;
        if (!blocking) {
            completeExceptionally(cause);
        }
    }

    private static Integer box(int n) {
        return n >= 0 && n % BOXED_STEP == 0 && n / BOXED_STEP < BOXED.length ? BOXED[n / BOXED_STEP] : Integer.valueOf(n);
    }

    private void releasePooled() {
        if (pooled != null) {
            MemorySegment p = pooled;
            pooled = null;
            pool.release(p);
        }
    }

    /** Refuses this operation, never submitted, because its file is closed. */
    void rejectClosed() {
        fail(new java.nio.channels.ClosedChannelException());
        settleWithoutIo();
    }

    /** Ends a close, never submitted, of a file that is closed already. */
    void alreadyClosed() {
        finish(0);
        settleWithoutIo();
    }

    /** The failure to throw from a blocking call: the one recorded, or the future's own. */
    Throwable failureOrNull() {
        if (error != null) {
            return error;
        }
        if (succeeded) {
            return null;
        }
        if (isCancelled()) {
            return new CancellationException(name() + " cancelled");
        }
        return null;
    }

    // ------------------------------------------------------------------ JFR

    void beginEvent() {
        jdk.jfr.Event e = switch (code) {
            case READ -> FileEvents.READ.isEnabled() ? new FileReadEvent() : null;
            case WRITE -> FileEvents.WRITE.isEnabled() ? new FileWriteEvent() : null;
            case SYNC, DATASYNC -> FileEvents.FORCE.isEnabled() ? new FileForceEvent() : null;
            default -> null;
        };
        if (e != null) {
            e.begin();
            event = e;
        }
    }

    private void commitRead(int n) {
        if (event instanceof FileReadEvent e) {
            event = null;
            e.end();
            if (e.shouldCommit()) {
                e.path = file.path;
                e.offset = offset;
                e.bytesRead = n;
                e.endOfFile = n == 0;
                e.commit();
            }
        }
    }

    private void commitWrite(int n) {
        if (event instanceof FileWriteEvent e) {
            event = null;
            e.end();
            if (e.shouldCommit()) {
                e.path = file.path;
                e.offset = offset;
                e.bytesWritten = n;
                e.commit();
            }
        }
    }

    private void commitForce() {
        if (event instanceof FileForceEvent e) {
            event = null;
            e.end();
            if (e.shouldCommit()) {
                e.path = file.path;
                e.metaData = code == SYNC;
                e.commit();
            }
        }
    }
}
