package io.ringio.io.sim;

import io.ringio.internal.IoArguments;
import io.ringio.internal.LongTable;
import io.ringio.io.ErrnoException;
import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The deterministic simulator: an {@link Io} over an in-memory disk, on the caller's thread,
 * with a virtual clock, seeded completion order, injected faults and power cuts. One
 * {@link SimOptions#seed() seed} fixes the whole run: the same options and the same calls give a
 * byte-identical run, and the same {@link #traceHash()}.
 *
 * <h2>Time</h2>
 * The clock ({@link #nowNanos()}) starts at 0 and moves only inside {@link #poll} and
 * {@link #park}. Accepted operations are handed to the simulated kernel there; each then takes a
 * latency drawn from {@link SimLatency} and has its effect at the moment it completes, so
 * operations in flight together complete, and take effect, in an order the seed chooses.
 * {@code park(t)} jumps the clock to the next completion, or by {@code t} when none comes
 * sooner; {@code poll} lets one microsecond pass, so that a loop that only polls still moves.
 *
 * <h2>Durability</h2>
 * Each file has durable contents and size, with the changes since its last sync on top; a sync
 * (fsync or fdatasync, alike here) makes them durable. Directory entries (create, rename,
 * unlink, mkdir, rmdir) change a directory's entries, which become durable only when that
 * directory is opened with {@link OpenFlags#DIRECTORY} and synced; a new directory needs its
 * parent synced too. {@link #crash()} is a power cut: see there. Writes through a handle opened
 * with {@link OpenFlags#DSYNC} sync the file. {@link OpenFlags#DIRECT} checks alignment (512
 * bytes: offsets, lengths and buffer addresses, else EINVAL) but data still needs a sync, as a
 * drive's volatile cache would. Buffer addresses come from the allocator, not the seed: give
 * O_DIRECT buffers an alignment ({@code arena.allocate(size, 4096)}) so that a run repeats.
 *
 * <h2>Faults</h2>
 * Off unless {@link SimOptions#faults()} or {@link #inject} add {@link FaultRule}s; see
 * {@link FaultKind} for what each does. {@link #faultsFired} counts those that took effect.
 *
 * <h2>Differences from a real kernel</h2>
 * No symbolic links, no permission checks (the process is root) and no block accounting, so
 * {@code allocate} only changes the size. Paths are absolute (a relative one starts at the root):
 * create the directories a test expects with {@link #createDurableDirectories}. A cancel stops a
 * timeout or an operation not yet started; one already running is stopped or not as the seed
 * says ({@code -EALREADY}). Like {@code UringIo}, poll, park, close and crash may not be called
 * from inside a handler.
 */
public final class SimIo implements Io {
    /** Set by {@link #wakeup()} from any thread, cleared by the next park. */
    private volatile boolean woken;

    /** Virtual time one {@link #poll} lets pass. */
    static final long POLL_NANOS = 1_000;
    /** Random-stream purposes: each draws from its own stream, so that one does not shift another. */
    private static final long STREAM_SCHEDULE = 1;
    private static final long STREAM_FAULTS = 2;
    private static final long STREAM_CRASH = 3;
    private static final long STREAM_FAULT_EFFECTS = 4;

    /** What carries over a crash: the clock, the random streams and the trace. */
    private static final class World {
        final SimOptions options;
        final SimRandom schedule;
        final SimRandom faults;
        final SimRandom crash;
        final SimRandom faultEffects;
        long now;
        long trace;
        long completed;
        long startSeq;

        World(SimOptions options) {
            this.options = options;
            this.schedule = SimRandom.stream(options.seed(), STREAM_SCHEDULE);
            this.faults = SimRandom.stream(options.seed(), STREAM_FAULTS);
            this.crash = SimRandom.stream(options.seed(), STREAM_CRASH);
            this.faultEffects = SimRandom.stream(options.seed(), STREAM_FAULT_EFFECTS);
            this.trace = SimRandom.mix(options.seed());
        }
    }

    private final World world;
    private final SimKernel kernel;
    private final IoBackend backend;
    private final int capacity;
    private final LongTable<SimOp> inFlight;
    private final ArrayDeque<SimOp> waiting = new ArrayDeque<>();
    private final PriorityQueue<SimOp> running = new PriorityQueue<>(
            Comparator.comparingLong((SimOp op) -> op.dueNanos).thenComparingLong(op -> op.startSeq));
    private final ArrayDeque<SimOp> ready = new ArrayDeque<>();
    private long submitted;
    /** linkNext() was called: the next operation submitted links to the one after it. */
    private boolean linkPending;
    /** The last operation submitted, when it links to the next one. */
    private SimOp linkFrom;
    private int chainLength;
    private boolean delivering;
    private boolean closed;
    private boolean crashed;

    private SimIo(World world, SimFileSystem fs, String reason) {
        this.world = world;
        this.capacity = world.options.capacity();
        // One draw of the fault stream per incarnation (the first, and one after each crash): the
        // rules' own streams come from it, so rules injected before a crash cannot shift those after.
        this.kernel = new SimKernel(fs, new SimFaults(new SimRandom(world.faults.nextLong()), world.options.faults()),
                world.faultEffects,
                world.options.epochNanos());
        this.backend = new IoBackend(IoBackend.Kind.SIM, reason);
        this.inFlight = new LongTable<>(capacity);
    }

    /** A simulator over an empty disk holding only the root directory. */
    public static SimIo open(SimOptions options) {
        Objects.requireNonNull(options, "options");
        return new SimIo(new World(options), new SimFileSystem(),
                "the deterministic simulator, seed 0x" + Long.toHexString(options.seed()));
    }

    // ---------------------------------------------------------------- control plane

    /** The virtual clock, in nanoseconds since this simulation began; it carries over crashes. */
    public long nowNanos() {
        return world.now;
    }

    public SimOptions options() {
        return world.options;
    }

    /**
     * A hash of everything that has happened: each completion's tag, result, kind and virtual
     * time, in order, across crashes. Two runs with the same seed and the same calls have the
     * same hash.
     */
    public long traceHash() {
        return world.trace;
    }

    /** Operations completed so far (delivered or not), across crashes. */
    public long operationsCompleted() {
        return world.completed;
    }

    /** How many faults of {@code kind} took effect in this SimIo (not counting before a crash). */
    public long faultsFired(FaultKind kind) {
        return kernel.faults.fired(kind);
    }

    /** Adds a fault rule from now on, for this SimIo only (not for what {@link #crash()} returns). */
    public void inject(FaultRule rule) {
        checkUsable();
        kernel.faults.add(Objects.requireNonNull(rule, "rule"));
    }

    /** Removes every fault rule of this SimIo, those from the options included. Bad sectors stay bad. */
    public void clearFaults() {
        checkUsable();
        kernel.faults.clear();
    }

    /**
     * Creates {@code path} and its missing parents as directories that are durable already, as
     * if the disk had been prepared that way: a setup step, outside simulated time.
     *
     * @throws IllegalArgumentException when a component is a file, {@code ..} or too long
     */
    public void createDurableDirectories(String path) {
        checkUsable();
        IoArguments.encodePath(path, "path");
        kernel.fs.createDurableDirectories(path, 0755);
    }

    /**
     * The names in directory {@code path} as a reader sees them now, sorted: the simulator's
     * listing, which the {@code Io} seam has no operation for (io_uring has no getdents). A
     * control-plane call on the owner thread, outside simulated time.
     *
     * @throws ErrnoException ENOENT or ENOTDIR, as the path says
     */
    public java.util.List<String> list(String path) throws ErrnoException {
        checkUsable();
        IoArguments.encodePath(path, "path");
        int[] errno = new int[1];
        SimNode node = kernel.fs.lookup(path, errno);
        if (node == null) {
            throw ErrnoException.of(errno[0], "list", path);
        }
        if (!(node instanceof SimDirectory dir)) {
            throw ErrnoException.of(Errno.ENOTDIR, "list", path);
        }
        return java.util.List.copyOf(dir.entries.keySet());
    }

    /**
     * A power cut, now. Returns a new SimIo over the disk as it would be found afterwards, with
     * the same clock, options and random streams; this one is finished, and using it is an
     * {@link IllegalStateException}. Operations in flight never complete; a write among them may
     * still have reached the disk's cache, by the seed. Then, on the disk: every file keeps its
     * durable contents, and each change made since its last sync is, by the seed and in order,
     * kept whole, dropped, or (a write across a 512-byte sector boundary) torn at a sector
     * boundary, its first part kept; each directory keeps its durable entries, and of the
     * namespace operations (create, rename, unlink, mkdir, rmdir) not yet made durable by a sync
     * of their directory, the first few survive and the rest are lost, the seed choosing how
     * many, as a journaling file system recovers them. So a rename survives whole or not at all,
     * unless it moved between two directories of which only one was synced (then the file may be
     * under both names, or under neither). What no surviving entry reaches is gone. Only writes
     * already started (handed over by a poll, and not waiting behind a link) may land. Bad sectors stay bad. May be called
     * after {@link #close()}: a process that exited cleanly can still lose power.
     */
    public SimIo crash() {
        if (crashed) {
            throw new IllegalStateException("this SimIo has already crashed; use the one crash() returned");
        }
        checkNotDelivering("crash");
        landInFlightWrites();
        SimFileSystem after = kernel.fs.afterCrash(world.crash);
        close();
        crashed = true;
        return new SimIo(world, after, backend.reason() + ", after a crash at " + world.now + " ns");
    }

    /** Writes in flight at a power cut may have reached the drive's cache already: each does, or not, by the seed. */
    private void landInFlightWrites() {
        if (closed) {
            return;
        }
        List<SimOp> writes = new ArrayList<>();
        inFlight.forEachValue(op -> {
            // Only writes the kernel had started: one still waiting for a poll, or linked behind an
            // operation that has not completed, cannot have reached the drive.
            if (op.state == SimOp.State.RUNNING && (op.code == SimOp.Code.WRITE || op.code == SimOp.Code.WRITEV)) {
                writes.add(op);
            }
        });
        writes.sort(Comparator.comparingLong(op -> op.submitted));
        for (SimOp op : writes) {
            SimHandle h = op.file;
            if (!world.crash.chance(0.5) || h == null || !h.writable() || !(h.node instanceof SimFile file)
                    || !buffersAlive(op)) {
                continue;
            }
            int n = (int) op.requested;
            if (n > 0) {
                file.write(h.has(OpenFlags.APPEND) ? file.size() : op.offset, SimKernel.gather(op, n, new SimPagePool()), world.now);
            }
        }
    }

    private static boolean buffersAlive(SimOp op) {
        if (op.bufs == null) {
            return op.buf.scope().isAlive();
        }
        for (MemorySegment b : op.bufs) {
            if (!b.scope().isAlive()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- submissions

    @Override
    public boolean open(long tag, String path, int flags, int mode) {
        OpenFlags.check(flags);
        IoArguments.checkMode(mode);
        IoArguments.encodePath(path, "path");
        SimOp op = begin(tag, SimOp.Code.OPEN, SimOperation.OPEN);
        if (op == null) {
            return false;
        }
        op.path = path;
        op.flags = flags;
        op.mode = mode;
        return submit(op);
    }

    @Override
    public boolean close(long tag, int file) {
        SimOp op = begin(tag, SimOp.Code.CLOSE, SimOperation.CLOSE);
        if (op == null) {
            return false;
        }
        // The handle is invalid from submission on (Io.close): operations submitted before keep
        // the file they resolved, operations after get EBADF.
        op.file = kernel.release(file);
        return submit(op);
    }

    @Override
    public boolean read(long tag, int file, MemorySegment buf, long offset) {
        return transfer(tag, SimOp.Code.READ, SimOperation.READ, file, buf, offset);
    }

    @Override
    public boolean write(long tag, int file, MemorySegment buf, long offset) {
        return transfer(tag, SimOp.Code.WRITE, SimOperation.WRITE, file, buf, offset);
    }

    private boolean transfer(long tag, SimOp.Code code, SimOperation kind, int file, MemorySegment buf, long offset) {
        IoArguments.checkBuffer(buf, "buf", code == SimOp.Code.READ);
        IoArguments.checkOffset(offset);
        SimOp op = begin(tag, code, kind);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.buf = buf;
        op.offset = offset;
        op.requested = buf.byteSize();
        return submit(op);
    }

    @Override
    public boolean readv(long tag, int file, MemorySegment[] bufs, long offset) {
        return vectored(tag, SimOp.Code.READV, SimOperation.READ, file, bufs, offset);
    }

    @Override
    public boolean writev(long tag, int file, MemorySegment[] bufs, long offset) {
        return vectored(tag, SimOp.Code.WRITEV, SimOperation.WRITE, file, bufs, offset);
    }

    private boolean vectored(long tag, SimOp.Code code, SimOperation kind, int file, MemorySegment[] bufs,
            long offset) {
        long total = IoArguments.checkBuffers(bufs, code == SimOp.Code.READV);
        IoArguments.checkOffset(offset);
        SimOp op = begin(tag, code, kind);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.bufs = bufs;
        op.offset = offset;
        op.requested = total;
        return submit(op);
    }

    @Override
    public boolean sync(long tag, int file, boolean dataOnly) {
        SimOp op = begin(tag, SimOp.Code.SYNC, SimOperation.SYNC);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.flag = dataOnly;
        return submit(op);
    }

    @Override
    public boolean stat(long tag, int file, FileStat out) {
        IoArguments.checkNotNull(out, "out");
        SimOp op = begin(tag, SimOp.Code.STAT_FILE, SimOperation.STAT);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.statOut = out;
        return submit(op);
    }

    @Override
    public boolean stat(long tag, String path, FileStat out) {
        IoArguments.encodePath(path, "path");
        IoArguments.checkNotNull(out, "out");
        SimOp op = pathOperation(tag, SimOp.Code.STAT_PATH, SimOperation.STAT, path, null);
        if (op == null) {
            return false;
        }
        op.statOut = out;
        return submit(op);
    }

    @Override
    public boolean rename(long tag, String from, String to, boolean noReplace) {
        IoArguments.encodePath(from, "from");
        IoArguments.encodePath(to, "to");
        SimOp op = pathOperation(tag, SimOp.Code.RENAME, SimOperation.NAMESPACE, from, to);
        if (op == null) {
            return false;
        }
        op.flag = noReplace;
        return submit(op);
    }

    @Override
    public boolean unlink(long tag, String path) {
        IoArguments.encodePath(path, "path");
        SimOp op = pathOperation(tag, SimOp.Code.UNLINK, SimOperation.NAMESPACE, path, null);
        return op != null && submit(op);
    }

    @Override
    public boolean rmdir(long tag, String path) {
        IoArguments.encodePath(path, "path");
        SimOp op = pathOperation(tag, SimOp.Code.RMDIR, SimOperation.NAMESPACE, path, null);
        return op != null && submit(op);
    }

    @Override
    public boolean mkdir(long tag, String path, int mode) {
        IoArguments.checkMode(mode);
        IoArguments.encodePath(path, "path");
        SimOp op = pathOperation(tag, SimOp.Code.MKDIR, SimOperation.NAMESPACE, path, null);
        if (op == null) {
            return false;
        }
        op.mode = mode;
        return submit(op);
    }

    /** A new operation on one or two paths, not yet submitted; null at capacity. */
    private SimOp pathOperation(long tag, SimOp.Code code, SimOperation kind, String path, String path2) {
        SimOp op = begin(tag, code, kind);
        if (op != null) {
            op.path = path;
            op.path2 = path2;
        }
        return op;
    }

    @Override
    public boolean allocate(long tag, int file, long offset, long length, boolean keepSize) {
        IoArguments.checkOffset(offset);
        IoArguments.checkNonNegative(length, "length");
        SimOp op = begin(tag, SimOp.Code.ALLOCATE, SimOperation.RESIZE);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.offset = offset;
        op.length = length;
        op.flag = keepSize;
        return submit(op);
    }

    @Override
    public boolean truncate(long tag, int file, long length) {
        IoArguments.checkNonNegative(length, "length");
        SimOp op = begin(tag, SimOp.Code.TRUNCATE, SimOperation.RESIZE);
        if (op == null) {
            return false;
        }
        op.file = kernel.handle(file);
        op.length = length;
        return submit(op);
    }

    @Override
    public boolean nop(long tag) {
        SimOp op = begin(tag, SimOp.Code.NOP, SimOperation.NOP);
        return op != null && submit(op);
    }

    @Override
    public boolean timeout(long tag, long nanos) {
        IoArguments.checkNonNegative(nanos, "nanos");
        SimOp op = begin(tag, SimOp.Code.TIMEOUT, SimOperation.TIMEOUT);
        if (op == null) {
            return false;
        }
        op.length = nanos;
        return submit(op);
    }

    @Override
    public boolean cancel(long tag, long targetTag) {
        if (targetTag == tag) {
            throw new IllegalArgumentException("targetTag=" + targetTag + " is this cancel's own tag");
        }
        SimOp op = begin(tag, SimOp.Code.CANCEL, SimOperation.CANCEL);
        if (op == null) {
            return false;
        }
        op.targetTag = targetTag;
        return submit(op);
    }

    @Override
    public boolean linkNext() {
        checkUsable();
        if (linkPending) {
            throw new IllegalStateException("linkNext() called twice without an operation in between");
        }
        if (linkFrom == null) {
            if (capacity - inFlight.size() < Math.min(Io.CHAIN_MAX, capacity)) {
                return false;
            }
        } else if (chainLength >= Io.CHAIN_MAX - 1) {
            throw new IllegalStateException("a linked chain may hold at most " + Io.CHAIN_MAX + " operations");
        }
        linkPending = true;
        return true;
    }

    /** A new operation, or null when the Io is at capacity (outside a chain: inside one it throws). */
    private SimOp begin(long tag, SimOp.Code code, SimOperation kind) {
        checkUsable();
        if (inFlight.containsKey(tag)) {
            throw new IllegalArgumentException("tag=" + tag + " is already in flight");
        }
        if (inFlight.size() >= capacity) {
            if (linkPending || linkFrom != null) {
                // Refusing now would leave half a chain to be ended by the next poll.
                throw new IllegalStateException("a linked chain outgrew this Io's capacity=" + capacity);
            }
            return null;
        }
        return new SimOp(tag, code, kind, submitted++);
    }

    private boolean submit(SimOp op) {
        inFlight.put(op.tag, op);
        if (linkFrom != null) {
            linkFrom.next = op;
            op.state = SimOp.State.CHAINED;
        } else {
            waiting.add(op);
        }
        if (linkPending) {
            linkFrom = op;
            linkPending = false;
            chainLength++;
        } else {
            linkFrom = null;
            chainLength = 0;
        }
        return true;
    }

    // ---------------------------------------------------------------- running

    @Override
    public int poll(IoHandler handler) {
        return park(POLL_NANOS, handler);
    }

    @Override
    public int park(long timeoutNanos, IoHandler handler) {
        IoArguments.checkNotNull(handler, "handler");
        checkUsable();
        checkNotDelivering("poll or park");
        IoArguments.checkNonNegative(timeoutNanos, "timeoutNanos");
        handOver();
        long limit = woken ? world.now : later(world.now, timeoutNanos);
        woken = false;
        while (ready.isEmpty()) {
            SimOp next = nextRunning();
            if (next == null || next.dueNanos > limit) {
                world.now = limit;
                break;
            }
            world.now = Math.max(world.now, next.dueNanos);
            runDue();
        }
        runDue();
        return deliver(handler);
    }

    /**
     * Makes the next {@link #park} return without moving the clock past what is due now. A park
     * never blocks in real time here, so there is nothing to interrupt; the flag is what makes a
     * wake-up observable, the same way on every backend.
     */
    @Override
    public void wakeup() {
        woken = true;
    }

    /** Ends an open chain, then starts every waiting operation: the simulated io_uring_enter. */
    private void handOver() {
        linkPending = false;
        linkFrom = null;
        chainLength = 0;
        for (SimOp op; (op = waiting.poll()) != null; ) {
            if (op.state == SimOp.State.WAITING) {
                start(op);
            }
        }
    }

    private void start(SimOp op) {
        op.state = SimOp.State.RUNNING;
        op.startSeq = world.startSeq++;
        if (op.code == SimOp.Code.TIMEOUT) {
            op.dueNanos = later(world.now, op.length);
        } else {
            op.dueNanos = later(world.now, world.options.latency().draw(op.kind, world.schedule));
        }
        if (op.code == SimOp.Code.CANCEL) {
            // A cancel acts when the kernel takes it, as io_uring's does; its completion follows.
            op.result = cancelTarget(op.targetTag);
        }
        running.add(op);
    }

    /** {@code now + nanos}, held at {@code Long.MAX_VALUE}: a park of "forever" must not wrap the clock. */
    private static long later(long now, long nanos) {
        return now + Math.min(nanos, Long.MAX_VALUE - now);
    }

    /** The earliest operation still running, or null; drops entries a cancel already completed. */
    private SimOp nextRunning() {
        SimOp next;
        while ((next = running.peek()) != null && next.state != SimOp.State.RUNNING) {
            running.poll();
        }
        return next;
    }

    /** Completes every running operation due by now, in order of due time. */
    private void runDue() {
        for (SimOp next; (next = nextRunning()) != null && next.dueNanos <= world.now; ) {
            running.poll();
            int result = next.code == SimOp.Code.CANCEL ? next.result : kernel.execute(next, world.now);
            finish(next, result);
        }
    }

    /** Records a completion and moves its chain on: the next starts, or is cancelled if this one fell short. */
    private void finish(SimOp op, int result) {
        op.result = result;
        op.state = SimOp.State.READY;
        ready.add(op);
        world.completed++;
        world.trace = SimRandom.mix(world.trace ^ (op.tag * 0x9E37_79B9_7F4A_7C15L + ((long) result << 8)
                + op.code.ordinal()) + world.now);
        SimOp next = op.next;
        if (next == null || next.state != SimOp.State.CHAINED) {
            return;
        }
        boolean broken = result < 0 || (op.bufs != null || op.buf != null) && result < op.requested;
        if (broken) {
            finish(next, -Errno.ECANCELED);
        } else {
            start(next);
        }
    }

    private int cancelTarget(long targetTag) {
        SimOp target = inFlight.get(targetTag);
        if (target == null) {
            return -Errno.ENOENT;
        }
        switch (target.state) {
            case WAITING, CHAINED -> {
                finish(target, -Errno.ECANCELED);
                return 0;
            }
            case RUNNING -> {
                // A timeout always stops; I/O already issued may be past stopping, as the seed says.
                if (target.code == SimOp.Code.TIMEOUT || world.schedule.chance(0.5)) {
                    finish(target, -Errno.ECANCELED);
                    return 0;
                }
                return -Errno.EALREADY;
            }
            default -> {
                return -Errno.ENOENT; // completed, delivered or not: nothing left to cancel, as in io_uring
            }
        }
    }

    private int deliver(IoHandler handler) {
        int delivered = 0;
        Throwable first = null;
        delivering = true;
        try {
            for (SimOp op; (op = ready.poll()) != null; ) {
                SimOp removed = inFlight.remove(op.tag);
                assert removed == op : "tag " + op.tag + " mapped to another operation";
                delivered++;
                try {
                    handler.complete(op.tag, op.result);
                } catch (Throwable t) {
                    if (first == null) {
                        first = t;
                    } else if (first != t) {
                        first.addSuppressed(t);
                    }
                }
            }
        } finally {
            delivering = false;
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException("a completion handler failed", first);
        }
        return delivered;
    }

    // ---------------------------------------------------------------- state

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public IoBackend backend() {
        return backend;
    }

    /** Drops everything in flight without delivering it (nothing runs any more), and closes every file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkNotDelivering("close");
        closed = true;
        inFlight.clear();
        waiting.clear();
        running.clear();
        ready.clear();
        kernel.closeAll();
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException(crashed ? "this SimIo crashed; use the one crash() returned"
                    : "this SimIo is closed");
        }
    }

    private void checkNotDelivering(String what) {
        if (delivering) {
            throw new IllegalStateException(what + " from inside a completion handler");
        }
    }

    @Override
    public String toString() {
        return "SimIo[seed=0x" + Long.toHexString(world.options.seed()) + ", now=" + world.now + "ns, inFlight="
                + inFlight.size() + (crashed ? ", crashed" : closed ? ", closed" : "") + "]";
    }
}
