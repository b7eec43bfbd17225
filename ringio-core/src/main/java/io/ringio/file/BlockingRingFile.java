package io.ringio.file;

import io.ringio.loop.EventLoop;
import io.ringio.loop.LoopClosedException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The blocking twins of a {@link RingFile}'s methods: each submits the same operation and parks
 * the calling thread until it settles. A virtual thread unmounts while it waits, and its carrier
 * is not pinned. On a stepped loop's own thread the call runs the loop instead; on a started
 * loop's own thread it is refused with {@link IllegalStateException}, since the loop would wait
 * for itself. An interrupt cancels the operation, waits for it to settle, and then throws
 * {@link InterruptedIOException} (with the interrupt status set) unless the operation had
 * completed anyway. Failures are thrown as they are: the typed
 * {@link io.ringio.io.ErrnoException}s, {@link java.nio.channels.ClosedChannelException},
 * {@link LoopClosedException}.
 */
public final class BlockingRingFile {
    private final RingFile file;

    BlockingRingFile(RingFile file) {
        this.file = file;
    }

    /** The file whose twins these are. */
    public RingFile file() {
        return file;
    }

    /**
     * As a pread: a count short of the request means the end of the file. When some bytes have
     * been read (from the page cache) and the rest fails with an I/O error (an
     * {@link io.ringio.io.ErrnoException} of the kernel's), this returns the count of those bytes
     * and the next read meets the error; an interrupt, a timeout or a close still throws.
     *
     * @see RingFile#readAt(MemorySegment, long)
     */
    public int readAt(MemorySegment dst, long position) throws IOException {
        long done = 0;
        while (true) {
            MemorySegment rest = done == 0 ? dst : dst.asSlice(done);
            long n = readCached(rest, position + done);
            if (n >= 0) {
                done += n;
                if (n == 0 || done == dst.byteSize()) {
                    return (int) done;
                }
                // Only part was cached: the rest too, so that a short count means the end of
                // the file, as one pread's does.
                continue;
            }
            FileOp<?> op = file.transfer(FileOp.READ, rest, null, position + done, false, true);
            try {
                return (int) (done + (n == CACHE_MISSED ? runOnRing(op) : run(op)));
            } catch (IOException e) {
                if (done > 0 && FileOp.endsReadShort(e)) {
                    // What the page cache gave is the count, as a pread's that met the error
                    // after it; the next read meets the error again.
                    return (int) done;
                }
                throw e;
            }
        }
    }

    /**
     * Like {@link #readAt(MemorySegment, long)}, an I/O error after some bytes included; heap
     * memory moves at most one pooled buffer per call (see {@link RingFile}).
     *
     * @see RingFile#readAt(ByteBuffer, long)
     */
    public int readAt(ByteBuffer dst, long position) throws IOException {
        return (int) run(file.transfer(FileOp.READ, null, dst, position, false, true));
    }

    /**
     * Like {@link #readAt(MemorySegment, long)}, an I/O error after some bytes included; heap
     * memory moves at most one pooled buffer per call (see {@link RingFile}).
     *
     * @see RingFile#readAt(byte[], int, int, long)
     */
    public int readAt(byte[] dst, int offset, int length, long position) throws IOException {
        return (int) run(file.transfer(FileOp.READ, RingFileArrays.slice(dst, offset, length), null, position, false, true));
    }

    /** @see RingFile#readFully(MemorySegment, long) */
    public void readFully(MemorySegment dst, long position) throws IOException {
        long n = readCached(dst, position);
        if (n == dst.byteSize()) {
            return;
        }
        if (n > 0) {
            run(file.transfer(FileOp.READ, dst.asSlice(n), null, position + n, true, true));
            return;
        }
        FileOp<?> op = file.transfer(FileOp.READ, dst, null, position, true, true);
        if (n == CACHE_MISSED) {
            runOnRing(op);
        } else {
            run(op);
        }
    }

    /** {@link #readCached}: the page cache was asked and could not serve the read; do not ask again. */
    private static final long CACHE_MISSED = -2;

    /**
     * The lightest form of the cached-read fast path, for native memory with no JFR event
     * enabled: no operation object at all. Returns the bytes read; {@link #CACHE_MISSED} when
     * the page cache was asked and did not serve it (not cached, no scratch slot, a closed file,
     * or a failure to report), so the read goes to the ring; or -1 when it was not eligible to
     * ask (the long way, which may still try the page cache). A count short of the request means
     * that only the first part was cached, or that the file ends there. A read it returns is
     * counted in the loop's stats.
     */
    private long readCached(MemorySegment dst, long position) {
        FileState state = file.state();
        // Refused here too, or a read the page cache can serve would pass where any other fails.
        state.loop.checkMayBlock();
        if (!state.cachedReads || dst == null || !dst.isNative() || dst.isReadOnly() || position < 0
                || dst.byteSize() == 0 || dst.byteSize() > Integer.MAX_VALUE || FileEvents.READ.isEnabled()) {
            return -1;
        }
        long n = CachedReads.read(state, dst, position);
        if (n < 0) {
            return CACHE_MISSED;
        }
        FileOp.countCachedRead(state, n);
        return n;
    }

    /** @see RingFile#readFully(ByteBuffer, long) */
    public void readFully(ByteBuffer dst, long position) throws IOException {
        run(file.transfer(FileOp.READ, null, dst, position, true, true));
    }

    /** @see RingFile#readFully(byte[], int, int, long) */
    public void readFully(byte[] dst, int offset, int length, long position) throws IOException {
        run(file.transfer(FileOp.READ, RingFileArrays.slice(dst, offset, length), null, position, true, true));
    }

    /** @see RingFile#readv(MemorySegment[], long) */
    public long readv(MemorySegment[] dsts, long position) throws IOException {
        return run(file.vector(FileOp.READV, dsts, position, true));
    }

    /** @see RingFile#writeAt(MemorySegment, long) */
    public int writeAt(MemorySegment src, long position) throws IOException {
        return (int) run(file.transfer(FileOp.WRITE, src, null, position, false, true));
    }

    /** @see RingFile#writeAt(ByteBuffer, long) */
    public int writeAt(ByteBuffer src, long position) throws IOException {
        return (int) run(file.transfer(FileOp.WRITE, null, src, position, false, true));
    }

    /** @see RingFile#writeAt(byte[], int, int, long) */
    public int writeAt(byte[] src, int offset, int length, long position) throws IOException {
        return (int) run(file.transfer(FileOp.WRITE, RingFileArrays.slice(src, offset, length), null, position, false, true));
    }

    /** @see RingFile#writeFully(MemorySegment, long) */
    public void writeFully(MemorySegment src, long position) throws IOException {
        run(file.transfer(FileOp.WRITE, src, null, position, true, true));
    }

    /** @see RingFile#writeFully(ByteBuffer, long) */
    public void writeFully(ByteBuffer src, long position) throws IOException {
        run(file.transfer(FileOp.WRITE, null, src, position, true, true));
    }

    /** @see RingFile#writeFully(byte[], int, int, long) */
    public void writeFully(byte[] src, int offset, int length, long position) throws IOException {
        run(file.transfer(FileOp.WRITE, RingFileArrays.slice(src, offset, length), null, position, true, true));
    }

    /** @see RingFile#writev(MemorySegment[], long) */
    public long writev(MemorySegment[] srcs, long position) throws IOException {
        return run(file.vector(FileOp.WRITEV, srcs, position, true));
    }

    /** @see RingFile#sync() */
    public void sync() throws IOException {
        run(file.simple(FileOp.SYNC, true));
    }

    /** @see RingFile#datasync() */
    public void datasync() throws IOException {
        run(file.simple(FileOp.DATASYNC, true));
    }

    /** @see RingFile#size() */
    public long size() throws IOException {
        return run(file.simple(FileOp.SIZE, true));
    }

    /** @see RingFile#truncate(long) */
    public void truncate(long length) throws IOException {
        run(file.truncateOp(length, true));
    }

    /** @see RingFile#allocate(long, long, boolean) */
    public void allocate(long offset, long length, boolean keepSize) throws IOException {
        run(file.allocateOp(offset, length, keepSize, true));
    }

    /** @see RingFile#closeAsync() */
    public void close() throws IOException {
        // Before the close begins: a refused call leaves the file open. Closing a closed file
        // waits for nothing, so it stays a no-op anywhere.
        if (!file.state().closed) {
            file.loop().checkMayBlock();
        }
        FileOp<?> op = (FileOp<?>) file.closeOp(true);
        await(file.loop(), op);
    }

    private long run(FileOp<?> op) throws IOException {
        if (op.code == FileOp.READ && file.state().cachedReads && op.tryCachedRead()) {
            return await(file.loop(), op);
        }
        return runOnRing(op);
    }

    /** Submits {@code op} to the loop and waits for it, without the page-cache fast path. */
    private long runOnRing(FileOp<?> op) throws IOException {
        file.submit(op);
        return await(file.loop(), op);
    }

    /** Submits {@code op} to {@code loop} and waits for it; for operations without a file (open, directories). */
    static long run(EventLoop loop, FileOp<?> op) throws IOException {
        loop.checkMayBlock();
        loop.submit(op);
        return await(loop, op);
    }

    private static long await(EventLoop loop, FileOp<?> op) throws IOException {
        boolean interrupted = loop.await(op);
        Throwable failure = op.failureOrNull();
        if (failure == null) {
            return op.count;
        }
        if (interrupted) {
            InterruptedIOException e = new InterruptedIOException("interrupted; the operation was cancelled");
            e.initCause(failure);
            throw e;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IOException(failure);
    }
}
