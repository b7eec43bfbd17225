package io.ringio.io.sim;

import io.ringio.io.FileStat;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import io.ringio.sys.Segments;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What the simulated kernel does when an operation runs: its effect on the {@link SimFileSystem}
 * and the open files, with faults, and its result ({@code -errno} on failure). {@link SimIo}
 * decides when each operation runs; this class decides what it does.
 */
final class SimKernel {
    /** What stat reports as the block size: the page size, as on most Linux file systems. */
    static final int BLOCK_BYTES = SimContent.PAGE_BYTES;
    /** O_DIRECT alignment of offsets, lengths and buffer addresses: the logical sector. */
    static final int DIRECT_ALIGN_BYTES = SimFile.SECTOR_BYTES;
    /** Most files one SimIo holds open at once (RLIMIT_NOFILE's usual soft limit is 1,024; this is generous). */
    static final int HANDLES_MAX = 1 << 16;
    /** The largest file, as on ext4 with 4 KiB blocks: a write past it is EFBIG. */
    static final long FILE_BYTES_MAX = 16L << 40;
    /** How far, in sectors, a misdirected write can land beyond the nearest place clear of its range. */
    private static final int MISDIRECT_SECTORS_MAX = 8;

    final SimFileSystem fs;
    final SimFaults faults;
    private final SimRandom random;
    private final long epochNanos;
    private final List<SimHandle> handles = new ArrayList<>();
    private final BitSet used = new BitSet();
    private final int[] errno = new int[1];
    private final SimPagePool pool = new SimPagePool();

    SimKernel(SimFileSystem fs, SimFaults faults, SimRandom random, long epochNanos) {
        this.fs = fs;
        this.faults = faults;
        this.random = random;
        this.epochNanos = epochNanos;
    }

    // ---------------------------------------------------------------- handles

    /** The open file a handle names, or null: the operation will fail with EBADF. */
    SimHandle handle(int number) {
        return number >= 0 && number < handles.size() ? handles.get(number) : null;
    }

    /** Forgets a handle; returns what it named, or null if it named nothing. */
    SimHandle release(int number) {
        SimHandle h = handle(number);
        if (h != null) {
            handles.set(number, null);
            used.clear(number);
        }
        return h;
    }

    private int allocate(SimHandle h) {
        // The lowest free number, as open(2) gives the lowest free descriptor: a handle used after
        // its close then names another file, which is the bug a simulator should surface.
        int number = used.nextClearBit(0);
        if (number >= HANDLES_MAX) {
            return -Errno.EMFILE;
        }
        used.set(number);
        while (handles.size() <= number) {
            handles.add(null);
        }
        handles.set(number, h);
        return number;
    }

    void closeAll() {
        handles.clear();
        used.clear();
    }

    // ---------------------------------------------------------------- operations

    int execute(SimOp op, long now) {
        return switch (op.code) {
            case OPEN -> open(op, now);
            case CLOSE -> op.file == null ? -Errno.EBADF : 0;
            case READ, READV -> read(op);
            case WRITE, WRITEV -> write(op, now);
            case SYNC -> sync(op.file);
            case STAT_FILE -> op.file == null ? -Errno.EBADF : stat(op.file.node, op.statOut);
            case STAT_PATH -> statPath(op.path, op.statOut);
            case RENAME -> fs.rename(op.path, op.path2, op.flag, now);
            case UNLINK -> fs.unlink(op.path, now);
            case RMDIR -> fs.rmdir(op.path, now);
            case MKDIR -> fs.mkdir(op.path, op.mode, now);
            case ALLOCATE -> allocate(op, now);
            case TRUNCATE -> truncate(op, now);
            case NOP, TIMEOUT -> 0;
            case CANCEL -> throw new AssertionError("a cancel runs in SimIo, where the operations are");
        };
    }

    private int open(SimOp op, long now) {
        SimNode node = fs.open(op.path, op.flags, op.mode, now, errno);
        return node == null ? errno[0] : allocate(new SimHandle(node, op.flags, normalize(op.path)));
    }

    /** The path with repeated slashes and "." components gone, so that fault globs see one spelling. */
    static String normalize(String path) {
        StringBuilder out = new StringBuilder(path.length() + 1);
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.append('/').append(part);
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private int read(SimOp op) {
        SimHandle h = op.file;
        if (h == null) {
            return -Errno.EBADF;
        }
        if (!(h.node instanceof SimFile file)) {
            return -Errno.EISDIR; // read(2) of a directory, whatever the access mode
        }
        if (!h.readable()) {
            return -Errno.EBADF;
        }
        if (h.has(OpenFlags.DIRECT) && misaligned(op)) {
            return -Errno.EINVAL;
        }
        long size = file.size();
        int n = (int) Math.max(0, Math.min(op.requested, size - op.offset));
        FaultKind fault = faults.strike(SimOperation.READ, h.path);
        if (fault == FaultKind.READ_EIO) {
            faults.count(fault);
            return -Errno.EIO;
        }
        if (fault == FaultKind.LATENT_SECTOR_ERROR && n > 0) {
            faults.count(fault);
            file.markBad((op.offset + random.nextLong(n)) / SimFile.SECTOR_BYTES);
        }
        if (file.hasBadSector(op.offset, n)) {
            return -Errno.EIO;
        }
        if (fault == FaultKind.SHORT_READ && n > 1) {
            faults.count(fault);
            n = 1 + random.nextInt(n - 1);
        }
        if (n == 0) {
            return 0;
        }
        if (op.code == SimOp.Code.READ) {
            file.current.read(op.offset, accessible(op.buf), 0, n);
        } else {
            scatter(file.current, op.offset, op.bufs, n);
        }
        if (fault == FaultKind.READ_BIT_FLIP && n > 0) {
            faults.count(fault);
            flipBit(op, random.nextLong(n), random.nextInt(8));
        }
        return n;
    }

    private int write(SimOp op, long now) {
        SimHandle h = op.file;
        if (h == null || !h.writable() || !(h.node instanceof SimFile file)) {
            return -Errno.EBADF;
        }
        if (h.has(OpenFlags.DIRECT) && misaligned(op)) {
            return -Errno.EINVAL;
        }
        int n = (int) op.requested;
        long at = h.has(OpenFlags.APPEND) ? file.size() : op.offset;
        if (at > FILE_BYTES_MAX - n) {
            return -Errno.EFBIG;
        }
        FaultKind fault = faults.strike(SimOperation.WRITE, h.path);
        if (fault == FaultKind.WRITE_EIO || fault == FaultKind.WRITE_ENOSPC) {
            faults.count(fault);
            return fault == FaultKind.WRITE_EIO ? -Errno.EIO : -Errno.ENOSPC;
        }
        if (n == 0) {
            return 0;
        }
        if (fault == FaultKind.SHORT_WRITE && n > 1) {
            faults.count(fault);
            n = 1 + random.nextInt(n - 1);
        }
        byte[] data = gather(op, n, pool);
        long landsAt = at;
        if (fault == FaultKind.MISDIRECTED_WRITE) {
            faults.count(fault);
            landsAt = misdirect(at, n);
        }
        file.write(landsAt, data, now);
        if (h.has(OpenFlags.DSYNC)) {
            // O_DSYNC: durable on completion. The whole file is synced, which is more than
            // O_DSYNC promises for earlier writes; a test that needs the difference syncs itself.
            file.sync(pool);
        }
        return n;
    }

    /**
     * Where a misdirected write lands: a sector boundary clear of every sector the intended range
     * touches, up to {@link #MISDIRECT_SECTORS_MAX} sectors further, before it or after it.
     */
    private long misdirect(long at, int n) {
        long sector = SimFile.SECTOR_BYTES;
        long first = at / sector * sector;
        long touched = (at + n - 1) / sector * sector + sector - first;
        long extra = sector * random.nextInt(MISDIRECT_SECTORS_MAX);
        long roundedUp = (n + sector - 1) / sector * sector;
        long below = first - roundedUp - extra;
        return below >= 0 && random.chance(0.5) ? below : first + touched + extra;
    }

    private int sync(SimHandle h) {
        if (h == null) {
            return -Errno.EBADF;
        }
        FaultKind fault = faults.strike(SimOperation.SYNC, h.path);
        if (fault != null) {
            faults.count(fault);
            if (fault == FaultKind.SYNC_DROPS_DIRTY_DATA && h.node instanceof SimFile file) {
                file.dropDirty();
            }
            return -Errno.EIO;
        }
        if (h.node instanceof SimFile file) {
            file.sync(pool);
        } else {
            fs.syncDirectory((SimDirectory) h.node);
        }
        return 0;
    }

    private int allocate(SimOp op, long now) {
        SimHandle h = op.file;
        if (h == null || !h.writable()) {
            return -Errno.EBADF;
        }
        if (!(h.node instanceof SimFile file)) {
            return -Errno.ENODEV; // fallocate(2): "fd does not refer to a regular file or a directory"
        }
        if (op.length == 0) {
            return -Errno.EINVAL; // fallocate(2): "len was less than or equal to 0"
        }
        if (op.offset + op.length < 0) {
            return -Errno.EFBIG;
        }
        FaultKind fault = faults.strike(SimOperation.RESIZE, h.path);
        if (fault == FaultKind.ALLOCATE_ENOSPC) {
            faults.count(fault);
            return -Errno.ENOSPC;
        }
        // The simulator keeps no block accounting, so allocating only matters when it grows the file.
        if (!op.flag && op.offset + op.length > file.size()) {
            file.resize(op.offset + op.length, now);
        }
        return 0;
    }

    private int truncate(SimOp op, long now) {
        SimHandle h = op.file;
        if (h == null) {
            return -Errno.EBADF;
        }
        if (!h.writable() || !(h.node instanceof SimFile file)) {
            return -Errno.EINVAL; // ftruncate(2): "fd does not reference a regular file or ... not open for writing"
        }
        file.resize(op.length, now);
        return 0;
    }

    private int statPath(String path, FileStat out) {
        SimNode node = fs.lookup(path, errno);
        return node == null ? errno[0] : stat(node, out);
    }

    private int stat(SimNode node, FileStat out) {
        if (node instanceof SimFile file) {
            out.set(file.size(), BLOCK_BYTES, FileStat.Type.FILE, wallClock(file.modifiedNanos));
        } else {
            out.set(BLOCK_BYTES, BLOCK_BYTES, FileStat.Type.DIRECTORY, wallClock(node.modifiedNanos));
        }
        return 0;
    }

    /** Virtual time as wall-clock nanoseconds since the epoch, held at {@code Long.MAX_VALUE}. */
    private long wallClock(long virtualNanos) {
        return epochNanos + Math.min(virtualNanos, Long.MAX_VALUE - epochNanos);
    }

    // ---------------------------------------------------------------- buffers

    /** The buffer, usable from this thread: an Io may be used by one thread and then another. */
    static MemorySegment accessible(MemorySegment buf) {
        return buf.isAccessibleBy(Thread.currentThread()) ? buf : Segments.anyThreadView(buf);
    }

    /** The first {@code n} bytes the operation writes, copied: the copy is what a crash may keep. */
    static byte[] gather(SimOp op, int n, SimPagePool pool) {
        byte[] data = n == SimContent.PAGE_BYTES ? pool.take() : new byte[n];
        if (op.code == SimOp.Code.WRITE) {
            MemorySegment.copy(accessible(op.buf), ValueLayout.JAVA_BYTE, 0, data, 0, n);
            return data;
        }
        int done = 0;
        for (MemorySegment b : op.bufs) {
            int take = (int) Math.min(b.byteSize(), n - done);
            MemorySegment.copy(accessible(b), ValueLayout.JAVA_BYTE, 0, data, done, take);
            done += take;
            if (done == n) {
                break;
            }
        }
        return data;
    }

    private static void scatter(SimContent content, long offset, MemorySegment[] bufs, int n) {
        int done = 0;
        for (MemorySegment b : bufs) {
            int take = (int) Math.min(b.byteSize(), n - done);
            content.read(offset + done, accessible(b), 0, take);
            done += take;
            if (done == n) {
                break;
            }
        }
    }

    private static void flipBit(SimOp op, long at, int bit) {
        MemorySegment target;
        long within = at;
        if (op.code == SimOp.Code.READ) {
            target = op.buf;
        } else {
            int i = 0;
            while (within >= op.bufs[i].byteSize()) {
                within -= op.bufs[i].byteSize();
                i++;
            }
            target = op.bufs[i];
        }
        MemorySegment seg = accessible(target);
        seg.set(ValueLayout.JAVA_BYTE, within, (byte) (seg.get(ValueLayout.JAVA_BYTE, within) ^ (1 << bit)));
    }

    /** O_DIRECT's rule (open(2), "O_DIRECT"): offset, every length and every address aligned to the sector. */
    private static boolean misaligned(SimOp op) {
        if (op.offset % DIRECT_ALIGN_BYTES != 0) {
            return true;
        }
        if (op.bufs == null) {
            return misaligned(op.buf);
        }
        for (MemorySegment b : op.bufs) {
            if (misaligned(b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean misaligned(MemorySegment buf) {
        return buf.address() % DIRECT_ALIGN_BYTES != 0 || buf.byteSize() % DIRECT_ALIGN_BYTES != 0;
    }
}
