package io.ringio.file;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.sys.Errno;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

/**
 * An io_uring {@code Io} whose reads at or past an offset fail with -EIO, as a disk's bad sectors
 * would. With 0, every read through the ring fails, for the failure of the part of a read that
 * the page cache did not hold: the file layer's page-cache fast path ({@link CachedReads}) calls
 * preadv2 itself, not through the {@code Io}, so it still reads what is cached. A failing read is
 * sent to the kernel as a nop, whose completion is reported as -EIO. Loop thread only, as any
 * {@code Io}.
 */
final class FailingRingReadsIo implements Io {
    private final Io ring;
    private final long failFrom;
    private final Set<Long> failing = new HashSet<>();

    FailingRingReadsIo(Io ring, long failFrom) {
        if (ring.backend().kind() != IoBackend.Kind.URING) {
            throw new IllegalArgumentException("ring=" + ring.backend() + " must be io_uring: only there do blocking reads try the page cache");
        }
        this.ring = ring;
        this.failFrom = failFrom;
    }

    @Override
    public boolean read(long tag, int file, MemorySegment buf, long offset) {
        if (offset < failFrom) {
            return ring.read(tag, file, buf, offset);
        }
        if (!ring.nop(tag)) {
            return false;
        }
        failing.add(tag);
        return true;
    }

    @Override
    public int poll(IoHandler handler) {
        return ring.poll((tag, result) -> handler.complete(tag, reported(tag, result)));
    }

    @Override
    public int park(long timeoutNanos, IoHandler handler) {
        return ring.park(timeoutNanos, (tag, result) -> handler.complete(tag, reported(tag, result)));
    }

    /** A nop standing for a read reports -EIO, unless it was cancelled. */
    private int reported(long tag, int result) {
        return failing.remove(tag) && result >= 0 ? -Errno.EIO : result;
    }

    @Override
    public boolean open(long tag, String path, int flags, int mode) {
        return ring.open(tag, path, flags, mode);
    }

    @Override
    public boolean close(long tag, int file) {
        return ring.close(tag, file);
    }

    @Override
    public boolean write(long tag, int file, MemorySegment buf, long offset) {
        return ring.write(tag, file, buf, offset);
    }

    @Override
    public boolean readv(long tag, int file, MemorySegment[] bufs, long offset) {
        return ring.readv(tag, file, bufs, offset);
    }

    @Override
    public boolean writev(long tag, int file, MemorySegment[] bufs, long offset) {
        return ring.writev(tag, file, bufs, offset);
    }

    @Override
    public boolean sync(long tag, int file, boolean dataOnly) {
        return ring.sync(tag, file, dataOnly);
    }

    @Override
    public boolean stat(long tag, int file, FileStat out) {
        return ring.stat(tag, file, out);
    }

    @Override
    public boolean stat(long tag, String path, FileStat out) {
        return ring.stat(tag, path, out);
    }

    @Override
    public boolean rename(long tag, String from, String to, boolean noReplace) {
        return ring.rename(tag, from, to, noReplace);
    }

    @Override
    public boolean unlink(long tag, String path) {
        return ring.unlink(tag, path);
    }

    @Override
    public boolean rmdir(long tag, String path) {
        return ring.rmdir(tag, path);
    }

    @Override
    public boolean mkdir(long tag, String path, int mode) {
        return ring.mkdir(tag, path, mode);
    }

    @Override
    public boolean allocate(long tag, int file, long offset, long length, boolean keepSize) {
        return ring.allocate(tag, file, offset, length, keepSize);
    }

    @Override
    public boolean truncate(long tag, int file, long length) {
        return ring.truncate(tag, file, length);
    }

    @Override
    public boolean nop(long tag) {
        return ring.nop(tag);
    }

    @Override
    public boolean timeout(long tag, long nanos) {
        return ring.timeout(tag, nanos);
    }

    @Override
    public boolean cancel(long tag, long targetTag) {
        return ring.cancel(tag, targetTag);
    }

    @Override
    public boolean linkNext() {
        return ring.linkNext();
    }

    @Override
    public void wakeup() {
        ring.wakeup();
    }

    @Override
    public int inFlight() {
        return ring.inFlight();
    }

    @Override
    public int capacity() {
        return ring.capacity();
    }

    @Override
    public IoBackend backend() {
        return ring.backend();
    }

    @Override
    public void close() {
        ring.close();
    }
}
