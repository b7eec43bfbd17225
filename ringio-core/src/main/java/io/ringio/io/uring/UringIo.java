package io.ringio.io.uring;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.io.IoOptions;
import io.ringio.internal.IoArguments;
import io.ringio.internal.LongTable;
import io.ringio.io.OpenFlags;
import io.ringio.ring.CompletionBatch;
import io.ringio.ring.Ring;
import io.ringio.ring.RingOptions;
import io.ringio.ring.RingSetupException;
import io.ringio.sys.Errno;
import io.ringio.sys.Fcntl;
import io.ringio.sys.IoUring;
import io.ringio.sys.Iovec;
import io.ringio.sys.KernelTimespec;
import io.ringio.sys.Statx;
import io.ringio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The io_uring backend of {@link Io}, over one {@link Ring}.
 *
 * <p>Each operation takes a slot from a fixed table sized by the capacity; the slot number is the
 * SQE's user_data, and the slot keeps what a retry or the completion needs. Reads, writes, syncs
 * and the rest allocate nothing. Operations on paths encode the path into a pooled native buffer
 * (the encoding itself makes one byte array), vectored operations fill a pooled iovec array and
 * stat a pooled statx buffer; the pools grow in chunks, on first need, up to what the capacity
 * can use, so a submission is refused only at capacity.
 *
 * <p>SQEs wait in the SQ until {@link IoOptions#submitBatch()} of them are there (counted after
 * an operation, or after the last of a chain; never with a batch of 0), or until {@link #poll} or
 * {@link #park}, or until the SQ is full, then go to the kernel in one {@code io_uring_enter}.
 * -EAGAIN and -EINTR completions are resubmitted (at most {@link #RETRIES_MAX} times) unless the
 * operation is part of a linked chain, where the kernel has already cancelled the rest and a
 * retry would reorder it. Memory inside buffers
 * registered with {@link #registerBuffers} goes to the kernel as READ_FIXED and WRITE_FIXED.
 * FTRUNCATE runs as a plain {@code ftruncate(2)} on kernels whose probe lacks it (before 6.9).
 *
 * <p>File handles are kernel fds. A handle this {@code Io} did not open, or has closed, is
 * passed to the kernel as -1 so that it completes with -EBADF and never reaches another file
 * that reused the number. {@link #close()} closes the files still open.
 *
 * <p>With {@link IoOptions#registeredFiles()}, the ring has a table of {@link #FILE_TABLE}
 * registered files (fewer when RLIMIT_NOFILE is lower, as the kernel requires), indexed by fd: a
 * file this {@code Io} opens goes into the entry of its fd (one {@code io_uring_register} call),
 * and reads, writes, syncs, fallocate and ftruncate on it then name that entry (IOSQE_FIXED_FILE),
 * which spares the kernel taking and dropping a reference to the file on each of them. A close
 * empties the entry when its completion arrives, so that operations submitted ahead of it still
 * find the file; if a later open has filled the entry again by then (the kernel freed the fd when
 * the close ran, and an open may take the number and complete first), the entry is left to the
 * new file. An fd past the table, or an entry the kernel refuses, is used as a plain fd. statx
 * and close take the plain fd, as the kernel requires.
 */
public final class UringIo implements Io {
    /** Path buffers made at a time when the pool runs dry (4 KiB each). */
    static final int PATH_CHUNK = 32;
    /** iovec arrays made at a time (16 KiB each). */
    static final int IOVEC_CHUNK = 4;
    /** statx buffers made at a time (256 bytes each). */
    static final int STATX_CHUNK = 64;
    /** Resubmissions of one operation after -EAGAIN or -EINTR. */
    public static final int RETRIES_MAX = 16;
    /** How long the SQPOLL thread spins without work before it sleeps. */
    static final int SQPOLL_IDLE_MS = 1000;
    /** Completions copied from the CQ per batch. */
    static final int BATCH_MAX = 256;
    /** Batches one poll delivers at most, so that a flood cannot keep poll from returning. */
    static final int POLL_BATCHES_MAX = 16;
    /** SQ entries: enough for a whole chain after a flush, few enough to stay in cache. */
    static final int SQ_ENTRIES_MAX = 256;
    /** Extra ring in-flight room for what the backend submits on its own behalf: the wake-up read, and more. */
    static final int RING_HEADROOM = Io.CHAIN_MAX + 1;
    /** Entries of the registered-file table: fds below this are registered when opened. */
    public static final int FILE_TABLE = 4096;

    private static final int PATH_BYTES = Io.PATH_BYTES_MAX + 1;
    /** Matches no slot: the user_data of a cancel whose target is not in flight (the kernel answers -ENOENT). */
    private static final long NO_SLOT = Long.MAX_VALUE;
    /** The user_data of the read kept armed on the wake-up eventfd; never a slot number. */
    private static final long WAKE_USER_DATA = Long.MAX_VALUE - 1;
    private static final int NONE = -1;

    private static final byte K_OPEN = 1;
    private static final byte K_CLOSE = 2;
    private static final byte K_READ = 3;
    private static final byte K_WRITE = 4;
    private static final byte K_READV = 5;
    private static final byte K_WRITEV = 6;
    private static final byte K_SYNC = 7;
    private static final byte K_STAT_FILE = 8;
    private static final byte K_STAT_PATH = 9;
    private static final byte K_RENAME = 10;
    private static final byte K_UNLINK = 11;
    private static final byte K_RMDIR = 12;
    private static final byte K_MKDIR = 13;
    private static final byte K_ALLOCATE = 14;
    private static final byte K_TRUNCATE = 15;
    private static final byte K_NOP = 16;
    private static final byte K_TIMEOUT = 17;
    private static final byte K_CANCEL = 18;

    private final Ring ring;
    private final Arena arena;
    private final IoBackend backend;
    private final boolean ftruncateOp;
    private final MemorySegment callState;
    private final MemorySegment emptyPath;
    private final CompletionBatch batch = new CompletionBatch(BATCH_MAX);
    // Separate from batch: a stash can run from a handler while deliver() walks batch.
    private final CompletionBatch stashBatch = new CompletionBatch(BATCH_MAX);

    // Per-slot state, indexed by slot number (the SQE user_data).
    private final SlotPool slots;
    private final LongTable<Integer> tags;
    // Slot numbers boxed once, so that the tag table never boxes on the hot path.
    private final Integer[] slotNumbers;
    private final long[] slotTag;
    // Bumped each time a slot is taken: the high half of the user_data, so that a cancel naming an
    // earlier operation of the slot can never match a later one.
    private final int[] generation;
    private final byte[] kind;
    private final int[] file;
    private final long[] offset;
    private final long[] length;
    private final int[] flags;
    private final MemorySegment[] buffer;
    private final int[] pathA;
    private final int[] pathB;
    private final int[] auxSlot;
    private final FileStat[] statOut;
    private final byte[] retries;
    private final boolean[] linked;
    // Native scratch memory, sliced once so that no operation allocates a segment.
    private final MemorySegment[] timespecs;
    private final NativeSlots paths;
    private final NativeSlots iovecs;
    private final NativeSlots statxBufs;

    // Completions decided outside a ring walk (a plain ftruncate, or taken out of the CQ to make
    // room), delivered by the next poll: a ring buffer, at most one entry per slot.
    private final long[] readyTag;
    private final int[] readyResult;
    private int readyHead;
    private int readyCount;

    // Slots answered -EAGAIN or -EINTR, resubmitted by the next poll or park before anything
    // else: inserting them during delivery could land them inside a chain a handler is building.
    private final int[] retryQueue;
    private int retryCount;

    private MemorySegment[] registered = new MemorySegment[0];
    private final BitSet openFiles = new BitSet();
    /** Open files in the registered-file table, by fd (which is also their entry). */
    private final BitSet fixedFiles = new BitSet();
    /**
     * Bumped each time an entry of the registered-file table is filled, by fd: a close remembers
     * the version it closes and empties the entry at completion only if no open has filled it
     * since.
     */
    private final int[] fileVersion;
    /** Entries of the registered-file table: {@link #fileTableSize()}, or 0 when off or refused. */
    private final int fileTable;
    /** {@link IoOptions#submitBatch()}: this many waiting SQEs go to the kernel at once; 0 for poll and park only. */
    private final int submitBatch;
    private int chainState;
    private int chainLength;
    private boolean delivering;
    private Throwable handlerFailure;
    private boolean closed;

    // The wake-up eventfd: a read on it is kept armed in the ring, so that wakeup() from any
    // thread (an eventfd_write) completes it and ends an io_uring_enter that waits.
    private final int wakeFd;
    private final MemorySegment wakeCounter;
    private boolean wakeArmed;
    /** wakeup() calls between their check of wakeClosed and their write; close waits for them. */
    private final AtomicInteger wakers = new AtomicInteger();
    private volatile boolean wakeClosed;

    private static final int CHAIN_NONE = 0;
    private static final int CHAIN_LINK_NEXT = 1;

    /** Opens an io_uring backend with {@code options.capacity()} operations in flight. */
    public static UringIo open(IoOptions options, String reason) {
        Objects.requireNonNull(options, "options");
        return new UringIo(options, reason, null);
    }

    /** For tests: {@code ftruncateOp} forces the FTRUNCATE path on or off regardless of the probe. */
    static UringIo open(int capacity, String reason, Boolean ftruncateOp) {
        return new UringIo(IoOptions.defaults().withCapacity(capacity), reason, ftruncateOp);
    }

    private UringIo(IoOptions options, String reason, Boolean forceFtruncateOp) {
        int capacity = options.capacity();
        this.backend = new IoBackend(IoBackend.Kind.URING, Objects.requireNonNull(reason, "reason"));
        int sq = Math.min(SQ_ENTRIES_MAX, Math.max(2 * Io.CHAIN_MAX, Integer.highestOneBit(capacity - 1) << 1));
        int cq = Math.min(RingOptions.CQ_ENTRIES_MAX, Math.max(2 * sq, Integer.highestOneBit(capacity + RING_HEADROOM - 1) << 1));
        this.ring = openRing(RingOptions.entries(sq).withCqEntries(cq).withInFlightMax(capacity + RING_HEADROOM), options);
        this.arena = Arena.ofShared();
        int fd = -1;
        try {
            this.ftruncateOp = forceFtruncateOp != null ? forceFtruncateOp
                    : ring.probeOpcodes().supports(IoUring.OP_FTRUNCATE);
            this.callState = Syscalls.newCallState(arena);
            this.emptyPath = arena.allocate(1);
            this.slots = new SlotPool(capacity);
            this.tags = new LongTable<>(capacity);
            this.slotNumbers = new Integer[capacity];
            for (int i = 0; i < capacity; i++) {
                slotNumbers[i] = i;
            }
            this.slotTag = new long[capacity];
            this.generation = new int[capacity];
            this.kind = new byte[capacity];
            this.file = new int[capacity];
            this.offset = new long[capacity];
            this.length = new long[capacity];
            this.flags = new int[capacity];
            this.buffer = new MemorySegment[capacity];
            this.pathA = new int[capacity];
            this.pathB = new int[capacity];
            this.auxSlot = new int[capacity];
            this.statOut = new FileStat[capacity];
            this.retries = new byte[capacity];
            this.linked = new boolean[capacity];
            this.timespecs = slices(arena, capacity, KernelTimespec.BYTES);
            // A rename holds two paths; each operation holds at most one of the others.
            this.paths = new NativeSlots(arena, PATH_BYTES, PATH_CHUNK, 2 * capacity);
            this.iovecs = new NativeSlots(arena, Io.VECTOR_MAX * Iovec.BYTES, IOVEC_CHUNK, capacity);
            this.statxBufs = new NativeSlots(arena, Statx.BYTES, STATX_CHUNK, capacity);
            this.readyTag = new long[capacity];
            this.readyResult = new int[capacity];
            this.retryQueue = new int[capacity];
            this.wakeCounter = arena.allocate(Long.BYTES, Long.BYTES);
            // Blocking, not EFD_NONBLOCK: io_uring then waits for the counter by polling the fd
            // instead of answering -EAGAIN at once.
            fd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("eventfd for the wake-up failed: " + Errno.describe(fd));
            }
            this.wakeFd = fd;
            int table = options.registeredFiles() ? fileTableSize() : 0;
            this.fileTable = table > 0 && ring.registerFilesSparse(table) == 0 ? table : 0;
            this.fileVersion = new int[fileTable];
            this.submitBatch = options.submitBatch();
            armWake();
        } catch (RuntimeException | Error e) {
            // The ring first: its armed read of the eventfd goes with it.
            ring.close();
            if (fd >= 0) {
                Syscalls.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Opens the ring with SQPOLL, or with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has
     * them (it answers EINVAL to flags it does not know), as the options ask.
     */
    private static Ring openRing(RingOptions base, IoOptions options) {
        if (options.sqpoll()) {
            return Ring.open(base.withSqpoll(SQPOLL_IDLE_MS));
        }
        if (options.singleIssuer()) {
            for (RingOptions attempt : new RingOptions[] {base.withDeferTaskrun(true), base.withSingleIssuer(true)}) {
                try {
                    return Ring.open(attempt);
                } catch (RingSetupException e) {
                    if (e.errno() != Errno.EINVAL) {
                        throw e;
                    }
                }
            }
        }
        return Ring.open(base);
    }

    /**
     * {@link #FILE_TABLE}, or fewer where the open-files limit is lower: the kernel refuses a
     * table larger than RLIMIT_NOFILE (-EMFILE), and no fd reaches past that limit anyway.
     */
    static int fileTableSize() {
        long limit = Syscalls.softLimit(Syscalls.RLIMIT_NOFILE);
        return limit < 0 ? FILE_TABLE : (int) Math.min(FILE_TABLE, limit);
    }

    private static MemorySegment[] slices(Arena arena, int count, long bytes) {
        MemorySegment all = arena.allocate(count * bytes, 8);
        MemorySegment[] slices = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            slices[i] = all.asSlice(i * bytes, bytes);
        }
        return slices;
    }

    // ---------------------------------------------------------------- buffers

    /**
     * Registers native buffers with the kernel so that reads and writes inside them skip the
     * per-operation page pinning. Replaces any earlier registration, which is dropped first; the
     * buffers must stay alive until {@link #close()} or the next call. Returns false when the
     * kernel refuses (the locked-memory limit, usually), and then nothing is registered:
     * everything works without it.
     */
    public boolean registerBuffers(MemorySegment... buffers) {
        checkOpen();
        if (registered.length > 0) {
            ring.unregisterBuffers();
            registered = new MemorySegment[0];
        }
        if (ring.registerBuffers(buffers) != 0) {
            return false;
        }
        registered = buffers.clone();
        return true;
    }

    /** How many buffers are registered. */
    public int registeredBuffers() {
        return registered.length;
    }

    /** How many open files are in the ring's registered-file table (see the class comment). */
    public int registeredFiles() {
        return fixedFiles.cardinality();
    }

    /** Whether the ring has a registered-file table: asked for in the options, and granted by the kernel. */
    public boolean hasFileTable() {
        return fileTable > 0;
    }

    /** Puts a file just opened into the table's entry of its fd, where there is one and the kernel agrees. */
    private void registerFile(int fd) {
        if (fd < fileTable && ring.updateFiles(fd, fd) == 1) {
            fixedFiles.set(fd);
            // Never negative, so that it cannot be mistaken for NONE in a close's flags.
            fileVersion[fd] = (fileVersion[fd] + 1) & Integer.MAX_VALUE;
        }
    }

    // ---------------------------------------------------------------- operations

    @Override
    public boolean open(long tag, String path, int openFlags, int mode) {
        OpenFlags.check(openFlags);
        IoArguments.checkMode(mode);
        byte[] encoded = IoArguments.encodePath(path, "path");
        int slot = begin(tag, K_OPEN);
        if (slot < 0) {
            return false;
        }
        pathA[slot] = storePath(encoded);
        flags[slot] = kernelOpenFlags(openFlags);
        length[slot] = mode;
        return submit(slot);
    }

    @Override
    public boolean close(long tag, int handle) {
        int slot = begin(tag, K_CLOSE);
        if (slot < 0) {
            return false;
        }
        int fd = knownFd(handle);
        file[slot] = fd;
        // The registered entry stays until the close completes: SQEs submitted before this
        // close, still in the SQ or waiting in a chain, name it and resolve it when issued. The
        // close keeps the entry's version, to empty it then only if it still holds this file.
        flags[slot] = fd >= 0 && fixedFiles.get(fd) ? fileVersion[fd] : NONE;
        // Throws if refused before the kernel saw the close; the file is then still open, and
        // the handle and its entry stay as they were, as after any refused operation.
        submit(slot);
        if (fd >= 0) {
            // The handle is gone from submission on: a later operation on it must not reach a
            // file that reuses the number.
            openFiles.clear(fd);
            fixedFiles.clear(fd);
        }
        return true;
    }

    @Override
    public boolean read(long tag, int handle, MemorySegment buf, long position) {
        return transfer(tag, K_READ, handle, buf, position);
    }

    @Override
    public boolean write(long tag, int handle, MemorySegment buf, long position) {
        return transfer(tag, K_WRITE, handle, buf, position);
    }

    private boolean transfer(long tag, byte k, int handle, MemorySegment buf, long position) {
        IoArguments.checkBuffer(buf, "buf", k == K_READ);
        IoArguments.checkOffset(position);
        int slot = begin(tag, k);
        if (slot < 0) {
            return false;
        }
        file[slot] = knownFd(handle);
        buffer[slot] = buf;
        offset[slot] = position;
        return submit(slot);
    }

    @Override
    public boolean readv(long tag, int handle, MemorySegment[] bufs, long position) {
        return vectored(tag, K_READV, handle, bufs, position);
    }

    @Override
    public boolean writev(long tag, int handle, MemorySegment[] bufs, long position) {
        return vectored(tag, K_WRITEV, handle, bufs, position);
    }

    private boolean vectored(long tag, byte k, int handle, MemorySegment[] bufs, long position) {
        IoArguments.checkBuffers(bufs, k == K_READV);
        IoArguments.checkOffset(position);
        int slot = begin(tag, k);
        if (slot < 0) {
            return false;
        }
        int iov = iovecs.take();
        assert iov >= 0 : "one iovec array per slot fits";
        auxSlot[slot] = iov;
        for (int i = 0; i < bufs.length; i++) {
            Iovec.set(iovecs.get(iov), i, bufs[i]);
        }
        file[slot] = knownFd(handle);
        offset[slot] = position;
        flags[slot] = bufs.length;
        return submit(slot);
    }

    @Override
    public boolean sync(long tag, int handle, boolean dataOnly) {
        int slot = begin(tag, K_SYNC);
        if (slot < 0) {
            return false;
        }
        file[slot] = knownFd(handle);
        flags[slot] = dataOnly ? 1 : 0;
        return submit(slot);
    }

    @Override
    public boolean stat(long tag, int handle, FileStat out) {
        IoArguments.checkNotNull(out, "out");
        int slot = begin(tag, K_STAT_FILE);
        if (slot < 0) {
            return false;
        }
        file[slot] = knownFd(handle);
        return submitStat(slot, out);
    }

    @Override
    public boolean stat(long tag, String path, FileStat out) {
        IoArguments.checkNotNull(out, "out");
        byte[] encoded = IoArguments.encodePath(path, "path");
        int slot = begin(tag, K_STAT_PATH);
        if (slot < 0) {
            return false;
        }
        pathA[slot] = storePath(encoded);
        return submitStat(slot, out);
    }

    private boolean submitStat(int slot, FileStat out) {
        int sx = statxBufs.take();
        assert sx >= 0 : "one statx buffer per slot fits";
        auxSlot[slot] = sx;
        statOut[slot] = out;
        return submit(slot);
    }

    @Override
    public boolean rename(long tag, String from, String to, boolean noReplace) {
        byte[] a = IoArguments.encodePath(from, "from");
        byte[] b = IoArguments.encodePath(to, "to");
        int slot = begin(tag, K_RENAME);
        if (slot < 0) {
            return false;
        }
        pathA[slot] = storePath(a);
        pathB[slot] = storePath(b);
        flags[slot] = noReplace ? Fcntl.RENAME_NOREPLACE : 0;
        return submit(slot);
    }

    @Override
    public boolean unlink(long tag, String path) {
        return pathOnly(tag, K_UNLINK, path, 0);
    }

    @Override
    public boolean rmdir(long tag, String path) {
        return pathOnly(tag, K_RMDIR, path, Fcntl.AT_REMOVEDIR);
    }

    @Override
    public boolean mkdir(long tag, String path, int mode) {
        IoArguments.checkMode(mode);
        return pathOnly(tag, K_MKDIR, path, mode);
    }

    private boolean pathOnly(long tag, byte k, String path, int flagsOrMode) {
        byte[] encoded = IoArguments.encodePath(path, "path");
        int slot = begin(tag, k);
        if (slot < 0) {
            return false;
        }
        pathA[slot] = storePath(encoded);
        flags[slot] = flagsOrMode;
        return submit(slot);
    }

    @Override
    public boolean allocate(long tag, int handle, long position, long len, boolean keepSize) {
        IoArguments.checkNonNegative(position, "offset");
        if (len <= 0) {
            throw new IllegalArgumentException("length=" + len + " must be > 0");
        }
        int slot = begin(tag, K_ALLOCATE);
        if (slot < 0) {
            return false;
        }
        file[slot] = knownFd(handle);
        offset[slot] = position;
        length[slot] = len;
        flags[slot] = keepSize ? Fcntl.FALLOC_FL_KEEP_SIZE : 0;
        return submit(slot);
    }

    @Override
    public boolean truncate(long tag, int handle, long len) {
        IoArguments.checkNonNegative(len, "length");
        if (!ftruncateOp && chainOpen()) {
            throw new IllegalStateException("truncate cannot be part of a linked chain on this kernel: its io_uring "
                    + "has no FTRUNCATE (Linux 6.9), so it runs outside the ring");
        }
        int slot = begin(tag, K_TRUNCATE);
        if (slot < 0) {
            return false;
        }
        file[slot] = knownFd(handle);
        length[slot] = len;
        if (!ftruncateOp) {
            int r = file[slot] < 0 ? -Errno.EBADF : Syscalls.ftruncate(callState, file[slot], len);
            finishReady(slot, r);
            return true;
        }
        return submit(slot);
    }

    @Override
    public boolean nop(long tag) {
        int slot = begin(tag, K_NOP);
        return slot >= 0 && submit(slot);
    }

    @Override
    public boolean timeout(long tag, long nanos) {
        IoArguments.checkNonNegative(nanos, "nanos");
        int slot = begin(tag, K_TIMEOUT);
        if (slot < 0) {
            return false;
        }
        KernelTimespec.setNanos(timespecs[slot], nanos);
        return submit(slot);
    }

    @Override
    public boolean cancel(long tag, long targetTag) {
        Integer targetSlot = tags.get(targetTag);
        int target = targetSlot == null ? NONE : targetSlot;
        int slot = begin(tag, K_CANCEL);
        if (slot < 0) {
            return false;
        }
        offset[slot] = target >= 0 ? userData(target) : NO_SLOT;
        return submit(slot);
    }

    @Override
    public boolean linkNext() {
        checkOpen();
        if (chainState == CHAIN_LINK_NEXT) {
            throw new IllegalStateException("linkNext() called twice without an operation in between");
        }
        if (chainLength == 0) {
            // A chain must not be split across two io_uring_enter calls: the kernel ends a chain
            // at the end of a submission. Make room for a whole one before it starts.
            if (slots.available() < Math.min(Io.CHAIN_MAX, slots.capacity())) {
                return false;
            }
            if (ring.sqEntries() - ring.pendingSubmissions() < Io.CHAIN_MAX) {
                flushSubmissions();
            }
        } else if (chainLength >= Io.CHAIN_MAX - 1) {
            throw new IllegalStateException("a linked chain may hold at most " + Io.CHAIN_MAX + " operations");
        }
        chainState = CHAIN_LINK_NEXT;
        return true;
    }

    // ---------------------------------------------------------------- completion

    @Override
    public int poll(IoHandler handler) {
        IoArguments.checkNotNull(handler, "handler");
        checkOpen();
        checkNotDelivering();
        endOpenChain();
        armWake();
        resubmitRetries();
        checkEnter(ring.submit());
        return deliver(handler);
    }

    @Override
    public int park(long timeoutNanos, IoHandler handler) {
        IoArguments.checkNotNull(handler, "handler");
        IoArguments.checkNonNegative(timeoutNanos, "timeoutNanos");
        checkOpen();
        checkNotDelivering();
        endOpenChain();
        armWake();
        resubmitRetries();
        if (readyCount > 0 || timeoutNanos == 0) {
            checkEnter(ring.submit());
        } else if (ring.inFlight() > 0) {
            checkEnter(ring.submitAndWait(1, timeoutNanos));
        } else {
            // Nothing can complete: honour the wait as a plain sleep, as the contract says.
            LockSupport.parkNanos(timeoutNanos);
        }
        return deliver(handler);
    }

    private int deliver(IoHandler handler) {
        delivering = true;
        handlerFailure = null;
        int delivered = 0;
        try {
            delivered += deliverReady(handler);
            for (int b = 0; b < POLL_BATCHES_MAX; b++) {
                int n = ring.copyCompletions(batch);
                for (int i = 0; i < n; i++) {
                    if (batch.userData(i) == WAKE_USER_DATA) {
                        wakeFired(batch.result(i));
                        continue;
                    }
                    int slot = (int) batch.userData(i);
                    int res = batch.result(i);
                    if (retry(slot, res)) {
                        continue;
                    }
                    long tag = slotTag[slot];
                    int result = finish(slot, res);
                    call(handler, tag, result);
                    delivered++;
                }
                if (n < batch.capacity()) {
                    break;
                }
            }
            delivered += deliverReady(handler);
        } finally {
            delivering = false;
        }
        if (handlerFailure != null) {
            Throwable failure = handlerFailure;
            handlerFailure = null;
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
        return delivered;
    }

    /**
     * Hands one completion to the handler. A handler that throws does not lose the completions
     * after it: the rest of the batch is delivered, then the first exception is rethrown.
     */
    private void call(IoHandler handler, long tag, int result) {
        try {
            handler.complete(tag, result);
        } catch (RuntimeException | Error e) {
            if (handlerFailure == null) {
                handlerFailure = e;
            } else if (e != handlerFailure) {
                // A handler may throw the same instance twice; it cannot suppress itself.
                handlerFailure.addSuppressed(e);
            }
        }
    }

    private int deliverReady(IoHandler handler) {
        // Bounded: a handler that keeps adding ready completions cannot keep poll from returning.
        int n = 0;
        while (readyCount > 0 && n < readyTag.length) {
            long tag = readyTag[readyHead];
            int result = readyResult[readyHead];
            readyHead = (readyHead + 1) % readyTag.length;
            readyCount--;
            call(handler, tag, result);
            n++;
        }
        return n;
    }

    private void addReady(long tag, int result) {
        assert readyCount < readyTag.length : "more ready completions than slots";
        readyTag[(readyHead + readyCount) % readyTag.length] = tag;
        readyResult[(readyHead + readyCount) % readyTag.length] = result;
        readyCount++;
    }

    /** Queues an operation that the kernel answered with -EAGAIN or -EINTR for resubmission, where that is safe. */
    private boolean retry(int slot, int res) {
        if ((res != -Errno.EAGAIN && res != -Errno.EINTR) || linked[slot] || retries[slot] >= RETRIES_MAX) {
            return false;
        }
        byte k = kind[slot];
        if (k == K_TIMEOUT || k == K_CANCEL || k == K_CLOSE) {
            return false;
        }
        retries[slot]++;
        retryQueue[retryCount++] = slot;
        return true;
    }

    private void resubmitRetries() {
        for (int i = 0; i < retryCount; i++) {
            prepareWithRoom(retryQueue[i], false);
        }
        retryCount = 0;
    }

    /** Frees the slot's resources and returns the result the caller sees. */
    private int finish(int slot, int res) {
        int result = res;
        switch (kind[slot]) {
            case K_OPEN -> {
                if (res >= 0) {
                    openFiles.set(res);
                    registerFile(res);
                }
            }
            case K_CLOSE -> {
                // An open that reused the fd may have filled the entry again since (a newer
                // version): the entry is then the new file's, open or closing.
                if (flags[slot] != NONE && fileVersion[file[slot]] == flags[slot]) {
                    ring.updateFiles(file[slot], -1);
                }
                closeIfCancelled(slot, res);
            }
            case K_TIMEOUT -> result = res == -Errno.ETIME ? 0 : res;
            case K_STAT_FILE, K_STAT_PATH -> {
                if (res == 0) {
                    fillStat(statOut[slot], statxBufs.get(auxSlot[slot]));
                }
            }
            default -> { }
        }
        release(slot);
        return result;
    }

    /** Finishes the slot's operation now and keeps its completion for the next delivery. */
    private void finishReady(int slot, int res) {
        long tag = slotTag[slot];
        addReady(tag, finish(slot, res));
    }

    /**
     * Ends a {@link #park} in progress on the owner thread, or the next one: an
     * {@code eventfd_write} that completes the read armed in the ring. Safe from any thread, and
     * after close (then it does nothing).
     */
    @Override
    public void wakeup() {
        wakers.incrementAndGet();
        try {
            if (!wakeClosed) {
                int r = Syscalls.eventfdWrite(wakeFd, 1);
                assert r == 0 : "eventfd_write on our own eventfd failed";
            }
        } finally {
            wakers.decrementAndGet();
        }
    }

    /** Arms the read on the wake-up eventfd unless it is armed; it waits in the SQ for the next enter. */
    private void armWake() {
        if (wakeArmed) {
            return;
        }
        int sqe = ring.prepRead(wakeFd, wakeCounter, 0, WAKE_USER_DATA);
        if (sqe == Ring.SQ_FULL) {
            assert !chainOpen() : "the wake-up read is armed between chains";
            flushSubmissions();
            sqe = ring.prepRead(wakeFd, wakeCounter, 0, WAKE_USER_DATA);
        }
        if (sqe == Ring.SQ_FULL) {
            throw new AssertionError("no SQE free for the wake-up read after a flush");
        }
        wakeArmed = true;
    }

    private void wakeFired(int res) {
        // 8: the counter was read (and reset); cancelled only at close; -EINTR and -EAGAIN are
        // answered by arming again. Anything else is a bug of ours.
        assert res == Long.BYTES || res == -Errno.ECANCELED || res == -Errno.EINTR || res == -Errno.EAGAIN
                : "the wake-up read completed with " + Errno.describe(res);
        wakeArmed = false;
    }

    @Override
    public int inFlight() {
        return tags.size();
    }

    @Override
    public int capacity() {
        return slots.capacity();
    }

    @Override
    public IoBackend backend() {
        return backend;
    }

    /** For tests: lets an fd this {@code Io} did not open (a pipe, say) be used as a handle. */
    void adopt(int fd) {
        openFiles.set(fd);
    }

    /** For tests: how many path buffers the pool has made. */
    int pathBuffersMade() {
        return paths.made();
    }

    /** The ring underneath, for statistics. */
    public Ring ring() {
        return ring;
    }

    /**
     * Cancels everything in flight and waits for it ({@link Ring#close()}), closes the files this
     * {@code Io} opened and has not closed, and frees its native memory. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkNotDelivering();
        // An open that completed in the drain made an fd nobody will see: close it.
        ring.close((userData, res, cqeFlags) -> {
            int s = (int) userData;
            if (userData == WAKE_USER_DATA || s < 0 || s >= kind.length || userData != userData(s)) {
                return;
            }
            if (kind[s] == K_OPEN && res >= 0) {
                Syscalls.close(res);
            } else if (kind[s] == K_CLOSE) {
                closeIfCancelled(s, res);
            }
        });
        closed = true;
        wakeClosed = true;
        while (wakers.get() > 0) {
            // A wakeup() between its check and its write: let it finish before the fd number is freed.
            Thread.onSpinWait();
        }
        Syscalls.close(wakeFd);
        for (int fd = openFiles.nextSetBit(0); fd >= 0; fd = openFiles.nextSetBit(fd + 1)) {
            Syscalls.close(fd);
        }
        openFiles.clear();
        arena.close();
    }

    // ---------------------------------------------------------------- slots and SQEs

    /**
     * Takes a slot for a new operation; -1 when every slot is in flight (the caller returns
     * false), or {@link IllegalStateException} when that happens inside a linked chain. Path,
     * iovec and statx pieces never run out before the slots: their pools are sized for every
     * slot holding its most.
     */
    private int begin(long tag, byte k) {
        checkOpen();
        if (tags.containsKey(tag)) {
            throw new IllegalArgumentException("tag=" + tag + " is already in flight");
        }
        int slot = slots.take();
        if (slot < 0) {
            if (chainOpen()) {
                // Refusing now would leave half a chain to be ended by the next poll.
                throw new IllegalStateException("a linked chain outgrew this Io's capacity=" + slots.capacity());
            }
            return -1;
        }
        tags.put(tag, slotNumbers[slot]);
        slotTag[slot] = tag;
        generation[slot] = (generation[slot] + 1) & 0x3FFF_FFFF;
        kind[slot] = k;
        retries[slot] = 0;
        pathA[slot] = NONE;
        pathB[slot] = NONE;
        auxSlot[slot] = NONE;
        buffer[slot] = null;
        statOut[slot] = null;
        linked[slot] = false;
        return slot;
    }

    private void release(int slot) {
        if (pathA[slot] != NONE) {
            paths.give(pathA[slot]);
        }
        if (pathB[slot] != NONE) {
            paths.give(pathB[slot]);
        }
        byte k = kind[slot];
        if (auxSlot[slot] != NONE) {
            if (k == K_READV || k == K_WRITEV) {
                iovecs.give(auxSlot[slot]);
            } else {
                statxBufs.give(auxSlot[slot]);
            }
        }
        buffer[slot] = null;
        statOut[slot] = null;
        Integer removed = tags.remove(slotTag[slot]);
        assert removed != null && removed == slot : "tag " + slotTag[slot] + " mapped to " + removed + ", not " + slot;
        slots.give(slot);
    }

    /** Puts the slot's SQE into the ring, linked to the next one if linkNext() asked for it. */
    private boolean submit(int slot) {
        boolean linkThis = chainState == CHAIN_LINK_NEXT;
        linked[slot] = linkThis || chainLength > 0;
        try {
            prepareWithRoom(slot, linkThis);
        } catch (RuntimeException | Error e) {
            // Refused before the kernel saw it (the ring is used from a thread it does not
            // belong to, say): the tag and the slot are free again.
            release(slot);
            throw e;
        }
        if (linkThis) {
            chainState = CHAIN_NONE;
            chainLength++;
        } else {
            chainLength = 0;
            if (submitBatch > 0 && ring.pendingSubmissions() >= submitBatch) {
                // A refusal (-EBUSY while completions back up) leaves the SQEs for the next poll or park.
                ring.submit();
            }
        }
        return true;
    }

    /** For tests: SQEs prepared and not yet handed to the kernel. */
    int waitingSubmissions() {
        return ring.pendingSubmissions();
    }

    private void prepareWithRoom(int slot, boolean link) {
        int sqe = prepare(slot);
        if (sqe == Ring.SQ_FULL) {
            // Never inside a chain: linkNext() made room for a whole chain before it began, and a
            // flush here would end the chain early.
            assert !chainOpen() : "SQ filled inside a linked chain";
            flushSubmissions();
            sqe = prepare(slot);
        }
        if (sqe == Ring.SQ_FULL) {
            throw new AssertionError("no SQE free after a flush: sq=" + ring.sqEntries() + " pending="
                    + ring.pendingSubmissions() + " inFlight=" + ring.inFlight());
        }
        if (link) {
            ring.addFlags(sqe, IoUring.IOSQE_IO_LINK);
        }
    }

    /** Hands everything in the SQ to the kernel, waiting for it to take at least part. */
    private void flushSubmissions() {
        for (int attempt = 0; attempt < RETRIES_MAX; attempt++) {
            int r = ring.submit();
            if (r >= 0 && ring.pendingSubmissions() < ring.sqEntries()) {
                return;
            }
            checkEnter(r);
            // The kernel is short of room for completions (-EBUSY): make some by taking
            // completions out now; they are delivered by the next poll.
            stashCompletions();
        }
        throw new IllegalStateException("io_uring kept refusing submissions: " + ring.pendingSubmissions() + " pending");
    }

    private void stashCompletions() {
        // No retries from here: this runs while an operation is being submitted.
        int n = ring.copyCompletions(stashBatch);
        for (int i = 0; i < n; i++) {
            if (stashBatch.userData(i) == WAKE_USER_DATA) {
                wakeFired(stashBatch.result(i));
                continue;
            }
            finishReady((int) stashBatch.userData(i), stashBatch.result(i));
        }
    }

    private int prepare(int slot) {
        int sqe = prepareSqe(slot);
        if (sqe >= 0 && usesFixedFile(kind[slot]) && file[slot] >= 0 && fixedFiles.get(file[slot])) {
            ring.addFlags(sqe, IoUring.IOSQE_FIXED_FILE);
        }
        return sqe;
    }

    /** Operations whose file may be named by its registered-table entry (statx and close need the fd). */
    private static boolean usesFixedFile(byte k) {
        return k == K_READ || k == K_WRITE || k == K_READV || k == K_WRITEV || k == K_SYNC || k == K_ALLOCATE
                || k == K_TRUNCATE;
    }

    private int prepareSqe(int slot) {
        long ud = userData(slot);
        return switch (kind[slot]) {
            case K_OPEN -> ring.prepOpenat(Fcntl.AT_FDCWD, paths.get(pathA[slot]), flags[slot], (int) length[slot], ud);
            // An unknown handle is closed as fd -1, which the kernel answers with -EBADF.
            case K_CLOSE -> ring.prepClose(file[slot], ud);
            case K_READ, K_WRITE -> prepTransfer(slot, ud);
            case K_READV -> ring.prepReadv(file[slot], iovecs.get(auxSlot[slot]), flags[slot], offset[slot], ud);
            case K_WRITEV -> ring.prepWritev(file[slot], iovecs.get(auxSlot[slot]), flags[slot], offset[slot], ud);
            case K_SYNC -> ring.prepFsync(file[slot], flags[slot] != 0, ud);
            case K_STAT_FILE -> ring.prepStatx(file[slot], emptyPath, Fcntl.AT_EMPTY_PATH, Statx.STATX_BASIC_STATS,
                    statxBufs.get(auxSlot[slot]), ud);
            case K_STAT_PATH -> ring.prepStatx(Fcntl.AT_FDCWD, paths.get(pathA[slot]), 0, Statx.STATX_BASIC_STATS,
                    statxBufs.get(auxSlot[slot]), ud);
            case K_RENAME -> ring.prepRenameat(Fcntl.AT_FDCWD, paths.get(pathA[slot]), Fcntl.AT_FDCWD, paths.get(pathB[slot]),
                    flags[slot], ud);
            case K_UNLINK, K_RMDIR -> ring.prepUnlinkat(Fcntl.AT_FDCWD, paths.get(pathA[slot]), flags[slot], ud);
            case K_MKDIR -> ring.prepMkdirat(Fcntl.AT_FDCWD, paths.get(pathA[slot]), flags[slot], ud);
            case K_ALLOCATE -> ring.prepFallocate(file[slot], flags[slot], offset[slot], length[slot], ud);
            case K_TRUNCATE -> ring.prepFtruncate(file[slot], length[slot], ud);
            case K_NOP -> ring.prepNop(ud);
            // ETIME_SUCCESS (Linux 5.16): a timeout that fires is a success, so a chain goes on.
            case K_TIMEOUT -> ring.prepTimeout(timespecs[slot], 0, IoUring.TIMEOUT_ETIME_SUCCESS, ud);
            case K_CANCEL -> ring.prepCancel(offset[slot], 0, ud);
            default -> throw new AssertionError("slot " + slot + " has no operation");
        };
    }

    /**
     * A close answered {@code res}: if it was cancelled, it never ran, and its handle died at
     * submission, so nobody else can free the fd: free it here.
     */
    private void closeIfCancelled(int slot, int res) {
        if (res == -Errno.ECANCELED && file[slot] >= 0) {
            Syscalls.close(file[slot]);
        }
    }

    /** The user_data of the slot's current operation: its generation above, the slot number below. */
    private long userData(int slot) {
        return ((long) generation[slot] << 32) | slot;
    }

    private int prepTransfer(int slot, long ud) {
        MemorySegment buf = buffer[slot];
        boolean read = kind[slot] == K_READ;
        int region = registeredRegion(buf);
        if (region >= 0) {
            return read ? ring.prepReadFixed(file[slot], buf, offset[slot], region, ud)
                    : ring.prepWriteFixed(file[slot], buf, offset[slot], region, ud);
        }
        return read ? ring.prepRead(file[slot], buf, offset[slot], ud) : ring.prepWrite(file[slot], buf, offset[slot], ud);
    }

    private int registeredRegion(MemorySegment buf) {
        MemorySegment[] regions = registered;
        for (int r = 0; r < regions.length; r++) {
            MemorySegment region = regions[r];
            long start = region.address();
            if (buf.address() >= start && buf.address() + buf.byteSize() <= start + region.byteSize()) {
                return r;
            }
        }
        return -1;
    }

    /**
     * True while a chain is being built: linkNext() waits for its operation, or the last
     * operation submitted carries IO_LINK and waits for a follower.
     */
    private boolean chainOpen() {
        return chainState != CHAIN_NONE || chainLength > 0;
    }

    private void endOpenChain() {
        // A chain still open at poll time ends here: the kernel ends it at this submission anyway.
        chainState = CHAIN_NONE;
        chainLength = 0;
    }

    // ---------------------------------------------------------------- native scratch memory

    private int storePath(byte[] encoded) {
        int p = paths.take();
        assert p >= 0 : "two paths per slot fit";
        MemorySegment target = paths.get(p);
        MemorySegment.copy(encoded, 0, target, JAVA_BYTE, 0, encoded.length);
        target.set(JAVA_BYTE, encoded.length, (byte) 0);
        return p;
    }

    private static void fillStat(FileStat out, MemorySegment stx) {
        int type = Statx.mode(stx) & Statx.S_IFMT;
        FileStat.Type t = switch (type) {
            case Statx.S_IFREG -> FileStat.Type.FILE;
            case Statx.S_IFDIR -> FileStat.Type.DIRECTORY;
            case Statx.S_IFLNK -> FileStat.Type.SYMLINK;
            default -> FileStat.Type.OTHER;
        };
        out.set(Statx.size(stx), Statx.blockSize(stx), t,
                Statx.mtimeSeconds(stx) * 1_000_000_000L + Statx.mtimeNanos(stx));
    }

    private int knownFd(int handle) {
        return handle >= 0 && openFiles.get(handle) ? handle : -1;
    }

    private static int kernelOpenFlags(int f) {
        int k = Fcntl.O_CLOEXEC;
        if ((f & OpenFlags.DIRECTORY) != 0) {
            return k | Fcntl.O_RDONLY | Fcntl.O_DIRECTORY;
        }
        boolean read = (f & OpenFlags.READ) != 0;
        boolean write = (f & OpenFlags.WRITE) != 0;
        k |= read && write ? Fcntl.O_RDWR : write ? Fcntl.O_WRONLY : Fcntl.O_RDONLY;
        if ((f & OpenFlags.CREATE) != 0) {
            k |= Fcntl.O_CREAT;
        }
        if ((f & OpenFlags.CREATE_NEW) != 0) {
            k |= Fcntl.O_CREAT | Fcntl.O_EXCL;
        }
        if ((f & OpenFlags.TRUNCATE) != 0) {
            k |= Fcntl.O_TRUNC;
        }
        if ((f & OpenFlags.APPEND) != 0) {
            k |= Fcntl.O_APPEND;
        }
        if ((f & OpenFlags.DIRECT) != 0) {
            k |= Fcntl.O_DIRECT;
        }
        if ((f & OpenFlags.DSYNC) != 0) {
            k |= Fcntl.O_DSYNC;
        }
        return k;
    }

    // ---------------------------------------------------------------- checks

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Io is closed");
        }
    }

    private void checkNotDelivering() {
        if (delivering) {
            throw new IllegalStateException("poll and park cannot be called from inside a completion handler");
        }
    }

    private void checkEnter(int r) {
        if (r < 0 && r != -Errno.EBUSY && r != -Errno.EAGAIN && r != -Errno.EINTR) {
            throw new IllegalStateException("io_uring_enter failed: " + Errno.describe(r));
        }
    }
}
