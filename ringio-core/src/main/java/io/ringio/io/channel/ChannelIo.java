package io.ringio.io.channel;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.io.IoOptions;
import io.ringio.internal.IoArguments;
import io.ringio.internal.LongTable;
import io.ringio.io.OpenFlags;
import io.ringio.io.channel.ChannelOp.Kind;
import io.ringio.io.channel.ChannelOp.State;
import io.ringio.io.channel.ChannelOp.Where;
import io.ringio.sys.Errno;

import java.lang.foreign.MemorySegment;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The portable {@link Io}: FileChannel and java.nio.file on a small pool of worker threads, for
 * where io_uring is not (macOS, Windows, old kernels, seccomp profiles that block it). It keeps the
 * io_uring backend's contract, results and errno values; what follows is what the {@link Io}
 * contract leaves open, and how this backend decides it.
 *
 * <h2>Threads and dispatch</h2>
 * Workers are daemon threads named {@code ringio-channel-N}. A submission only records the
 * operation; {@link #poll} and {@link #park} hand everything waiting to the workers, in
 * submission order, and then deliver completions on the calling thread, never under a lock and
 * never from a worker. A chain runs in order on one worker; operations that are not linked run
 * in parallel on as many workers as there are, and complete in any order. Workers are never
 * interrupted (an interrupt closes a FileChannel); they stop when told to.
 *
 * <p>Timeouts, cancellations and NOPs need no worker: the owner thread runs them inside
 * {@code poll} and {@code park}, and {@code park} sleeps no longer than the earliest timeout.
 * There is no timer thread, and nothing can observe a timeout except through {@code poll} or
 * {@code park}. A timeout's time counts from when it starts: from the {@code poll} or {@code park}
 * that dispatched it, or, in a chain, from the completion of the operation before it (it waits
 * without holding a worker).
 *
 * <h2>Links</h2>
 * {@link #linkNext()} needs room for {@code min(CHAIN_MAX, capacity)} more operations, so that it
 * can succeed on an {@code Io} smaller than a chain; calling it again before the next submission
 * changes nothing. {@code poll} and {@code park} end a chain that is still open (its last
 * operation's link is dropped, as io_uring drops a link at the end of a submission); a
 * {@code linkNext()} not yet followed by an operation still applies to the next one. An operation
 * is short when it moves fewer bytes than its buffers hold, including a read at end of file
 * (0 bytes); a short or failed operation, or a cancelled one, completes every operation linked
 * after it with {@code -ECANCELED}.
 *
 * <h2>Cancel</h2>
 * A cancel is evaluated in order with the operations dispatched with it. Its target is stopped if
 * it has not started: queued for a worker, waiting in a chain behind another operation, or a
 * timeout not yet expired (in a chain or not); the target and everything linked after it complete
 * with {@code -ECANCELED} and the cancel with 0. A running target makes it {@code -EALREADY}; one
 * that has completed (delivered or not) or was never submitted {@code -ENOENT}. Cancelling one's
 * own tag is an {@link IllegalArgumentException}.
 *
 * <h2>Files</h2>
 * A handle is the lowest free slot of a table, like a file descriptor. A handle that names no
 * open file (closed, never opened, negative) is not an argument error: the operation completes
 * with {@code -EBADF}, as the kernel's would. {@code close} frees the handle at submission;
 * operations submitted before it still finish on the open file, whose channels close when the
 * last of them completes (with io_uring, they hold a reference to the file the same way). A
 * close that is cancelled still frees its handle and closes the file, so nothing leaks.
 * <ul>
 *   <li>{@link OpenFlags#DIRECT}: {@code ExtendedOpenOption.DIRECT}. The JDK checks alignment
 *       itself, against the file store's block size (4096 on ext4), before the kernel sees the
 *       request: an unaligned buffer address, length or offset completes with {@code -EINVAL}.
 *       That is stricter than the kernel, which needs only the device's logical block size (often
 *       512). {@link FileStat#blockSize()} reports the JDK's size, so an engine that aligns to it
 *       works on both backends.</li>
 *   <li>FileChannel cannot open READ with APPEND, nor APPEND with TRUNCATE: the first opens a
 *       second channel for reading, the second cuts the file after opening it. Growing a file
 *       opened with APPEND or DIRECT writes one zero byte at the new end through one more plain
 *       channel, since an O_DIRECT channel refuses one byte and an APPEND channel puts it last.</li>
 *   <li>{@code mode} must lie in {@code [0, 07777]}; the set-user-ID, set-group-ID and sticky
 *       bits have no {@code PosixFilePermission} and are ignored.</li>
 *   <li>{@code stat} by handle reports the size of the open file exactly; its modification time
 *       is read through its path (kept up to date by renames through this {@code Io}) and is the
 *       last one seen if the path no longer names the file. Stat by path follows symbolic links;
 *       the block size is the file store's.</li>
 *   <li>{@code rename} with {@code noReplace} checks for the target, then renames: a file created
 *       by someone else in between is replaced. Across file systems a rename is {@code -EXDEV},
 *       never a copy.</li>
 *   <li>{@code allocate} reserves no space (FileChannel cannot): it only grows the size to
 *       {@code offset + length} unless {@code keepSize}, so a later write may still fail with
 *       {@code -ENOSPC}. A zero length is {@code -EINVAL}, as fallocate(2) says.</li>
 *   <li>{@code truncate} of a file not open for writing is {@code -EINVAL}, as ftruncate(2) is on
 *       Linux.</li>
 *   <li>One read or write moves at most {@code 0x7ffff000} bytes (Linux's
 *       {@code MAX_RW_COUNT}); readv and writev stop at the first short transfer and report the
 *       total so far.</li>
 *   <li>An empty path is an {@link IllegalArgumentException}, like one with a NUL.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Workers reach a confined segment through a view of its address (the kernel does the same), so
 * any native segment works. If the segment's arena is closed before the operation runs, it
 * completes with {@code -EFAULT}; closed while it runs is the caller's bug, as with io_uring.
 * Operation records come from a pool as large as the capacity; FileChannel itself allocates a
 * little per transfer.
 *
 * <h2>Delivery and close</h2>
 * A handler that throws does not lose completions: the rest of the batch is still delivered, and
 * then the first exception is rethrown. A handler may submit, poll or park. An interrupt ends a
 * {@code park} early and stays set. {@link #close()} drops what has not started and every
 * completion not delivered, waits up to ten seconds for running operations and the workers, then
 * closes every file; if something still runs after that it throws {@link IllegalStateException},
 * the buffers may still be in use, and calling close again waits again.
 */
public final class ChannelIo implements Io {
    /** How long {@link #close()} waits for running operations to finish. */
    static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Most completions copied out under the lock at once before handlers run. */
    static final int DELIVER_BATCH_MAX = 256;

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();
    private static final Comparator<ChannelOp> BY_DEADLINE = Comparator.comparingLong(op -> op.deadline);

    private final int capacity;
    private final IoBackend backend;
    private final Thread[] workers;
    /** Times are nanoseconds since this, so that they never wrap and a deadline can saturate. */
    private final long origin = System.nanoTime();

    // The owner thread's alone: the Io is used by one thread at a time.
    private final LongTable<ChannelOp> tags;
    private final ArrayDeque<ChannelOp> pool;
    private final FileTable files = new FileTable();
    /** First and last operation of the chain being submitted; the last is linked to the next. */
    private ChannelOp chainHead;
    private ChannelOp chainTail;
    private int chainLength;
    /** linkNext() was called and the next operation submitted is linked to the one after it. */
    private boolean linkPending;
    /** Complete chains submitted and not yet dispatched, by head, in submission order. */
    private final ArrayDeque<ChannelOp> pending;
    private final long[] batchTags = new long[DELIVER_BATCH_MAX];
    private final int[] batchResults = new int[DELIVER_BATCH_MAX];
    private int deliveryDepth;
    /** OPEN, CLOSING or CLOSED; written by the owner, read by workers under the lock. */
    private int state = OPEN;

    // Guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a chain is queued for the workers, or they must stop. */
    private final Condition workAvailable = lock.newCondition();
    /** Signalled when a completion is posted, or something needs the owner (a timer, a cancel). */
    private final Condition ownerWanted = lock.newCondition();
    /** Chains for the workers, by head. */
    private final ArrayDeque<ChannelOp> work;
    /** Timeouts started and not expired, earliest first; a chain may hang after each. */
    private final PriorityQueue<ChannelOp> timers;
    /** Chains a worker handed back to the owner because they go on with a cancel. */
    private final ArrayDeque<ChannelOp> ownerWork;
    private final ArrayDeque<ChannelOp> completed;
    /** Files whose last reference was dropped under the lock; closed outside it. */
    private final ArrayDeque<ChannelFile> closeLater = new ArrayDeque<>();
    private boolean stopping;
    /** wakeup() was called and the park in progress, or the next one, has not yet returned for it. */
    private boolean wakeRequested;
    private Throwable workerFailure;

    private ChannelIo(int capacity, int workerCount, String reason) {
        this.capacity = capacity;
        this.backend = new IoBackend(IoBackend.Kind.CHANNEL, reason);
        this.tags = new LongTable<>(capacity);
        int initial = Math.min(capacity, 1024);
        this.pool = new ArrayDeque<>(initial);
        this.pending = new ArrayDeque<>(initial);
        this.work = new ArrayDeque<>(initial);
        this.timers = new PriorityQueue<>(initial, BY_DEADLINE);
        this.ownerWork = new ArrayDeque<>();
        this.completed = new ArrayDeque<>(initial);
        this.workers = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::workerLoop, "ringio-channel-" + WORKER_NUMBERS.getAndIncrement());
            worker.setDaemon(true);
            workers[i] = worker;
        }
        for (Thread worker : workers) {
            worker.start();
        }
    }

    /**
     * Opens a FileChannel backend.
     *
     * @param capacity most operations in flight, 1 to {@link IoOptions#CAPACITY_MAX}
     * @param workers  worker threads, 1 to {@link IoOptions#WORKERS_MAX}
     * @param reason   why this backend was chosen, for {@link #backend()}
     * @throws IllegalArgumentException if a count is out of range or {@code reason} is null
     */
    public static ChannelIo open(int capacity, int workers, String reason) {
        return open(new IoOptions(IoOptions.Choice.CHANNEL, capacity, workers), reason);
    }

    /** Opens a FileChannel backend with the capacity and worker count of {@code options}; its backend choice is not consulted. */
    public static ChannelIo open(IoOptions options, String reason) {
        if (options == null) {
            throw new IllegalArgumentException("options=null");
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason=null");
        }
        return new ChannelIo(options.capacity(), options.channelWorkers(), reason);
    }

    // ---- submission ----

    @Override
    public boolean open(long tag, String path, int flags, int mode) {
        checkOpen();
        Path p = checkPath("path", path);
        OpenFlags.check(flags);
        IoArguments.checkMode(mode);
        ChannelOp op = acquire(tag, Kind.OPEN);
        if (op == null) {
            return false;
        }
        ChannelFile file = files.reserve(p);
        if (file != null) {
            file.retain();
        }
        op.file = file;
        op.path = p;
        op.dirOnly = dirOnly(path);
        op.flags = flags;
        op.mode = mode;
        submit(op);
        return true;
    }

    @Override
    public boolean close(long tag, int file) {
        checkOpen();
        ChannelOp op = acquire(tag, Kind.CLOSE);
        if (op == null) {
            return false;
        }
        ChannelFile f = files.get(file);
        if (f != null) {
            // The handle is invalid from now on. The table's reference passes to this close, which
            // drops it when it runs or when it will not run; the channels close with the last
            // reference, so operations submitted before still finish on the open file.
            files.remove(f);
        }
        op.file = f;
        submit(op);
        return true;
    }

    @Override
    public boolean read(long tag, int file, MemorySegment buf, long offset) {
        return transfer(tag, Kind.READ, file, buf, offset);
    }

    @Override
    public boolean write(long tag, int file, MemorySegment buf, long offset) {
        return transfer(tag, Kind.WRITE, file, buf, offset);
    }

    private boolean transfer(long tag, Kind kind, int file, MemorySegment buf, long offset) {
        checkOpen();
        IoArguments.checkBuffer(buf, "buf", kind == Kind.READ);
        IoArguments.checkOffset(offset);
        ChannelOp op = acquire(tag, kind);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.buf = buf;
        op.offset = offset;
        op.requested = buf.byteSize();
        submit(op);
        return true;
    }

    @Override
    public boolean readv(long tag, int file, MemorySegment[] bufs, long offset) {
        return vectorTransfer(tag, Kind.READV, file, bufs, offset);
    }

    @Override
    public boolean writev(long tag, int file, MemorySegment[] bufs, long offset) {
        return vectorTransfer(tag, Kind.WRITEV, file, bufs, offset);
    }

    private boolean vectorTransfer(long tag, Kind kind, int file, MemorySegment[] bufs, long offset) {
        checkOpen();
        long total = IoArguments.checkBuffers(bufs, kind == Kind.READV);
        IoArguments.checkOffset(offset);
        ChannelOp op = acquire(tag, kind);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.bufs = bufs;
        op.offset = offset;
        op.requested = total;
        submit(op);
        return true;
    }

    @Override
    public boolean sync(long tag, int file, boolean dataOnly) {
        checkOpen();
        ChannelOp op = acquire(tag, Kind.SYNC);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.flag = dataOnly;
        submit(op);
        return true;
    }

    @Override
    public boolean stat(long tag, int file, FileStat out) {
        checkOpen();
        IoArguments.checkNotNull(out, "out");
        ChannelOp op = acquire(tag, Kind.FSTAT);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.stat = out;
        submit(op);
        return true;
    }

    @Override
    public boolean stat(long tag, String path, FileStat out) {
        checkOpen();
        Path p = checkPath("path", path);
        IoArguments.checkNotNull(out, "out");
        ChannelOp op = acquire(tag, Kind.STAT);
        if (op == null) {
            return false;
        }
        op.path = p;
        op.dirOnly = dirOnly(path);
        op.stat = out;
        submit(op);
        return true;
    }

    @Override
    public boolean rename(long tag, String from, String to, boolean noReplace) {
        checkOpen();
        Path f = checkPath("from", from);
        Path t = checkPath("to", to);
        ChannelOp op = acquire(tag, Kind.RENAME);
        if (op == null) {
            return false;
        }
        op.path = f;
        op.path2 = t;
        op.dirOnly = dirOnly(from);
        op.dirOnly2 = dirOnly(to);
        op.flag = noReplace;
        submit(op);
        return true;
    }

    @Override
    public boolean unlink(long tag, String path) {
        return pathOp(tag, Kind.UNLINK, path, 0);
    }

    @Override
    public boolean rmdir(long tag, String path) {
        return pathOp(tag, Kind.RMDIR, path, 0);
    }

    @Override
    public boolean mkdir(long tag, String path, int mode) {
        IoArguments.checkMode(mode);
        return pathOp(tag, Kind.MKDIR, path, mode);
    }

    private boolean pathOp(long tag, Kind kind, String path, int mode) {
        checkOpen();
        Path p = checkPath("path", path);
        ChannelOp op = acquire(tag, kind);
        if (op == null) {
            return false;
        }
        op.path = p;
        op.dirOnly = dirOnly(path);
        op.mode = mode;
        submit(op);
        return true;
    }

    @Override
    public boolean allocate(long tag, int file, long offset, long length, boolean keepSize) {
        checkOpen();
        IoArguments.checkNonNegative(offset, "offset");
        IoArguments.checkNonNegative(length, "length");
        if (offset + length < 0) {
            throw new IllegalArgumentException("offset=" + offset + " + length=" + length + " overflows");
        }
        ChannelOp op = acquire(tag, Kind.ALLOCATE);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.offset = offset;
        op.length = length;
        op.flag = keepSize;
        submit(op);
        return true;
    }

    @Override
    public boolean truncate(long tag, int file, long length) {
        checkOpen();
        IoArguments.checkNonNegative(length, "length");
        ChannelOp op = acquire(tag, Kind.TRUNCATE);
        if (op == null) {
            return false;
        }
        op.file = retain(file);
        op.length = length;
        submit(op);
        return true;
    }

    @Override
    public boolean nop(long tag) {
        checkOpen();
        ChannelOp op = acquire(tag, Kind.NOP);
        if (op == null) {
            return false;
        }
        submit(op);
        return true;
    }

    @Override
    public boolean timeout(long tag, long nanos) {
        checkOpen();
        IoArguments.checkNonNegative(nanos, "nanos");
        ChannelOp op = acquire(tag, Kind.TIMEOUT);
        if (op == null) {
            return false;
        }
        op.nanos = nanos;
        submit(op);
        return true;
    }

    @Override
    public boolean cancel(long tag, long targetTag) {
        checkOpen();
        if (tag == targetTag) {
            throw new IllegalArgumentException("targetTag=" + targetTag + " is this cancel's own tag");
        }
        ChannelOp op = acquire(tag, Kind.CANCEL);
        if (op == null) {
            return false;
        }
        op.targetTag = targetTag;
        submit(op);
        return true;
    }

    @Override
    public boolean linkNext() {
        checkOpen();
        if (linkPending) {
            return true;
        }
        if (chainHead != null) {
            // The next operation joins this chain and is linked to one more after it.
            if (chainLength + 2 > CHAIN_MAX) {
                throw new IllegalStateException("a chain holds at most CHAIN_MAX=" + CHAIN_MAX + " operations; this one has "
                        + chainLength + " and two more would follow");
            }
        } else if (capacity - tags.size() < Math.min(CHAIN_MAX, capacity)) {
            return false;
        }
        linkPending = true;
        return true;
    }

    /** A pooled record for a new operation, or null at capacity. */
    private ChannelOp acquire(long tag, Kind kind) {
        if (tags.get(tag) != null) {
            throw new IllegalArgumentException("tag=" + tag + " is already in flight");
        }
        if (tags.isFull()) {
            if (linkPending || chainHead != null) {
                // Refusing with false would leave half a chain for the next poll to end.
                throw new IllegalStateException("a linked chain outgrew this Io's capacity=" + capacity);
            }
            return null;
        }
        ChannelOp op = pool.pollFirst();
        if (op == null) {
            op = new ChannelOp();
        }
        assert op.state == State.FREE : op;
        op.tag = tag;
        op.kind = kind;
        op.state = State.PENDING;
        tags.put(tag, op);
        return op;
    }

    /** The file a handle names, with a reference for the operation; null when it names none. */
    private ChannelFile retain(int handle) {
        ChannelFile file = files.get(handle);
        if (file != null) {
            file.retain();
        }
        return file;
    }

    /** Adds a filled-in operation to the open chain, or ends it, or starts a new one. */
    private void submit(ChannelOp op) {
        if (chainTail != null) {
            chainTail.next = op;
            op.prev = chainTail;
            chainTail = op;
            chainLength++;
        } else {
            chainHead = op;
            chainTail = op;
            chainLength = 1;
        }
        boolean linked = linkPending;
        linkPending = false;
        if (!linked) {
            endChain();
        }
    }

    /** Moves the chain being submitted, complete or not, to the operations waiting for dispatch. */
    private void endChain() {
        if (chainHead == null) {
            return;
        }
        chainHead.where = Where.PENDING;
        pending.addLast(chainHead);
        chainHead = null;
        chainTail = null;
        chainLength = 0;
    }

    // ---- checks ----

    private void checkOpen() {
        if (state != OPEN) {
            throw new IllegalStateException("this ChannelIo is closed");
        }
    }

    /** The path as an absolute {@link Path}, or {@link IllegalArgumentException} naming what is wrong. */
    private static Path checkPath(String name, String path) {
        if (path == null) {
            throw new IllegalArgumentException(name + "=null");
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        long bytes = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(name + "=" + shorten(path) + " contains NUL at index " + i);
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + "=" + shorten(path) + " has an unpaired surrogate at index " + i
                        + "; it has no UTF-8 form");
            } else {
                bytes += 3;
            }
        }
        if (bytes > PATH_BYTES_MAX) {
            throw new IllegalArgumentException(name + "=" + shorten(path) + " is " + bytes
                    + " UTF-8 bytes, more than PATH_BYTES_MAX=" + PATH_BYTES_MAX);
        }
        try {
            return Path.of(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + "=" + shorten(path) + " is not a valid path: " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} ends in a slash that makes it name a directory, as the kernel's path walk reads it. */
    private static boolean dirOnly(String path) {
        return path.length() > 1 && path.endsWith("/");
    }

    private static String shorten(String path) {
        return path.length() <= 80 ? '"' + path + '"' : '"' + path.substring(0, 80) + "...\" (" + path.length() + " chars)";
    }

    // ---- dispatch (owner thread, under the lock) ----

    /**
     * Starts everything waiting, in submission order, and expires timers: before, so that a cancel
     * does not stop a timeout already due, and after, so that a zero timeout completes now.
     */
    private void dispatchLocked() {
        assert lock.isHeldByCurrentThread();
        fireTimersLocked(now());
        runOwnerWorkLocked();
        ChannelOp head;
        while ((head = pending.pollFirst()) != null) {
            head.where = Where.NONE;
            startLocked(head);
        }
        fireTimersLocked(now());
    }

    /**
     * Starts the chain at {@code op}, which has not run: the owner runs NOPs and cancels itself
     * and carries on down the chain; a timeout goes to the timers and the rest to the workers.
     */
    private void startLocked(ChannelOp op) {
        while (op != null) {
            op.prev = null;
            switch (op.kind) {
                case NOP -> op = completeLocked(op, 0);
                case CANCEL -> op = completeLocked(op, cancelLocked(op));
                case TIMEOUT -> {
                    startTimerLocked(op);
                    return;
                }
                default -> {
                    op.state = State.QUEUED;
                    op.where = Where.WORK;
                    work.addLast(op);
                    workAvailable.signal();
                    return;
                }
            }
        }
    }

    private void startTimerLocked(ChannelOp op) {
        long now = now();
        // Saturate: a timeout of Long.MAX_VALUE nanoseconds never expires rather than at once.
        op.deadline = op.nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + op.nanos;
        op.state = State.QUEUED;
        op.where = Where.TIMERS;
        timers.add(op);
        ownerWanted.signal();
    }

    private void fireTimersLocked(long now) {
        ChannelOp t;
        while ((t = timers.peek()) != null && t.deadline <= now) {
            timers.poll();
            t.where = Where.NONE;
            ChannelOp next = completeLocked(t, 0);
            if (next != null) {
                startLocked(next);
            }
        }
    }

    private void runOwnerWorkLocked() {
        ChannelOp op;
        while ((op = ownerWork.pollFirst()) != null) {
            op.where = Where.NONE;
            startLocked(op);
        }
    }

    /**
     * Cancels the target of {@code cancel} if it has not started; returns the cancel's result.
     * Only the owner runs this, after ending the open chain, so the target is never in it.
     */
    private int cancelLocked(ChannelOp cancel) {
        ChannelOp target = tags.get(cancel.targetTag);
        if (target == null || target.state == State.DONE) {
            return -Errno.ENOENT;
        }
        if (target.state == State.RUNNING) {
            return -Errno.EALREADY;
        }
        assert target.state == State.PENDING || target.state == State.QUEUED : target;
        if (target.prev != null) {
            // Waiting behind another operation of its chain: cut the chain there.
            target.prev.next = null;
            target.prev = null;
        } else {
            boolean removed = switch (target.where) {
                case PENDING -> pending.remove(target);
                case WORK -> work.remove(target);
                case TIMERS -> timers.remove(target);
                case OWNER -> ownerWork.remove(target);
                case NONE -> false;
            };
            assert removed : "cancel target " + target + " is in no queue";
            target.where = Where.NONE;
        }
        cancelChainLocked(target);
        return 0;
    }

    /**
     * Posts the result of {@code op}, which has run (or needed no running), and returns the
     * operation linked after it, or null when the chain ends here: at its end, or because this
     * result breaks it (then the rest completes with -ECANCELED).
     */
    private ChannelOp completeLocked(ChannelOp op, int result) {
        ChannelOp next = op.next;
        op.next = null;
        postLocked(op, result);
        if (next != null && op.breaksChain(result)) {
            cancelChainLocked(next);
            return null;
        }
        return next;
    }

    /** Completes {@code op} and every operation linked after it with -ECANCELED; none has started. */
    private void cancelChainLocked(ChannelOp op) {
        while (op != null) {
            assert op.state == State.PENDING || op.state == State.QUEUED : op;
            ChannelOp next = op.next;
            op.next = null;
            op.prev = null;
            releaseFileLocked(op);
            postLocked(op, -Errno.ECANCELED);
            op = next;
        }
    }

    /** Drops the reference to its file of an operation that will not run. */
    private void releaseFileLocked(ChannelOp op) {
        ChannelFile file = op.file;
        if (file != null && op.kind != Kind.OPEN) {
            op.file = null;
            if (file.release()) {
                closeLater.addLast(file);
            }
        } else if (file != null) {
            // An open keeps its reserved file for delivery, which frees the handle; it holds no
            // channels yet, so dropping the reference closes nothing.
            file.release();
        }
    }

    private void postLocked(ChannelOp op, int result) {
        op.result = result;
        op.state = State.DONE;
        if (state == OPEN) {
            completed.addLast(op);
            ownerWanted.signal();
        }
    }

    // ---- workers ----

    private void workerLoop() {
        lock.lock();
        try {
            while (true) {
                ChannelOp op;
                while ((op = work.pollFirst()) == null) {
                    if (stopping) {
                        return;
                    }
                    workAvailable.awaitUninterruptibly();
                }
                op.where = Where.NONE;
                while (op != null) {
                    op.state = State.RUNNING;
                    int result;
                    lock.unlock();
                    try {
                        result = runUnlocked(op);
                    } finally {
                        lock.lock();
                    }
                    op = continueLocked(completeLocked(op, result));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one operation outside the lock and drops its file reference; an Error becomes -EIO. */
    private int runUnlocked(ChannelOp op) {
        int result;
        try {
            result = OpRunner.run(op);
        } catch (Error e) {
            // A bug of ours (an assertion) or the JVM in trouble: the operation still completes,
            // and the owner rethrows at its next poll or park.
            result = -Errno.EIO;
            lock.lock();
            try {
                if (workerFailure == null) {
                    workerFailure = e;
                }
            } finally {
                lock.unlock();
            }
        }
        ChannelFile file = op.file;
        if (file != null && op.kind != Kind.CLOSE) {
            if (op.kind != Kind.OPEN) {
                op.file = null;
            }
            file.releaseAndCloseIfLast();
        }
        return result;
    }

    /**
     * What a worker does after an operation of a chain: the next operation to run here, or null
     * when the chain is done or was handed on (a timeout to the timers, a cancel to the owner).
     */
    private ChannelOp continueLocked(ChannelOp next) {
        if (next == null) {
            return null;
        }
        next.prev = null;
        switch (next.kind) {
            case TIMEOUT -> {
                startTimerLocked(next);
                return null;
            }
            case CANCEL -> {
                next.state = State.QUEUED;
                next.where = Where.OWNER;
                ownerWork.addLast(next);
                ownerWanted.signal();
                return null;
            }
            default -> {
                return next;
            }
        }
    }

    // ---- completions ----

    @Override
    public int poll(IoHandler handler) {
        checkOpen();
        IoArguments.checkNotNull(handler, "handler");
        endChain();
        lock.lock();
        try {
            rethrowWorkerFailureLocked();
            dispatchLocked();
        } finally {
            lock.unlock();
        }
        closeFilesLater();
        return deliver(handler);
    }

    @Override
    public int park(long timeoutNanos, IoHandler handler) {
        checkOpen();
        IoArguments.checkNotNull(handler, "handler");
        IoArguments.checkNonNegative(timeoutNanos, "timeoutNanos");
        endChain();
        lock.lock();
        try {
            rethrowWorkerFailureLocked();
            dispatchLocked();
            long remaining = timeoutNanos;
            while (completed.isEmpty() && remaining > 0 && !wakeRequested) {
                long before = now();
                long wait = remaining;
                ChannelOp t = timers.peek();
                if (t != null) {
                    wait = Math.min(wait, Math.max(0, t.deadline - before));
                }
                if (wait > 0) {
                    try {
                        ownerWanted.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                long after = now();
                remaining -= after - before;
                fireTimersLocked(after);
                runOwnerWorkLocked();
            }
            wakeRequested = false;
        } finally {
            lock.unlock();
        }
        closeFilesLater();
        return deliver(handler);
    }

    private void rethrowWorkerFailureLocked() {
        Throwable failure = workerFailure;
        if (failure != null) {
            workerFailure = null;
            throw new IllegalStateException("a ChannelIo worker failed; the operation completed with -EIO", failure);
        }
    }

    /**
     * Hands completions to {@code handler} in batches copied out under the lock, at most
     * {@code capacity} in all, so that a handler that keeps submitting cannot keep this going.
     */
    private int deliver(IoHandler handler) {
        boolean nested = deliveryDepth > 0;
        long[] tagBatch = nested ? new long[DELIVER_BATCH_MAX] : batchTags;
        int[] resultBatch = nested ? new int[DELIVER_BATCH_MAX] : batchResults;
        deliveryDepth++;
        try {
            int delivered = 0;
            while (delivered < capacity && state == OPEN) {
                int n = takeCompleted(tagBatch, resultBatch, Math.min(DELIVER_BATCH_MAX, capacity - delivered));
                if (n == 0) {
                    break;
                }
                Throwable failure = null;
                for (int i = 0; i < n; i++) {
                    try {
                        handler.complete(tagBatch[i], resultBatch[i]);
                    } catch (RuntimeException | Error e) {
                        if (failure == null) {
                            failure = e;
                        } else if (e != failure) {
                            // A handler may throw the same instance twice; it cannot suppress itself.
                            failure.addSuppressed(e);
                        }
                    }
                    delivered++;
                    if (state != OPEN) {
                        // The handler closed this Io: what is left was dropped with it.
                        break;
                    }
                }
                if (failure instanceof RuntimeException e) {
                    throw e;
                } else if (failure != null) {
                    throw (Error) failure;
                }
            }
            return delivered;
        } finally {
            deliveryDepth--;
        }
    }

    /** Moves up to {@code max} completions out, and retires their records; returns how many. */
    private int takeCompleted(long[] tagBatch, int[] resultBatch, int max) {
        int n = 0;
        lock.lock();
        try {
            ChannelOp op;
            while (n < max && (op = completed.pollFirst()) != null) {
                tagBatch[n] = op.tag;
                resultBatch[n] = op.result;
                n++;
                retireLocked(op);
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    /** Frees a delivered operation's tag and record, and updates the file table after opens and renames. */
    private void retireLocked(ChannelOp op) {
        boolean removed = tags.remove(op.tag) != null;
        assert removed : "completed " + op + " was not in flight";
        if (op.kind == Kind.OPEN && op.file != null) {
            ChannelFile file = op.file;
            if (op.result < 0 && files.get(file.handle) == file) {
                // The open failed: its reserved handle goes back, with the table's reference.
                files.remove(file);
                file.releaseAndCloseIfLast();
            }
        } else if (op.kind == Kind.RENAME && op.result == 0) {
            followRename(op.path, op.path2);
        }
        op.clear();
        pool.addLast(op);
    }

    /** Points open files at or under {@code from} to their new path, for stat by handle. */
    private void followRename(Path from, Path to) {
        files.forEach(file -> {
            Path path = file.path();
            if (path.startsWith(from)) {
                file.path(to.resolve(from.relativize(path)));
            }
        });
    }

    /** Closes, outside the lock, the files whose last reference went under it. */
    private void closeFilesLater() {
        while (true) {
            ChannelFile file;
            lock.lock();
            try {
                file = closeLater.pollFirst();
            } finally {
                lock.unlock();
            }
            if (file == null) {
                return;
            }
            file.closeChannels();
        }
    }

    /** Nanoseconds since this Io was opened; never negative, so deadlines compare plainly. */
    private long now() {
        return System.nanoTime() - origin;
    }

    // ---- state ----

    /** Signals the owner's condition, so that a park in progress (or the next one) returns early. */
    @Override
    public void wakeup() {
        lock.lock();
        try {
            wakeRequested = true;
            ownerWanted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int inFlight() {
        return state == OPEN ? tags.size() : 0;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public IoBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        if (state == CLOSED) {
            return;
        }
        if (state == OPEN) {
            state = CLOSING;
            lock.lock();
            try {
                dropAllLocked();
                stopping = true;
                workAvailable.signalAll();
            } finally {
                lock.unlock();
            }
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        for (Thread worker : workers) {
            joinUntil(worker, deadline);
        }
        int running = 0;
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                running++;
            }
        }
        if (running > 0) {
            throw new IllegalStateException("close: " + running + " of " + workers.length
                    + " workers still running an operation after " + TimeUnit.NANOSECONDS.toSeconds(CLOSE_WAIT_NANOS)
                    + " s; their buffers are still in use; call close again to wait again");
        }
        closeFilesLater();
        files.forEach(ChannelFile::releaseAndCloseIfLast);
        files.clear();
        state = CLOSED;
    }

    /**
     * Drops every operation that has not started and every completion not delivered. A running
     * operation finishes, but nothing linked after it runs.
     */
    private void dropAllLocked() {
        ChannelOp open = chainHead;
        chainHead = null;
        chainTail = null;
        chainLength = 0;
        linkPending = false;
        if (open != null) {
            open.where = Where.PENDING;
            pending.addLast(open);
        }
        tags.forEachValue(op -> {
            switch (op.state) {
                case RUNNING -> op.next = null;
                case PENDING, QUEUED -> {
                    releaseFileLocked(op);
                    op.next = null;
                    op.prev = null;
                    op.state = State.DONE;
                }
                case DONE, FREE -> { }
            }
        });
        pending.clear();
        work.clear();
        timers.clear();
        ownerWork.clear();
        completed.clear();
        tags.clear();
    }

    private static void joinUntil(Thread thread, long deadline) {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ChannelIo[capacity=" + capacity + ", workers=" + workers.length + ", inFlight=" + inFlight() + "]";
    }
}
