package io.ringio.ring;

import io.ringio.internal.LongTable;
import io.ringio.sys.Errno;
import io.ringio.sys.GeteventsArg;
import io.ringio.sys.IoUringParams;
import io.ringio.sys.IoUringProbe;
import io.ringio.sys.Iovec;
import io.ringio.sys.KernelTimespec;
import io.ringio.sys.RsrcUpdate;
import io.ringio.sys.Sqe;
import io.ringio.sys.SyscallException;
import io.ringio.sys.SyncCancelReg;
import io.ringio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import static io.ringio.sys.IoUring.*;
import static io.ringio.sys.IoUringParams.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One io_uring instance: the submission and completion rings mapped into this process, with
 * preparation of SQEs, submission, waiting, and completions copied out in bounded batches.
 *
 * <p><b>Threads.</b> A ring is not thread-safe: one thread at a time prepares, submits, reaps
 * and closes. With {@link RingOptions#singleIssuer()} the ring is set up disabled and belongs to
 * the first platform thread that prepares or submits on it; any other thread then gets an
 * {@link IllegalStateException} (the kernel would refuse it with EEXIST).
 *
 * <p><b>Submitting.</b> Each {@code prep*} method fills one SQE and returns its index, or
 * {@link #SQ_FULL} when the SQ has no free entry or {@link RingOptions#inFlightMax()} operations
 * are already in flight; a full ring is a return code, never an exception. Flags such as
 * {@code IOSQE_IO_LINK} are added with {@link #addFlags}. Nothing reaches the kernel until
 * {@link #submit()} or {@link #submitAndWait}. Every operation carries a caller's 64-bit
 * {@code userData}, unique among the operations in flight on this ring (a collision is an
 * {@link IllegalArgumentException}); values from {@link #USER_DATA_RESERVED_MIN} to
 * {@link #USER_DATA_RESERVED_MAX} are reserved.
 *
 * <p><b>Memory.</b> Buffers, paths, iovecs, statx and timespec memory handed to a {@code prep*}
 * method belong to the operation until its completion has been copied out: the caller keeps them
 * alive and untouched until then. Memory registered with {@link #registerBuffers} stays pinned by
 * the kernel until {@link #unregisterBuffers()} or {@link #close()}: free it only after. A
 * segment whose arena is already closed is refused. {@link #close()} waits for every completion
 * before it returns, so closing never lets the kernel write into memory the caller frees
 * afterwards; if close throws, the caller must not free that memory either.
 *
 * <p><b>Results.</b> Hot-path methods return kernel codes ({@code -errno} on failure);
 * argument errors throw {@link IllegalArgumentException} and use after close throws
 * {@link IllegalStateException}; setup and probe failures throw {@link SyscallException}.
 */
public final class Ring implements AutoCloseable {
    /** Returned by {@code prep*} methods when no SQE is free or the in-flight limit is reached. */
    public static final int SQ_FULL = -1;
    /** Smallest user_data value reserved for the ring's own operations. */
    public static final long USER_DATA_RESERVED_MIN = Long.MIN_VALUE;
    /** Largest user_data value reserved for the ring's own operations. */
    public static final long USER_DATA_RESERVED_MAX = Long.MIN_VALUE + 15;
    /** The kernel's IORING_MAX_REG_BUFFERS. */
    public static final int REGISTERED_BUFFERS_MAX = 1 << 14;
    /** The kernel refuses a registered buffer larger than 1 GiB. */
    public static final long REGISTERED_BUFFER_BYTES_MAX = 1L << 30;
    /** Largest fixed-file table this class sets up (the kernel also caps it at RLIMIT_NOFILE). */
    public static final int REGISTERED_FILES_MAX = 1 << 16;
    /** How long {@link #close()} waits for operations in flight before it gives up. */
    public static final long CLOSE_DRAIN_TIMEOUT_MS = 10_000;
    /** How often {@link #close()} re-issues its cancel-everything request while it waits. */
    static final long CLOSE_CANCEL_RETRY_MS = 100;
    /** Bound on EINTR retries of one io_uring_enter. */
    private static final int EINTR_RETRIES_MAX = 1000;
    /** user_data of the cancel requests that close() submits. */
    private static final long USER_DATA_CLOSE_CANCEL = Long.MIN_VALUE + 1;
    private static final int SQE_FLAGS_KNOWN = IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | IOSQE_IO_LINK
            | IOSQE_IO_HARDLINK | IOSQE_ASYNC;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final MemorySegment[] NO_BUFFERS = new MemorySegment[0];

    // Ring indexes are 32-bit ints shared with the kernel; this handle gives acquire and release.
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Arena arena;
    private final int ringFd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final int sqMask;
    private final int cqMask;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final MemorySegment cqes;
    private final long sqHeadOff;
    private final long sqTailOff;
    private final long sqFlagsOff;
    private final long sqDroppedOff;
    private final long cqHeadOff;
    private final long cqTailOff;
    private final long cqOverflowOff;
    private final MemorySegment callState;
    private final MemorySegment waitTimespec;
    private final MemorySegment waitArg;
    private final boolean sqpoll;
    // user_data of every operation prepared and not yet completed; the value is only a marker.
    private final LongTable<Boolean> inFlight;

    private int internalInFlight;
    private int sqTail;
    private int cqHead;
    private final boolean singleIssuer;
    private Thread issuer;
    /** Says whether the calling virtual thread runs on the issuer thread; see {@link #allowCarriedOnIssuer}. */
    private volatile BooleanSupplier carriedOnIssuer;
    private MemorySegment[] buffers = NO_BUFFERS;
    private int registeredFiles;
    private boolean closed;

    private long submittedTotal;
    private long completedTotal;
    private long enterCalls;
    private long overflowFlushes;
    private long sqWakeups;

    /**
     * Sets up a ring. Throws {@link IllegalArgumentException} for options the kernel cannot take
     * (checked by {@link RingOptions}), and {@link RingSetupException} when the kernel refuses,
     * with the errno and what to do about it.
     */
    public static Ring open(RingOptions options) {
        Objects.requireNonNull(options, "options");
        RingSupport.Status status = RingSupport.status();
        if (!status.linked()) {
            throw new IllegalStateException(status.cause());
        }
        Arena arena = Arena.ofShared();
        try {
            return new Ring(options, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** True when io_uring can be used from this JVM; probed once. */
    public static boolean isAvailable() {
        return RingSupport.status().available();
    }

    /** Why io_uring cannot be used and how to fix it, or null when it can. */
    public static String unavailabilityCause() {
        return RingSupport.status().cause();
    }

    private Ring(RingOptions o, Arena arena) {
        this.arena = arena;
        this.callState = Syscalls.newCallState(arena);
        this.waitTimespec = arena.allocate(KernelTimespec.LAYOUT);
        this.waitArg = arena.allocate(GeteventsArg.LAYOUT);
        MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
        int flags = setupFlags(o);
        this.singleIssuer = o.singleIssuer();
        int limitHint = o.inFlightMax();
        IoUringParams.set(params, FLAGS, flags);
        if (o.cqEntries() > 0) {
            IoUringParams.set(params, CQ_ENTRIES, o.cqEntries());
        }
        if (o.sqpoll()) {
            IoUringParams.set(params, SQ_THREAD_IDLE, o.sqThreadIdleMs());
            IoUringParams.set(params, SQ_THREAD_CPU, Math.max(0, o.sqThreadCpu()));
        }
        int fd = Syscalls.ioUringSetup(callState, o.entries(), params);
        if (fd < 0) {
            throw new RingSetupException(-fd, o);
        }
        LongTable<Boolean> set;
        try {
            int cq = IoUringParams.get(params, CQ_ENTRIES);
            set = new LongTable<>(limitHint > 0 ? limitHint : Math.min(RingOptions.IN_FLIGHT_MAX, cq));
        } catch (RuntimeException | Error e) {
            Syscalls.close(fd);
            throw e;
        }
        this.inFlight = set;
        this.ringFd = fd;
        this.setupFlags = flags;
        this.features = IoUringParams.get(params, FEATURES);
        this.sqEntries = IoUringParams.get(params, SQ_ENTRIES);
        this.cqEntries = IoUringParams.get(params, CQ_ENTRIES);
        this.sqpoll = o.sqpoll();

        long sqSize = IoUringParams.get(params, SQ_OFF_ARRAY) + (long) sqEntries * Integer.BYTES;
        long cqSize = IoUringParams.get(params, CQ_OFF_CQES) + (long) cqEntries * io.ringio.sys.Cqe.BYTES;
        MemorySegment sq = null;
        MemorySegment cq = null;
        try {
            if ((features & FEAT_SINGLE_MMAP) != 0) {
                // One mapping serves both rings (IORING_FEAT_SINGLE_MMAP, Linux 5.4).
                sq = Syscalls.mmapShared(fd, Math.max(sqSize, cqSize), OFF_SQ_RING, true);
                cq = sq;
            } else {
                sq = Syscalls.mmapShared(fd, sqSize, OFF_SQ_RING, true);
                cq = Syscalls.mmapShared(fd, cqSize, OFF_CQ_RING, true);
            }
            this.sqes = Syscalls.mmapShared(fd, (long) sqEntries * Sqe.BYTES, OFF_SQES, true);
        } catch (SyscallException e) {
            if (cq != null && cq != sq) {
                Syscalls.munmap(cq);
            }
            if (sq != null) {
                Syscalls.munmap(sq);
            }
            Syscalls.close(fd);
            throw e;
        }
        this.sqRing = sq;
        this.cqRing = cq;
        this.sqHeadOff = IoUringParams.get(params, SQ_OFF_HEAD);
        this.sqTailOff = IoUringParams.get(params, SQ_OFF_TAIL);
        this.sqFlagsOff = IoUringParams.get(params, SQ_OFF_FLAGS);
        this.sqDroppedOff = IoUringParams.get(params, SQ_OFF_DROPPED);
        this.sqMask = sqRing.get(JAVA_INT, IoUringParams.get(params, SQ_OFF_RING_MASK));
        this.cqHeadOff = IoUringParams.get(params, CQ_OFF_HEAD);
        this.cqTailOff = IoUringParams.get(params, CQ_OFF_TAIL);
        this.cqOverflowOff = IoUringParams.get(params, CQ_OFF_OVERFLOW);
        this.cqMask = cqRing.get(JAVA_INT, IoUringParams.get(params, CQ_OFF_RING_MASK));
        this.cqes = cqRing.asSlice(IoUringParams.get(params, CQ_OFF_CQES), (long) cqEntries * io.ringio.sys.Cqe.BYTES);

        // The SQ index array maps ring slots to SQEs; identity once, so slot i always uses SQE i.
        long array = IoUringParams.get(params, SQ_OFF_ARRAY);
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, array + (long) i * Integer.BYTES, i);
        }
        // Both indexes start where the kernel says; it initialises them to zero.
        this.sqTail = (int) INT.getAcquire(sqRing, sqTailOff);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadOff);

        GeteventsArg.setTimeout(waitArg, waitTimespec);
    }

    private static int setupFlags(RingOptions o) {
        int flags = 0;
        if (o.sqpoll()) {
            flags |= SETUP_SQPOLL;
            if (o.sqThreadCpu() >= 0) {
                flags |= SETUP_SQ_AFF;
            }
        }
        if (o.cqEntries() > 0) {
            flags |= SETUP_CQSIZE;
        }
        if (o.clamp()) {
            flags |= SETUP_CLAMP;
        }
        if (o.submitAll()) {
            flags |= SETUP_SUBMIT_ALL;
        }
        if (o.singleIssuer()) {
            // Disabled until the issuing thread enables it: the kernel binds a SINGLE_ISSUER
            // ring to the task that enables it (or, without R_DISABLED, to the one that set it up).
            flags |= SETUP_SINGLE_ISSUER | SETUP_R_DISABLED;
        }
        if (o.coopTaskrun()) {
            flags |= SETUP_COOP_TASKRUN | SETUP_TASKRUN_FLAG;
        }
        if (o.deferTaskrun()) {
            // TASKRUN_FLAG makes the kernel raise IORING_SQ_TASKRUN when deferred work waits, so
            // that reaping enters the kernel only when there is something to run.
            flags |= SETUP_DEFER_TASKRUN | SETUP_TASKRUN_FLAG;
        }
        return flags;
    }

    // ---------------------------------------------------------------- preparation

    /** A no-op; completes with 0. */
    public int prepNop(long userData) {
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_NOP, -1, 0, 0, 0);
        }
        return i;
    }

    /** pread of {@code buf.byteSize()} bytes at {@code offset} (-1: the file position). */
    public int prepRead(int fd, MemorySegment buf, long offset, long userData) {
        int len = checkBuffer(buf);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_READ, fd, buf.address(), len, offset);
        }
        return i;
    }

    /** pwrite of the whole of {@code buf} at {@code offset} (-1: the file position). */
    public int prepWrite(int fd, MemorySegment buf, long offset, long userData) {
        int len = checkBuffer(buf);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_WRITE, fd, buf.address(), len, offset);
        }
        return i;
    }

    /** preadv into {@code count} iovecs (an array of {@code struct iovec}) at {@code offset}. */
    public int prepReadv(int fd, MemorySegment iovecs, int count, long offset, long userData) {
        checkIovecs(iovecs, count);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_READV, fd, iovecs.address(), count, offset);
        }
        return i;
    }

    /** pwritev from {@code count} iovecs at {@code offset}. */
    public int prepWritev(int fd, MemorySegment iovecs, int count, long offset, long userData) {
        checkIovecs(iovecs, count);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_WRITEV, fd, iovecs.address(), count, offset);
        }
        return i;
    }

    /** Read into {@code buf}, which must lie inside registered buffer {@code bufIndex}. */
    public int prepReadFixed(int fd, MemorySegment buf, long offset, int bufIndex, long userData) {
        int len = checkFixedBuffer(buf, bufIndex);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_READ_FIXED, fd, buf.address(), len, offset);
            Sqe.setBufIndex(sqes, i, bufIndex);
        }
        return i;
    }

    /** Write from {@code buf}, which must lie inside registered buffer {@code bufIndex}. */
    public int prepWriteFixed(int fd, MemorySegment buf, long offset, int bufIndex, long userData) {
        int len = checkFixedBuffer(buf, bufIndex);
        checkOffset(offset);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_WRITE_FIXED, fd, buf.address(), len, offset);
            Sqe.setBufIndex(sqes, i, bufIndex);
        }
        return i;
    }

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    public int prepFsync(int fd, boolean dataOnly, long userData) {
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_FSYNC, fd, 0, 0, 0);
            Sqe.setOpFlags(sqes, i, dataOnly ? FSYNC_DATASYNC : 0);
        }
        return i;
    }

    /** openat(2) of the NUL-terminated {@code path}; completes with the new fd. */
    public int prepOpenat(int dirFd, MemorySegment path, int flags, int mode, long userData) {
        checkPath(path, "path");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_OPENAT, dirFd, path.address(), mode, 0);
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /** close(2) of {@code fd}. */
    public int prepClose(int fd, long userData) {
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_CLOSE, fd, 0, 0, 0);
        }
        return i;
    }

    /** statx(2) of {@code path} relative to {@code dirFd} into {@code statxBuf} (256 bytes). */
    public int prepStatx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statxBuf, long userData) {
        checkPath(path, "path");
        checkLive(statxBuf, "statxBuf");
        if (statxBuf.byteSize() < io.ringio.sys.Statx.BYTES) {
            throw new IllegalArgumentException("statxBuf must be native memory of at least "
                    + io.ringio.sys.Statx.BYTES + " bytes, was " + statxBuf);
        }
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_STATX, dirFd, path.address(), mask, statxBuf.address());
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /** renameat2(2); {@code flags} may hold RENAME_NOREPLACE. */
    public int prepRenameat(int oldDirFd, MemorySegment oldPath, int newDirFd, MemorySegment newPath, int flags,
                            long userData) {
        checkPath(oldPath, "oldPath");
        checkPath(newPath, "newPath");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_RENAMEAT, oldDirFd, oldPath.address(), newDirFd, newPath.address());
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /** unlinkat(2); {@code flags} may hold AT_REMOVEDIR. */
    public int prepUnlinkat(int dirFd, MemorySegment path, int flags, long userData) {
        checkPath(path, "path");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_UNLINKAT, dirFd, path.address(), 0, 0);
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /** mkdirat(2). */
    public int prepMkdirat(int dirFd, MemorySegment path, int mode, long userData) {
        checkPath(path, "path");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_MKDIRAT, dirFd, path.address(), mode, 0);
        }
        return i;
    }

    /** fallocate(2) of {@code length} bytes at {@code offset}; {@code mode} may hold FALLOC_FL_KEEP_SIZE. */
    public int prepFallocate(int fd, int mode, long offset, long length, long userData) {
        checkNonNegative(offset, "offset");
        if (length <= 0) {
            throw new IllegalArgumentException("length=" + length + " must be > 0");
        }
        int i = nextSqe(userData);
        if (i >= 0) {
            // The SQE carries the length in addr and the mode in len (as liburing's prep does).
            Sqe.prepRw(sqes, i, OP_FALLOCATE, fd, length, mode, offset);
        }
        return i;
    }

    /** ftruncate(2) to {@code length} (IORING_OP_FTRUNCATE, Linux 6.9; see {@link #probeOpcodes()}). */
    public int prepFtruncate(int fd, long length, long userData) {
        checkNonNegative(length, "length");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_FTRUNCATE, fd, 0, 0, length);
        }
        return i;
    }

    /**
     * A timeout that completes with {@code -ETIME} after the time in {@code timespec} (a
     * {@code __kernel_timespec}), or with 0 once {@code count} other completions have arrived
     * (0: time only). {@code flags} may hold IORING_TIMEOUT_ABS and friends.
     */
    public int prepTimeout(MemorySegment timespec, int count, int flags, long userData) {
        checkTimespec(timespec);
        checkNonNegative(count, "count");
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_TIMEOUT, -1, timespec.address(), 1, count);
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /**
     * A timeout for the operation prepared just before, which must carry IOSQE_IO_LINK: if that
     * operation has not completed in time it is cancelled (-ECANCELED) and this completes with
     * -ETIME; otherwise this completes with -ECANCELED.
     */
    public int prepLinkTimeout(MemorySegment timespec, int flags, long userData) {
        checkTimespec(timespec);
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_LINK_TIMEOUT, -1, timespec.address(), 1, 0);
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /**
     * Cancels the operation in flight with {@code targetUserData} (with IORING_ASYNC_CANCEL_ALL,
     * every one with it). Completes with 0 when it was found and cancelled, -ENOENT when not
     * found, -EALREADY when it was already running.
     */
    public int prepCancel(long targetUserData, int flags, long userData) {
        if ((flags & ~ASYNC_CANCEL_ALL) != 0) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags)
                    + ": only IORING_ASYNC_CANCEL_ALL applies to a cancel by user_data");
        }
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_ASYNC_CANCEL, -1, targetUserData, 0, 0);
            Sqe.setOpFlags(sqes, i, flags);
        }
        return i;
    }

    /** One-shot poll of {@code fd} for {@code events} (POLLIN, POLLOUT); completes with the revents. */
    public int prepPollAdd(int fd, int events, long userData) {
        int i = nextSqe(userData);
        if (i >= 0) {
            Sqe.prepRw(sqes, i, OP_POLL_ADD, fd, 0, 0, 0);
            Sqe.setOpFlags(sqes, i, events);
        }
        return i;
    }

    /**
     * ORs IOSQE_* flags into a prepared, not yet submitted SQE: IO_LINK, IO_HARDLINK, IO_DRAIN,
     * ASYNC, and FIXED_FILE (the SQE's fd is then an index into the registered file table).
     */
    public void addFlags(int sqe, int flags) {
        checkOpen();
        if (sqe < 0 || sqe >= sqEntries) {
            throw new IllegalArgumentException("sqe=" + sqe + " is not an SQE index of this ring (0.." + (sqEntries - 1) + ")");
        }
        // Our own published tail: a plain read. Only entries after it are still ours to change.
        int published = (int) INT.get(sqRing, sqTailOff);
        if (((sqe - published) & sqMask) >= sqTail - published) {
            throw new IllegalArgumentException("sqe=" + sqe + " is not a prepared SQE awaiting submission");
        }
        if ((flags & ~SQE_FLAGS_KNOWN) != 0) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags) + " has bits ringio does not support");
        }
        if ((flags & IOSQE_FIXED_FILE) != 0) {
            int index = Sqe.fd(sqes, sqe);
            if (index < 0 || index >= registeredFiles) {
                throw new IllegalArgumentException("fixed file index=" + index + " is outside the registered table of "
                        + registeredFiles + " files");
            }
        }
        Sqe.setFlags(sqes, sqe, Sqe.flags(sqes, sqe) | flags);
    }

    private int nextSqe(long userData) {
        checkOpen();
        checkIssuer();
        if (userData >= USER_DATA_RESERVED_MIN && userData <= USER_DATA_RESERVED_MAX) {
            throw new IllegalArgumentException("userData=" + userData + " is reserved (Long.MIN_VALUE to Long.MIN_VALUE+15)");
        }
        if (inFlight.containsKey(userData)) {
            throw new IllegalArgumentException("userData=" + userData + " is already in flight on this ring");
        }
        if (inFlight.isFull()) {
            return SQ_FULL;
        }
        int index = claimSqe();
        if (index >= 0) {
            inFlight.put(userData, Boolean.TRUE);
            Sqe.setUserData(sqes, index, userData);
        }
        return index;
    }

    private int claimSqe() {
        // The kernel's SQ head, read with acquire: the entries it has consumed are free to reuse.
        int head = (int) INT.getAcquire(sqRing, sqHeadOff);
        if (sqTail - head >= sqEntries) {
            return SQ_FULL;
        }
        // Our SQ tail is only written by this thread: a plain read and increment, published in submit.
        int index = sqTail & sqMask;
        sqTail++;
        Sqe.clear(sqes, index);
        return index;
    }

    // ---------------------------------------------------------------- submission

    /**
     * Hands every prepared SQE to the kernel. Returns how many were submitted, or {@code -errno}
     * (-EBUSY or -EAGAIN when the kernel is short of room; reap completions and try again).
     */
    public int submit() {
        return enterRing(0, -1L);
    }

    /**
     * Submits, then waits until at least {@code minComplete} completions are ready. If the kernel
     * takes fewer SQEs than were prepared (one failed its checks, without SUBMIT_ALL), this
     * returns that smaller count at once without waiting; call again for the rest.
     * {@code minComplete} may not exceed {@link #inFlight()}: nothing else could complete.
     */
    public int submitAndWait(int minComplete) {
        checkWaitCount(minComplete);
        return enterRing(minComplete, -1L);
    }

    /**
     * Submits, then waits until {@code minComplete} completions are ready or {@code timeoutNanos}
     * has passed (IORING_ENTER_EXT_ARG, Linux 5.11). Returns as {@link #submit()} does; a wait
     * that timed out is not an error.
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        checkWaitCount(minComplete);
        checkNonNegative(timeoutNanos, "timeoutNanos");
        if ((features & FEAT_EXT_ARG) == 0) {
            throw new IllegalStateException("waiting with a timeout needs IORING_FEAT_EXT_ARG (Linux 5.11)");
        }
        return enterRing(minComplete, timeoutNanos);
    }

    private int enterRing(int minComplete, long timeoutNanos) {
        checkOpen();
        checkIssuer();
        int published = publishTail();
        if (sqpoll) {
            // Under SQPOLL publishing is submitting: the SQ thread picks the entries up by itself.
            submittedTotal += published;
        }
        int toSubmit;
        int flags = minComplete > 0 ? ENTER_GETEVENTS : 0;
        if (sqpoll) {
            // The SQ thread consumes on its own; wake it only if it went to sleep. The full fence
            // orders our tail store before the flags load: without it the thread could check for
            // work, find none and sleep between our store and our look (io_uring_enter(2), SQPOLL).
            VarHandle.fullFence();
            if ((sqRing.get(JAVA_INT, sqFlagsOff) & SQ_NEED_WAKEUP) != 0) {
                flags |= ENTER_SQ_WAKEUP;
                sqWakeups++;
            }
            if (sqTail - (int) INT.getAcquire(sqRing, sqHeadOff) >= sqEntries) {
                // A full SQ: wait until the SQ thread has taken some (IORING_ENTER_SQ_WAIT, 5.13),
                // so that a caller looking for room finds it instead of spinning.
                flags |= ENTER_SQ_WAIT;
            }
            toSubmit = 0;
        } else {
            // The kernel's SQ head, read with acquire: what it has not consumed yet is ours to submit.
            toSubmit = sqTail - (int) INT.getAcquire(sqRing, sqHeadOff);
        }
        if (toSubmit == 0 && flags == 0) {
            return sqpoll ? published : 0;
        }
        int r = enter(toSubmit, minComplete, flags, timeoutNanos);
        if (r == -Errno.ETIME) {
            r = 0;
        }
        if (r < 0) {
            return r;
        }
        if (sqpoll) {
            return published;
        }
        submittedTotal += r;
        return r;
    }

    private int publishTail() {
        int published = sqTail - (int) INT.get(sqRing, sqTailOff);
        if (published != 0) {
            // Ours, published with release: the SQE contents must be visible before the new tail.
            INT.setRelease(sqRing, sqTailOff, sqTail);
        }
        return published;
    }

    private int enter(int toSubmit, int minComplete, int flags, long timeoutNanos) {
        MemorySegment arg = MemorySegment.NULL;
        long argSize = 0;
        if (timeoutNanos >= 0) {
            KernelTimespec.setNanos(waitTimespec, timeoutNanos);
            arg = waitArg;
            argSize = GeteventsArg.BYTES;
            flags |= ENTER_EXT_ARG | ENTER_GETEVENTS;
        }
        int r;
        int retries = 0;
        do {
            enterCalls++;
            r = Syscalls.ioUringEnter(callState, ringFd, toSubmit, minComplete, flags, arg, argSize);
        } while (r == -Errno.EINTR && ++retries < EINTR_RETRIES_MAX);
        return r;
    }

    // ---------------------------------------------------------------- completion

    /**
     * Copies up to {@code batch.capacity()} completions out of the CQ into {@code batch}, releases
     * the CQ head, and returns how many were copied. Never blocks. Completions the kernel holds
     * back (CQ overflow, deferred task work) are flushed into the CQ first, so none is lost.
     */
    public int copyCompletions(CompletionBatch batch) {
        checkOpen();
        batch.clear();
        copyOut(batch);
        if (batch.remaining() > 0) {
            // The kernel sets these flags; acquire pairs with its release of them.
            int sqFlags = (int) INT.getAcquire(sqRing, sqFlagsOff);
            if ((sqFlags & (SQ_CQ_OVERFLOW | SQ_TASKRUN)) != 0) {
                if ((sqFlags & SQ_CQ_OVERFLOW) != 0) {
                    overflowFlushes++;
                }
                int r = enter(0, 0, ENTER_GETEVENTS, -1L);
                if (r == -Errno.EBADR) {
                    throw new IllegalStateException("the kernel dropped completions: its CQ overflow backlog could not "
                            + "be allocated (memory pressure); " + inFlight() + " operations are now unaccounted for");
                }
                if (r < 0 && r != -Errno.EBUSY && r != -Errno.EAGAIN) {
                    throw new AssertionError("io_uring_enter(GETEVENTS) to flush the CQ failed: " + Errno.describe(r));
                }
                copyOut(batch);
            }
        }
        return batch.size();
    }

    private void copyOut(CompletionBatch batch) {
        // The kernel's CQ tail, read with acquire: the CQEs before it are fully written.
        int tail = (int) INT.getAcquire(cqRing, cqTailOff);
        int head = cqHead;
        int delivered = 0;
        while (head != tail && batch.remaining() > 0) {
            int index = head & cqMask;
            long userData = io.ringio.sys.Cqe.userData(cqes, index);
            int res = io.ringio.sys.Cqe.res(cqes, index);
            int flags = io.ringio.sys.Cqe.flags(cqes, index);
            head++;
            if (userData == USER_DATA_CLOSE_CANCEL) {
                internalInFlight--;
                continue;
            }
            if ((flags & CQE_F_MORE) == 0) {
                boolean known = inFlight.remove(userData) != null;
                assert known : "completion for user_data " + userData + " that is not in flight";
            }
            batch.add(userData, res, flags);
            delivered++;
        }
        if (head != cqHead) {
            cqHead = head;
            // Ours, published with release: the kernel may reuse these CQEs only after we read them.
            INT.setRelease(cqRing, cqHeadOff, head);
        }
        completedTotal += delivered;
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers native buffers as fixed buffers (IORING_REGISTER_BUFFERS); buffer {@code i} is
     * then {@code bufIndex} i for {@link #prepReadFixed} and {@link #prepWriteFixed}. Returns 0,
     * or {@code -errno}: -ENOMEM when the locked-memory limit ({@code ulimit -l}) refuses the
     * pages, in which case the caller carries on with plain reads and writes.
     */
    public int registerBuffers(MemorySegment... buffers) {
        checkOpen();
        if (buffers.length == 0 || buffers.length > REGISTERED_BUFFERS_MAX) {
            throw new IllegalArgumentException("buffers.length=" + buffers.length + " must be in [1, "
                    + REGISTERED_BUFFERS_MAX + "]");
        }
        if (this.buffers.length > 0) {
            throw new IllegalStateException("buffers are already registered on this ring; unregister them first");
        }
        for (int b = 0; b < buffers.length; b++) {
            MemorySegment s = buffers[b];
            if (!s.isNative() || !s.scope().isAlive() || s.byteSize() == 0 || s.byteSize() > REGISTERED_BUFFER_BYTES_MAX) {
                throw new IllegalArgumentException("buffers[" + b + "]=" + s + " must be live native memory, 1 byte to 1 GiB");
            }
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment iovecs = tmp.allocate(Iovec.LAYOUT, buffers.length);
            for (int b = 0; b < buffers.length; b++) {
                Iovec.set(iovecs, b, buffers[b]);
            }
            int r = Syscalls.ioUringRegister(callState, ringFd, REGISTER_BUFFERS, iovecs, buffers.length);
            if (r < 0) {
                return r;
            }
        }
        this.buffers = buffers.clone();
        return 0;
    }

    /** Drops the registered buffers; 0 or {@code -errno} (-ENXIO when none are registered). */
    public int unregisterBuffers() {
        checkOpen();
        int r = Syscalls.ioUringRegister(callState, ringFd, UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
        if (r == 0) {
            buffers = NO_BUFFERS;
        }
        return r;
    }

    /** How many buffers are registered. */
    public int registeredBuffers() {
        return buffers.length;
    }

    /** Sets up a table of {@code count} empty fixed-file slots; 0 or {@code -errno}. */
    public int registerFilesSparse(int count) {
        checkOpen();
        if (count < 1 || count > REGISTERED_FILES_MAX) {
            throw new IllegalArgumentException("count=" + count + " must be in [1, " + REGISTERED_FILES_MAX + "]");
        }
        if (registeredFiles > 0) {
            throw new IllegalStateException("a file table is already registered on this ring; unregister it first");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment fds = tmp.allocate(JAVA_INT, count);
            fds.fill((byte) -1); // every slot -1: empty
            int r = Syscalls.ioUringRegister(callState, ringFd, REGISTER_FILES, fds, count);
            if (r == 0) {
                registeredFiles = count;
            }
            return r;
        }
    }

    /**
     * Puts {@code fds} into the fixed-file table from slot {@code offset} on (-1 empties a slot).
     * Returns how many slots were updated, or {@code -errno}.
     */
    public int updateFiles(int offset, int... fds) {
        checkOpen();
        if (fds.length == 0 || offset < 0 || (long) offset + fds.length > registeredFiles) {
            throw new IllegalArgumentException("offset=" + offset + " fds.length=" + fds.length
                    + " must lie inside the registered table of " + registeredFiles + " files");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment array = tmp.allocateFrom(JAVA_INT, fds);
            MemorySegment update = tmp.allocate(RsrcUpdate.LAYOUT);
            RsrcUpdate.set(update, offset, array);
            return Syscalls.ioUringRegister(callState, ringFd, REGISTER_FILES_UPDATE, update, fds.length);
        }
    }

    /** Drops the fixed-file table; 0 or {@code -errno}. */
    public int unregisterFiles() {
        checkOpen();
        int r = Syscalls.ioUringRegister(callState, ringFd, UNREGISTER_FILES, MemorySegment.NULL, 0);
        if (r == 0) {
            registeredFiles = 0;
        }
        return r;
    }

    /** The size of the registered fixed-file table, 0 when none. */
    public int registeredFiles() {
        return registeredFiles;
    }

    /** Asks the kernel which opcodes it supports (IORING_REGISTER_PROBE, Linux 5.6). */
    public OpcodeSet probeOpcodes() {
        checkOpen();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment probe = tmp.allocate(IoUringProbe.BYTES, Long.BYTES);
            int r = Syscalls.ioUringRegister(callState, ringFd, REGISTER_PROBE, probe, IoUringProbe.OPS_MAX);
            if (r < 0) {
                throw new SyscallException("io_uring_register(PROBE)", -r);
            }
            return OpcodeSet.from(probe);
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Submits what is prepared, cancels whatever is in flight (IORING_REGISTER_SYNC_CANCEL on
     * Linux 6.0+, an ASYNC_CANCEL SQE before), waits for every completion (at most
     * {@link #CLOSE_DRAIN_TIMEOUT_MS}), then unmaps the rings and closes the ring fd. Completions
     * that arrive during close are discarded: drain first to see them. Idempotent. If operations
     * are still in flight after the timeout, throws {@link IllegalStateException} and leaves the
     * ring open: the caller must not free their memory, or the kernel could write into it.
     */
    @Override
    public void close() {
        close(null);
    }

    /** Like {@link #close()}, handing each completion drained on the way to {@code discarded} (may be null). */
    public void close(CompletionHandler discarded) {
        if (closed) {
            return;
        }
        if (singleIssuer && issuer != null && issuer != Thread.currentThread() && inFlight() > 0) {
            // Draining needs io_uring_enter, which the kernel allows only from the issuer. With
            // nothing in flight the fd and mappings can be released from any thread.
            throw new IllegalStateException("ring close: this SINGLE_ISSUER ring belongs to thread " + issuer
                    + " and has " + inFlight() + " operations in flight; close it there");
        }
        drainInFlight(discarded);
        closed = true;
        Syscalls.munmap(sqes);
        if (cqRing != sqRing) {
            Syscalls.munmap(cqRing);
        }
        Syscalls.munmap(sqRing);
        Syscalls.close(ringFd);
        arena.close();
    }

    private void drainInFlight(CompletionHandler discarded) {
        if (inFlight.size() == 0 && internalInFlight == 0) {
            return;
        }
        // Submit what is prepared first: the kernel ends an unfinished link chain at the end of a
        // batch, so the cancel below cannot end up linked behind (or drained after) the caller's
        // stuck operations.
        checkDrainEnter(enterRing(0, -1L));
        CompletionBatch discard = new CompletionBatch(256);
        boolean syncCancel = true;
        long start = System.nanoTime();
        long nextCancel = start;
        while (inFlight.size() > 0 || internalInFlight > 0) {
            long now = System.nanoTime();
            if (now - start > CLOSE_DRAIN_TIMEOUT_MS * NANOS_PER_MILLI) {
                throw new IllegalStateException("ring close: " + inFlight() + " operations still in flight after "
                        + CLOSE_DRAIN_TIMEOUT_MS + " ms; the ring stays open, and their memory must not be freed");
            }
            if (inFlight.size() > 0 && now - nextCancel >= 0) {
                nextCancel = now + CLOSE_CANCEL_RETRY_MS * NANOS_PER_MILLI;
                syncCancel = syncCancel && cancelEverythingSync();
                if (!syncCancel && internalInFlight == 0) {
                    prepCancelEverything();
                }
            }
            checkDrainEnter(enterRing(1, CLOSE_CANCEL_RETRY_MS * NANOS_PER_MILLI));
            copyCompletions(discard);
            if (discarded != null) {
                discard.forEach(discarded);
            }
        }
    }

    private void checkDrainEnter(int r) {
        if (r < 0 && r != -Errno.EBUSY && r != -Errno.EAGAIN) {
            throw new IllegalStateException("ring close: io_uring_enter failed while waiting for "
                    + inFlight() + " operations: " + Errno.describe(r));
        }
    }

    /**
     * Cancels everything through IORING_REGISTER_SYNC_CANCEL (Linux 6.0), which bypasses the SQ.
     * Returns false when the kernel does not have it, so that the caller falls back to an SQE.
     */
    private boolean cancelEverythingSync() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment reg = tmp.allocate(SyncCancelReg.LAYOUT);
            SyncCancelReg.set(reg, ASYNC_CANCEL_ANY | ASYNC_CANCEL_ALL, CLOSE_CANCEL_RETRY_MS * NANOS_PER_MILLI);
            int r = Syscalls.ioUringRegister(callState, ringFd, REGISTER_SYNC_CANCEL, reg, 1);
            // 0: cancelled; -ENOENT: nothing cancellable left; -ETIME: still waiting; -EALREADY: running.
            return r != -Errno.EINVAL;
        }
    }

    private void prepCancelEverything() {
        int index = claimSqe();
        if (index < 0) {
            return; // SQ full: the next enter submits what is there, and we try again.
        }
        internalInFlight++;
        Sqe.prepRw(sqes, index, OP_ASYNC_CANCEL, -1, 0, 0, 0);
        Sqe.setOpFlags(sqes, index, ASYNC_CANCEL_ANY | ASYNC_CANCEL_ALL);
        Sqe.setUserData(sqes, index, USER_DATA_CLOSE_CANCEL);
    }

    // ---------------------------------------------------------------- state

    public boolean isClosed() {
        return closed;
    }

    /** Operations prepared and not yet completed (including those not yet submitted). */
    public int inFlight() {
        return inFlight.size() + internalInFlight;
    }

    /** The most operations this ring keeps in flight; past it {@code prep*} returns {@link #SQ_FULL}. */
    public int inFlightMax() {
        return inFlight.limit();
    }

    /** Prepared SQEs the kernel has not consumed yet. */
    public int pendingSubmissions() {
        checkOpen();
        // The kernel's SQ head, read with acquire.
        return sqTail - (int) INT.getAcquire(sqRing, sqHeadOff);
    }

    public int sqEntries() {
        return sqEntries;
    }

    public int cqEntries() {
        return cqEntries;
    }

    /** The IORING_FEAT_* bits the kernel reported at setup. */
    public int features() {
        return features;
    }

    /** The IORING_SETUP_* flags this ring was created with. */
    public int setupFlags() {
        return setupFlags;
    }

    /** The ring's file descriptor, for diagnostics. */
    public int fd() {
        return ringFd;
    }

    /** SQEs handed to the kernel since setup. */
    public long submittedTotal() {
        return submittedTotal;
    }

    /** Completions copied out since setup (the ring's own cancel requests not counted). */
    public long completedTotal() {
        return completedTotal;
    }

    /** io_uring_enter calls since setup. */
    public long enterCalls() {
        return enterCalls;
    }

    /** Times the CQ had overflowed into the kernel's backlog and was flushed; nothing was lost. */
    public long cqOverflowFlushes() {
        return overflowFlushes;
    }

    /**
     * Completions the kernel dropped: on kernels without IORING_FEAT_NODROP when the CQ is full,
     * and with it when the overflow backlog cannot be allocated.
     */
    public int cqDropped() {
        checkOpen();
        return (int) INT.getAcquire(cqRing, cqOverflowOff);
    }

    /** SQEs the kernel dropped as invalid (a bad SQ index; never expected). */
    public int sqDropped() {
        checkOpen();
        return (int) INT.getAcquire(sqRing, sqDroppedOff);
    }

    /** Times the SQPOLL thread was asleep and had to be woken. */
    public long sqWakeups() {
        return sqWakeups;
    }

    // ---------------------------------------------------------------- argument checks

    /**
     * Lets a SINGLE_ISSUER ring be used from virtual threads that run on its issuer thread as
     * their carrier: {@code carried} is asked on each use from a thread other than the issuer, and
     * must answer true only for a virtual thread mounted on the issuer thread (one that can run
     * nowhere else while it says so). The kernel sees the issuer's task either way.
     */
    public void allowCarriedOnIssuer(BooleanSupplier carried) {
        this.carriedOnIssuer = carried;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring is closed");
        }
    }

    private void checkIssuer() {
        if (!singleIssuer) {
            return;
        }
        Thread current = Thread.currentThread();
        if (current == issuer) {
            return;
        }
        if (issuer != null) {
            BooleanSupplier carried = carriedOnIssuer;
            if (carried != null && current.isVirtual() && carried.getAsBoolean()) {
                // A virtual thread mounted on the issuer: the kernel sees the issuer's task.
                return;
            }
            throw new IllegalStateException("this SINGLE_ISSUER ring belongs to thread " + issuer + "; called from " + current);
        }
        if (current.isVirtual()) {
            // The kernel binds the ring to an OS thread; a virtual thread may move between carriers.
            throw new IllegalStateException("a SINGLE_ISSUER ring must be used from a platform thread, not " + current);
        }
        int r = Syscalls.ioUringRegister(callState, ringFd, REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
        if (r < 0) {
            throw new SyscallException("io_uring_register(ENABLE_RINGS)", -r);
        }
        issuer = current;
    }

    private void checkWaitCount(int minComplete) {
        if (minComplete < 0 || minComplete > inFlight()) {
            throw new IllegalArgumentException("minComplete=" + minComplete + " must be in [0, inFlight=" + inFlight()
                    + "]: nothing else can complete");
        }
    }

    private static void checkOffset(long offset) {
        if (offset < -1) {
            throw new IllegalArgumentException("offset=" + offset + " must be >= 0, or -1 for the file position");
        }
    }

    private static void checkLive(MemorySegment segment, String name) {
        if (!segment.isNative() || !segment.scope().isAlive()) {
            throw new IllegalArgumentException(name + " must be live native memory (the kernel needs memory that "
                    + "does not move and is not freed), was " + segment);
        }
    }

    private static int checkBuffer(MemorySegment buf) {
        checkLive(buf, "buf");
        if (buf.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buf.byteSize()=" + buf.byteSize() + " exceeds " + Integer.MAX_VALUE);
        }
        return (int) buf.byteSize();
    }

    private int checkFixedBuffer(MemorySegment buf, int bufIndex) {
        int len = checkBuffer(buf);
        if (bufIndex < 0 || bufIndex >= buffers.length) {
            throw new IllegalArgumentException("bufIndex=" + bufIndex + " is outside the " + buffers.length
                    + " registered buffers");
        }
        MemorySegment region = buffers[bufIndex];
        if (!region.scope().isAlive()) {
            // The kernel still pins the old pages: new memory at the same address would not be used.
            throw new IllegalStateException("registered buffer bufIndex=" + bufIndex + " has been freed while "
                    + "registered; unregister buffers before freeing them");
        }
        long start = region.address();
        if (buf.address() < start || buf.address() + len > start + region.byteSize()) {
            throw new IllegalArgumentException("buf " + buf + " does not lie inside registered buffer bufIndex=" + bufIndex);
        }
        return len;
    }

    private static void checkIovecs(MemorySegment iovecs, int count) {
        if (count < 1 || count > 1024) {
            throw new IllegalArgumentException("count=" + count + " must be in [1, 1024] (UIO_MAXIOV)");
        }
        checkLive(iovecs, "iovecs");
        if (iovecs.byteSize() < count * Iovec.BYTES) {
            throw new IllegalArgumentException("iovecs must be native memory holding count=" + count + " iovecs, was " + iovecs);
        }
    }

    private static void checkPath(MemorySegment path, String name) {
        checkLive(path, name);
        if (path.byteSize() == 0 || path.get(java.lang.foreign.ValueLayout.JAVA_BYTE, path.byteSize() - 1) != 0) {
            throw new IllegalArgumentException(name + " must be native memory ending with a NUL byte, was " + path);
        }
    }

    private static void checkTimespec(MemorySegment ts) {
        checkLive(ts, "timespec");
        if (ts.byteSize() < KernelTimespec.BYTES) {
            throw new IllegalArgumentException("timespec must be native memory of " + KernelTimespec.BYTES + " bytes, was " + ts);
        }
    }

    private static void checkNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
        }
    }
}
