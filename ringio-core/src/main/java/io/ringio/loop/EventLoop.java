package io.ringio.loop;

import io.ringio.buffer.BufferPool;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.io.uring.UringIo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One thread that owns one {@link Io}, and runs operations ({@link LoopFuture}s) and tasks on it.
 *
 * <h2>Threads</h2>
 * A started loop ({@link #start}) runs on a platform thread named {@code ringio-loop-N}, which
 * opens the {@code Io} itself, so that io_uring's SINGLE_ISSUER can hold. Operations submitted on
 * that thread (from a completion callback, say) go straight into the submission queue. Other
 * threads hand theirs over through a bounded lock-free queue and wake the loop: an
 * {@code eventfd} write on io_uring ({@link Io#wakeup()}), an unpark when the loop is idle. When
 * the queue is full they wait, parking (a virtual thread unmounts), and never fail.
 *
 * <h2>Turns</h2>
 * Each turn takes what other threads handed over, starts it, then waits for completions in the
 * same call that submits what is still waiting. With {@code IoOptions.withSubmitBatch(0)} that is
 * the whole batch: one {@code io_uring_enter} per turn. By default
 * ({@link io.ringio.io.IoOptions#SUBMIT_BATCH_DEFAULT}) io_uring is handed every few operations
 * as they come, which on the development VM keeps the disk busier for a few more system calls
 * (see {@link io.ringio.io.IoOptions#submitBatch()}). Completions are drained
 * in bounded batches by the {@code Io}, and only then are futures completed, on this thread:
 * callbacks attached with {@code thenApply} and friends run here, must not block, and must not
 * call the blocking methods of the file layer (those throw {@link IllegalStateException}).
 *
 * <h2>Stepped loops</h2>
 * {@link #stepped} makes a loop without a thread, driven by the caller with {@link #runOnce()},
 * {@link #runUntilIdle()} and {@link #runUntil}: over a {@code SimIo} everything above it is then
 * deterministic. Blocking calls made on the stepping thread run the loop until their operation
 * completes.
 *
 * <h2>Virtual threads on the loop's thread</h2>
 * {@link #virtualThreadFactory()} makes virtual threads that this loop carries itself: they run
 * on its thread, between its turns. Their operations go straight into the {@code Io}, and a
 * completion resumes its thread in the next turn, so their blocking calls cost about what futures
 * do. They must not block in anything but parking; the method says why, and what it needs from
 * the JVM ({@code --add-opens java.base/java.lang}).
 *
 * <h2>Closing</h2>
 * {@link #close()} stops accepting work (new operations fail with {@link LoopClosedException}),
 * fails what was handed over and not started, cancels the scheduled tasks, lets operations in
 * flight finish for {@link EventLoopOptions#closeGrace()}, then cancels the rest and waits for
 * every completion before it closes the {@code Io} and frees the buffer pool: no memory an
 * operation still owns is freed. Operations the close cancelled fail with
 * {@link LoopClosedException}.
 */
public final class EventLoop implements Executor, AutoCloseable {
    /** The longest one wait for completions lasts, so that the loop looks at its state now and then. */
    static final long PARK_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Turns {@link #runUntilIdle()} runs at most before it gives up. */
    public static final int STEPPED_TURNS_MAX = 10_000_000;

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private static final int AWAKE = 0;
    private static final int PARKED_IN_IO = 1;
    private static final int PARKED_IDLE = 2;

    /** The loop polls before sleeping ({@link EventLoopOptions#spin}) only with at most this many operations in flight. */
    static final int SPIN_IN_FLIGHT_MAX = 1;

    private static final VarHandle SLEEP;
    private static final VarHandle SPINNER;

    static {
        try {
            SLEEP = MethodHandles.lookup().findVarHandle(EventLoop.class, "sleepState", int.class);
            SPINNER = MethodHandles.lookup().findVarHandle(EventLoop.class, "waiterSpinning", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final EventLoopOptions options;
    private final boolean stepped;
    private final MpscQueue<Object> queue;
    private final ConcurrentLinkedQueue<LoopFuture<?>> cancelRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> queueWaiters = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final LoopCounters counters = new LoopCounters();
    private final LongAdder fullQueueWaits = new LongAdder();
    private final LongAdder spinHits = new LongAdder();
    private final LongAdder pageCacheReads = new LongAdder();
    private final LongAdder pageCacheBytes = new LongAdder();
    private final long spinNanos;
    private final IoHandler handler = this::onCompletion;

    private volatile int state = RUNNING;
    @SuppressWarnings("unused") // through SLEEP
    private volatile int sleepState = AWAKE;
    /** The operations in the Io at the end of the loop's last turn, for waiters to judge the load by. */
    private volatile int lastInFlight;
    /** 1 while a thread in {@link #await} polls its operation: one at a time. */
    @SuppressWarnings("unused") // through SPINNER
    private volatile int waiterSpinning;
    private volatile Thread thread;
    /** Runs the virtual threads of {@link #virtualThreadFactory()}; null until that is first called. */
    private volatile LoopCarrier carrier;

    // Loop thread only, from here on.
    private Io io;
    private BufferPool buffers;
    private LoopFuture<?>[] slots;
    private int[] generation;
    private int[] freeSlots;
    private int freeCount;
    /** Operations taken from the queue or submitted on the loop that the Io had no room for yet, in order. */
    private final ArrayDeque<LoopFuture<?>> backlog = new ArrayDeque<>();
    private long graceEndsNanos;
    private boolean shutdownBegun;
    private boolean graceOver;

    private EventLoop(String name, EventLoopOptions options, boolean stepped) {
        this.name = name;
        this.options = options;
        this.stepped = stepped;
        this.queue = new MpscQueue<>(options.queueCapacity());
        this.spinNanos = options.spin().toNanos();
    }

    /**
     * Starts a loop on a new thread, with the {@code Io} its options describe. Returns once the
     * thread has opened the {@code Io}; its failure to do so is thrown here.
     */
    public static EventLoop start(EventLoopOptions options) {
        Objects.requireNonNull(options, "options");
        return start(options, () -> Io.open(options.io()));
    }

    /**
     * Starts a loop on a new thread over the {@code Io} that {@code ioFactory} makes, on that
     * thread. The loop owns the {@code Io} and closes it.
     */
    public static EventLoop start(EventLoopOptions options, Supplier<? extends Io> ioFactory) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(ioFactory, "ioFactory");
        EventLoop loop = new EventLoop("ringio-loop-" + NEXT_ID.getAndIncrement(), options, false);
        CompletableFuture<Void> opened = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name(loop.name).daemon(true).unstarted(() -> loop.run(ioFactory, opened));
        loop.thread = t;
        t.start();
        try {
            opened.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
        return loop;
    }

    /**
     * A loop without a thread over {@code io}, driven by the calling thread with
     * {@link #runOnce()}, {@link #runUntilIdle()} and {@link #runUntil}; that thread counts as the
     * loop thread. The loop owns {@code io} and closes it. A turn that did something (ran a task,
     * started an operation, resumed a thread) does not wait afterwards, so that {@code runUntil}
     * looks at its goal before the clock moves on; work handed over from another thread wakes a
     * turn that waits in the {@code Io}.
     */
    public static EventLoop stepped(Io io, EventLoopOptions options) {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(options, "options");
        EventLoop loop = new EventLoop("ringio-stepped-" + NEXT_ID.getAndIncrement(), options, true);
        loop.thread = Thread.currentThread();
        loop.open(io);
        return loop;
    }

    /** A stepped loop over {@code io} with default options. */
    public static EventLoop stepped(Io io) {
        return stepped(io, EventLoopOptions.defaults());
    }

    private void open(Io opened) {
        this.io = opened;
        int capacity = opened.capacity();
        this.slots = new LoopFuture<?>[capacity];
        this.generation = new int[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        try {
            this.buffers = BufferPool.create(options.bufferClassBytes());
            if (options.registerBuffers() && opened instanceof UringIo uring) {
                buffers.register(uring);
            }
        } catch (RuntimeException | Error e) {
            try {
                opened.close();
            } finally {
                if (buffers != null) {
                    // Nothing was taken from it yet: its memory goes now, not with the JVM.
                    buffers.close();
                }
            }
            throw e;
        }
    }

    private void run(Supplier<? extends Io> ioFactory, CompletableFuture<Void> opened) {
        try {
            open(Objects.requireNonNull(ioFactory.get(), "ioFactory made null"));
        } catch (Throwable t) {
            state = CLOSED;
            terminated.completeExceptionally(t);
            opened.completeExceptionally(t);
            return;
        }
        opened.complete(null);
        try {
            while (state != CLOSED) {
                turn(true);
            }
        } catch (Throwable t) {
            // A bug of ours: fail what can be failed, then report it.
            state = CLOSED;
            retireCarrier();
            terminated.completeExceptionally(t);
            throw t;
        }
    }

    // ------------------------------------------------------------------ public API

    /** The loop's name; its thread's name for a started loop. */
    public String name() {
        return name;
    }

    /** Whether the calling thread is the loop's thread (the stepping thread of a stepped loop). */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Whether the calling code runs on the loop's thread: the loop itself, or one of the virtual
     * threads of {@link #virtualThreadFactory()} it carries. Work from there goes straight in.
     */
    boolean runsOnLoopThread() {
        return inLoop() || carriedHere();
    }

    /**
     * Whether the calling thread is a virtual thread of {@link #virtualThreadFactory()} running on
     * this loop's thread (which it always does until the loop closes).
     */
    boolean carriedHere() {
        LoopCarrier c = carrier;
        return c != null && state != CLOSED && Thread.currentThread().isVirtual() && LoopCarrier.CARRIED.get() == this;
    }

    /**
     * A factory of virtual threads that run on this loop's own thread instead of the JDK's
     * scheduler. A blocking call of the file layer on one of them needs no hand-off between
     * threads: its operation goes straight into the {@code Io}, and its completion resumes the
     * thread in the loop's next turn. For many threads each waiting on one operation at a time this
     * costs about what futures cost, where virtual threads of the JDK's scheduler pay a wake-up of
     * the loop and one of a carrier for every operation (the figures are in the README).
     *
     * <p>The price is that they share one platform thread with the loop and with each other. While
     * one runs, nothing else of the loop does: such a thread must not compute for long, and must
     * not block in anything but parking (ringio's blocking calls, {@code java.util.concurrent}
     * locks and queues, {@code Thread.sleep}). A blocking call of the JDK's own I/O
     * ({@code FileChannel}, a socket in blocking mode) holds the loop's thread until it returns,
     * and a thread that parks while pinned (inside a native call) stops the loop for good, as does
     * code on the loop thread (a callback) waiting for a lock one of them holds. After the loop
     * closes (or if this is called after it closed), these threads go on running on platform
     * threads of their own, no longer one at a time, and their operations fail with
     * {@link LoopClosedException}.
     *
     * <p>On a stepped loop they run in its turns, on the stepping thread, in an order that the
     * seed decides as long as what wakes them is the loop (their operations and its timers);
     * the JDK's own timers ({@code Thread.sleep}, timed parks) and unparks from other threads
     * come in real time, which a simulation does not control (such an unpark wakes a stepped
     * loop that waits in its {@code Io}, as work handed over from another thread does).
     *
     * <p>JDK 25 has no public API for a virtual thread's scheduler, so ringio reaches the JDK's
     * builder by reflection: the JVM needs {@code --add-opens java.base/java.lang=io.ringio.core}
     * ({@code =ALL-UNNAMED} on the class path).
     *
     * @throws UnsupportedOperationException without that option, or on a stepped loop driven by a
     *                                       virtual thread (which cannot carry other virtual threads)
     */
    public java.util.concurrent.ThreadFactory virtualThreadFactory() {
        LoopCarrier c = carrier;
        if (c == null) {
            synchronized (this) {
                c = carrier;
                if (c == null) {
                    if (thread.isVirtual()) {
                        throw new UnsupportedOperationException(
                                name + " is stepped by a virtual thread, which cannot carry other virtual threads");
                    }
                    c = LoopCarrier.create(this);
                    if (io instanceof UringIo uring) {
                        uring.ring().allowCarriedOnIssuer(this::carriedHere);
                    }
                    carrier = c;
                    // Looked at after the carrier is published, as the closing loop looks at the
                    // carrier after CLOSED is: if it missed this carrier, this sees CLOSED.
                    if (state == CLOSED) {
                        c.retire(false);
                    }
                }
            }
        }
        return c.factory();
    }

    /** Whether {@link #virtualThreadFactory()} works in this JVM (the {@code --add-opens} it needs is there). */
    public static boolean canCarryVirtualThreads() {
        return LoopCarrier.available();
    }

    /** A continuation was handed to the carrier from another thread: wake the loop if it sleeps. */
    void wakeForCarrier() {
        wake();
    }

    /**
     * Refuses a blocking wait on a started loop's own thread, which would wait for itself; for
     * the layers above that must refuse before they take anything (a pooled buffer, a file's
     * close). Anywhere else, including a stepped loop's thread (where waiting runs the loop),
     * it returns.
     *
     * @throws IllegalStateException on a started loop's own thread
     */
    public void checkMayBlock() {
        if (inLoop() && !stepped) {
            throw new IllegalStateException("a blocking call on the loop thread " + name
                    + " would wait for itself; use the future instead");
        }
    }

    /**
     * The loop's {@code Io}, for control-plane calls the {@code Io} seam does not make operations
     * of (such as {@code SimIo.list}). Only on the loop thread; submitting operations to it
     * directly would collide with the loop's tags.
     *
     * @throws IllegalStateException when called from another thread
     */
    public Io io() {
        if (!inLoop()) {
            throw new IllegalStateException("the Io of " + name + " is for its loop thread only");
        }
        return io;
    }

    /** Whether this loop is driven by its caller ({@link #stepped}) rather than by a thread of its own. */
    public boolean isStepped() {
        return stepped;
    }

    /** Which backend the loop's {@code Io} is. */
    public io.ringio.io.IoBackend backend() {
        return io.backend();
    }

    /**
     * The loop's pool of native buffers, for heap transfers and for callers who want block-aligned
     * (and, where memlock allows, registered) memory. Freed when the loop closes.
     */
    public BufferPool buffers() {
        return buffers;
    }

    /**
     * Submits {@code op} to run on this loop, and returns it. From the loop thread (and the
     * threads of {@link #virtualThreadFactory()}) it goes straight to the {@code Io}; from others
     * through the hand-off queue, waiting while the queue is full. Once {@link #close()} has begun
     * the operation is rejected with {@link LoopClosedException}; one handed over as the close
     * begins runs in its grace period or is rejected with that exception, and is never left
     * pending.
     *
     * @throws IllegalArgumentException if {@code op} was submitted before
     */
    public <F extends LoopFuture<?>> F submit(F op) {
        Objects.requireNonNull(op, "op");
        if (op.loop != null || op.opState() != LoopFuture.NEW) {
            throw new IllegalArgumentException("op=" + op + " was submitted before: an operation runs once");
        }
        op.loop = this;
        if (state != RUNNING) {
            op.setOpState(LoopFuture.HELD);
            reject(op, closedException("before the operation was submitted"));
            return op;
        }
        if (runsOnLoopThread()) {
            submitHere(op);
            return op;
        }
        op.setOpState(LoopFuture.QUEUED);
        if (!hand(op)) {
            // The loop closed its queue before our element got in, so it is ours to refuse. One
            // that got in is the loop's: its last drain, after closing the queue, takes it.
            op.setOpState(LoopFuture.HELD);
            reject(op, closedException("before the operation was submitted"));
        }
        return op;
    }

    /**
     * Runs {@code task} on the loop thread: at once when called there (or from one of the
     * threads of {@link #virtualThreadFactory()}, which run there), otherwise on a coming turn. A
     * task must not block. Once {@link #close()} has begun it is refused: this throws
     * {@link LoopClosedException}. A task handed over as the close begins (or while this waited
     * for room in a full queue) either runs on the loop thread before the close ends, or is
     * refused so; it is never dropped.
     *
     * @throws LoopClosedException when the loop is closing or closed, and the task will not run
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state != RUNNING) {
            throw closedException("before the task was submitted");
        }
        if (runsOnLoopThread()) {
            task.run();
            return;
        }
        if (!hand(task)) {
            throw closedException("before the task was submitted");
        }
    }

    /**
     * Runs {@code task} on the loop after {@code delay} (a TIMEOUT in the ring; virtual time on
     * the simulator). Cancelling the returned future cancels the timer. Closing the loop cancels
     * it too, and the future then fails with {@link LoopClosedException}.
     */
    public LoopFuture<Void> schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay=" + delay + " must not be negative");
        }
        return submit(TimerOp.task(unit.toNanos(delay), task));
    }

    /**
     * Sets a deadline on {@code op}, which must not have been submitted yet: if it has not
     * completed {@code timeoutNanos} after it started, the loop cancels it, and it completes with
     * a timed-out failure ({@link LoopFuture#timedOut()}). Returns {@code op}.
     */
    public static <F extends LoopFuture<?>> F withTimeout(F op, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos=" + timeoutNanos + " must be positive");
        }
        if (op.opState() != LoopFuture.NEW) {
            throw new IllegalStateException("a timeout is set before the operation is submitted");
        }
        op.timeoutNanos = timeoutNanos;
        return op;
    }

    /**
     * Waits until {@code op} has settled (its completion arrived, or it was rejected), parking
     * the calling thread: a virtual thread unmounts and its carrier stays free. With
     * {@link EventLoopOptions#spin} set, the thread first polls for that long, if the loop had at
     * most one operation in flight at the end of its last turn and no other thread of this loop
     * is polling; it yields between looks, so other virtual threads still get its carrier. On a
     * stepped loop's own thread this runs the loop instead. An interrupt cancels the operation; the wait
     * then goes on until it settles, the interrupt status is set again, and this returns true.
     *
     * @return whether the calling thread was interrupted while waiting
     * @throws IllegalStateException on a started loop's own thread, which would wait for itself
     */
    public boolean await(LoopFuture<?> op) {
        if (op.isSettled()) {
            return false;
        }
        if (inLoop()) {
            checkMayBlock();
            runUntil(op::isSettled);
            return false;
        }
        if (spinNanos > 0 && lastInFlight <= SPIN_IN_FLIGHT_MAX && !carriedHere() && spinUntilSettled(op)) {
            return false;
        }
        // The waiter is published before settled is looked at, and the loop settles before it
        // looks at the waiter: one of the two sees the other.
        op.waiter = Thread.currentThread();
        boolean interrupted = false;
        while (!op.isSettled()) {
            LockSupport.park(op);
            if (Thread.interrupted() && !interrupted) {
                interrupted = true;
                op.cancel(false);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }

    /** Polls {@code op} for up to the spin time, if no other waiter polls; whether it settled meanwhile. */
    private boolean spinUntilSettled(LoopFuture<?> op) {
        if (!SPINNER.compareAndSet(this, 0, 1)) {
            return false;
        }
        try {
            long end = System.nanoTime() + spinNanos;
            do {
                if (op.isSettled()) {
                    spinHits.increment();
                    return true;
                }
                // Other virtual threads on this carrier run meanwhile: polling must not keep them out.
                Thread.yield();
            } while (System.nanoTime() - end < 0);
            return false;
        } finally {
            waiterSpinning = 0;
        }
    }

    /**
     * Counts a read that the file layer served on the calling thread from the page cache without
     * the {@code Io} (a blocking RingFile read's fast path), so that {@link #stats()} includes
     * it. Any thread.
     */
    void countPageCacheRead(long bytes) {
        pageCacheReads.increment();
        pageCacheBytes.add(bytes);
    }

    /** A snapshot of the loop's counters. */
    public EventLoopStats stats() {
        Io current = io;
        long enters = 0;
        long overflows = 0;
        if (current instanceof UringIo uring && !uring.ring().isClosed()) {
            enters = uring.ring().enterCalls();
            overflows = uring.ring().cqOverflowFlushes();
        }
        return counters.snapshot(enters, fullQueueWaits.sum(), overflows, current == null ? 0 : current.inFlight(),
                backlog.size(), pageCacheReads.sum(), pageCacheBytes.sum(), spinHits.sum());
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return state != RUNNING;
    }

    /** Completes when the loop has closed its {@code Io} and freed its buffers. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * Closes the loop as the class comment describes, and waits for it to finish. Called on the
     * loop thread of a started loop it only begins the close (it cannot wait for itself).
     * Idempotent.
     *
     * @throws IllegalStateException if the buffer pool could not be freed because buffers taken
     *                               from it were never given back
     */
    @Override
    public void close() {
        if (state == RUNNING) {
            state = CLOSING;
            wake();
        }
        if (stepped) {
            if (inLoop()) {
                runUntil(() -> state == CLOSED);
            }
        } else if (!inLoop()) {
            try {
                terminated.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ stepping

    /** One turn of a stepped loop without waiting; returns how much it did (0: nothing was ready). */
    public int runOnce() {
        checkStepping();
        return turn(false);
    }

    /**
     * Runs a stepped loop until nothing is queued, waiting or in flight, waiting for completions
     * as needed (on the simulator, virtual time jumps to the next one).
     *
     * @throws IllegalStateException after {@link #STEPPED_TURNS_MAX} turns without becoming idle
     */
    public void runUntilIdle() {
        runUntil(this::idle);
    }

    /** Runs a stepped loop until {@code done} says so, waiting for completions as needed. */
    public void runUntil(BooleanSupplier done) {
        checkStepping();
        for (int turns = 0; !done.getAsBoolean(); turns++) {
            if (turns >= STEPPED_TURNS_MAX) {
                throw new IllegalStateException(name + " did not reach its goal in " + STEPPED_TURNS_MAX + " turns");
            }
            if (state == CLOSED) {
                throw new IllegalStateException(name + " closed before reaching its goal");
            }
            turn(true);
        }
    }

    private boolean idle() {
        return state == CLOSED || (!handedWork() && backlog.isEmpty() && io.inFlight() == 0);
    }

    private void checkStepping() {
        if (!stepped) {
            throw new IllegalStateException(name + " runs on its own thread; only a stepped loop is run by hand");
        }
        if (!inLoop()) {
            throw new IllegalStateException(name + " is stepped by " + thread + ", not " + Thread.currentThread());
        }
    }

    // ------------------------------------------------------------------ hand-off

    /** Puts {@code item} in the queue, waiting for room, and wakes the loop; false only when the queue is closed. */
    private boolean hand(Object item) {
        if (!queue.offer(item) && !waitForRoom(item)) {
            return false;
        }
        wake();
        return true;
    }

    /** Waits until {@code item} is in the queue (true), or the queue is closed (false). */
    private boolean waitForRoom(Object item) {
        if (queue.isClosed()) {
            return false;
        }
        fullQueueWaits.increment();
        Thread me = Thread.currentThread();
        while (!queue.offer(item)) {
            if (queue.isClosed()) {
                return false;
            }
            queueWaiters.add(me);
            // Looked at again after the registration is published, so that a drain in between
            // cannot be missed. A registration left behind when this succeeds costs the loop one
            // spurious unpark, which a parked thread tolerates; removing it would cost O(n).
            if (queue.offer(item)) {
                return true;
            }
            if (queue.isClosed()) {
                return false;
            }
            wake();
            LockSupport.park(this);
        }
        return true;
    }

    /** Wakes as many waiting submitters as cells were freed ({@code Integer.MAX_VALUE}: all), or all once the queue is empty. */
    private void wakeQueueWaiters(int freed) {
        boolean all = queue.isEmpty();
        Thread t;
        for (int i = 0; (all || i < freed) && (t = queueWaiters.poll()) != null; i++) {
            LockSupport.unpark(t);
        }
    }

    /** Wakes the loop if it sleeps: the Io's wake-up when it waits in the Io, an unpark when idle. */
    private void wake() {
        int s = sleepState;
        if (s != AWAKE && SLEEP.compareAndSet(this, s, AWAKE)) {
            if (s == PARKED_IN_IO) {
                io.wakeup();
            } else {
                LockSupport.unpark(thread);
            }
        }
    }

    void requestCancel(LoopFuture<?> op) {
        op.cancelRequested = true;
        if (runsOnLoopThread()) {
            cancelOnLoop(op);
        } else {
            cancelRequests.add(op);
            wake();
        }
    }

    // ------------------------------------------------------------------ the turn

    private int turn(boolean mayWait) {
        int seen = state;
        int drained = drainQueue();
        if (!queueWaiters.isEmpty()) {
            wakeQueueWaiters(drained);
        }
        int work = drainCancels() + drained + startBacklog();
        LoopCarrier c = carrier;
        if (c != null) {
            // Virtual threads of virtualThreadFactory() woken since the last turn: what they
            // submit goes straight into the Io, before this turn waits.
            work += c.runReady();
        }
        if (state == CLOSING) {
            work += closingStep();
            if (state == CLOSED) {
                return work;
            }
        }
        int delivered;
        // A stepped loop that did something this turn does not wait: what it did may be what
        // runUntil waits for, and runUntil looks only between turns.
        if (!mayWait || (stepped && work > 0) || handedWork() || (!backlog.isEmpty() && freeCount > 0)) {
            delivered = io.poll(handler);
        } else {
            delivered = sleep(seen);
        }
        counters.turn();
        int started = startBacklog();
        if (spinNanos > 0) {
            lastInFlight = io.inFlight();
        }
        return work + delivered + started;
    }

    /**
     * Waits for completions, or for work handed over: in the Io when something is in flight
     * (its park submits the batch and waits in one call), otherwise as a parked thread. A stepped
     * loop always waits in the Io's park (virtual time on the simulator), and publishes that it
     * does, as a started loop does, so that work handed over from another thread wakes it.
     */
    private int sleep(int seen) {
        if (spinNanos > 0 && !stepped && io.inFlight() <= SPIN_IN_FLIGHT_MAX) {
            int found = spin(seen);
            if (found >= 0) {
                return found;
            }
        }
        if (io.inFlight() == 0 && !stepped) {
            sleepState = PARKED_IDLE;
            if (!handedWork() && state == seen) {
                LockSupport.parkNanos(this, PARK_MAX_NANOS);
            }
            sleepState = AWAKE;
            return io.poll(handler);
        }
        sleepState = PARKED_IN_IO;
        // Looked at after the state is published: a producer that added later sees PARKED_IN_IO and wakes us.
        if (handedWork() || state != seen) {
            sleepState = AWAKE;
            return io.poll(handler);
        }
        long wait = PARK_MAX_NANOS;
        // The grace is real time; the simulator's park is virtual time, so there it is not capped.
        if (seen == CLOSING && io.backend().kind() != IoBackend.Kind.SIM) {
            wait = Math.max(0, Math.min(wait, graceEndsNanos - System.nanoTime()));
        }
        int n = io.park(wait, handler);
        sleepState = AWAKE;
        return n;
    }

    /**
     * Polls the Io and the hand-off queue for up to the spin time, awake, so that a submitter
     * need not wake the loop: the completions a poll delivered once something came (work handed
     * over, a cancel, a change of state, or a completion; possibly 0), or -1 when nothing came and
     * the loop should sleep.
     */
    private int spin(int seen) {
        long end = System.nanoTime() + spinNanos;
        do {
            if (handedWork() || state != seen) {
                spinHits.increment();
                return io.poll(handler);
            }
            if (io.inFlight() > 0) {
                int n = io.poll(handler);
                if (n > 0) {
                    spinHits.increment();
                    return n;
                }
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
        return -1;
    }

    /** Whether other threads handed over work, cancels, or virtual threads to resume. */
    private boolean handedWork() {
        LoopCarrier c = carrier;
        return !queue.isEmpty() || !cancelRequests.isEmpty() || (c != null && c.hasReady());
    }

    private int drainCancels() {
        int n = 0;
        for (LoopFuture<?> op; (op = cancelRequests.poll()) != null; n++) {
            cancelOnLoop(op);
        }
        return n;
    }

    private int drainQueue() {
        int n = 0;
        // Bounded by the queue's size, and held back while the backlog is long, so that a full
        // Io pushes back on the submitting threads instead of growing the backlog without end.
        int limit = queue.capacity();
        while (n < limit && backlog.size() < queue.capacity()) {
            Object item = queue.poll();
            if (item == null) {
                break;
            }
            n++;
            if (item instanceof LoopFuture<?> op) {
                if (op.casOpState(LoopFuture.QUEUED, LoopFuture.HELD)) {
                    // Accepted before the close began: it runs in the grace period, unless it
                    // is a scheduled task (which a close cancels) or the grace is over.
                    if (state != RUNNING && (graceOver || op instanceof TimerOp t && t.isTask())) {
                        reject(op, closedException("before the operation was started"));
                    } else {
                        op.taken();
                        submitOnLoop(op);
                    }
                }
            } else {
                runTask((Runnable) item);
            }
        }
        return n;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            report(e);
        }
    }

    private void submitOnLoop(LoopFuture<?> op) {
        if (!backlog.isEmpty() || !tryStart(op)) {
            backlog.addLast(op);
        }
    }

    /** On the loop thread: makes {@code op} this loop's, and starts it, or backlogs it when the Io is full. */
    private void submitHere(LoopFuture<?> op) {
        op.loop = this;
        op.setOpState(LoopFuture.HELD);
        op.taken();
        submitOnLoop(op);
    }

    private int startBacklog() {
        int n = 0;
        LoopFuture<?> op;
        while ((op = backlog.peekFirst()) != null && tryStart(op)) {
            backlog.pollFirst();
            n++;
        }
        return n;
    }

    /** Starts {@code op} in the Io; false when the Io has no room (the op stays with the caller). */
    private boolean tryStart(LoopFuture<?> op) {
        if (op.cancelRequested) {
            // Its timeout or the loop's close cancelled it while a step was in flight (they act
            // on operations in flight only), and that step asked for another: the operation
            // fails as its cancelled step would have.
            reject(op, op.timedOut || op.closedByLoop ? op.cancelledBetweenSteps()
                    : new java.util.concurrent.CancellationException("cancelled before it started"));
            return true;
        }
        if (freeCount == 0) {
            return false;
        }
        int slot = freeSlots[--freeCount];
        long tag = ((long) generation[slot] << 32) | slot;
        boolean accepted;
        try {
            accepted = op.start(io, tag);
        } catch (RuntimeException e) {
            freeSlots[freeCount++] = slot;
            reject(op, e);
            return true;
        }
        if (!accepted) {
            freeSlots[freeCount++] = slot;
            return false;
        }
        slots[slot] = op;
        op.tag = tag;
        op.setOpState(LoopFuture.IN_FLIGHT);
        counters.submitted();
        if (op.timeoutNanos > 0) {
            TimerOp timer = TimerOp.deadlineOf(op);
            op.timer = timer;
            submitHere(timer);
        }
        return true;
    }

    private void onCompletion(long tag, int result) {
        int slot = (int) tag;
        LoopFuture<?> op = slots[slot];
        assert op != null && op.tag == tag : "completion for tag " + tag + " that is not in flight";
        slots[slot] = null;
        generation[slot]++;
        freeSlots[freeCount++] = slot;
        op.result = result;
        counters.completed(op.kind(), result);
        TimerOp timer = op.timer;
        if (timer != null) {
            op.timer = null;
            cancelOnLoop(timer);
        }
        try {
            op.completed(result);
        } catch (RuntimeException | Error e) {
            op.again = false;
            report(e);
        }
        if (op.again) {
            op.again = false;
            op.setOpState(LoopFuture.HELD);
            submitOnLoop(op);
        } else {
            op.settle();
        }
    }

    /** A deadline fired (result 0) or was cancelled: cancel its target if that is still in flight. */
    void deadlinePassed(TimerOp timer, int result) {
        LoopFuture<?> target = timer.target;
        if (result == 0 && target.timer == timer && target.opState() == LoopFuture.IN_FLIGHT) {
            target.timedOut = true;
            target.timer = null;
            cancelOnLoop(target);
        }
    }

    private void cancelOnLoop(LoopFuture<?> op) {
        op.cancelRequested = true;
        if (op.opState() == LoopFuture.IN_FLIGHT) {
            submitHere(new CancelOp(op.tag));
        }
        // QUEUED or HELD: tryStart sees cancelRequested and rejects it. SETTLED: nothing to do.
    }

    private void reject(LoopFuture<?> op, Throwable cause) {
        try {
            op.rejected(cause);
        } catch (RuntimeException | Error e) {
            report(e);
        } finally {
            op.settle();
        }
    }

    private void report(Throwable e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    // ------------------------------------------------------------------ closing

    private int closingStep() {
        int work = 0;
        if (!shutdownBegun) {
            shutdownBegun = true;
            graceEndsNanos = System.nanoTime() + options.closeGrace().toNanos();
            // Scheduled tasks are cancelled at once: they would hold the close for their delay.
            work += rejectBacklog(true);
            for (LoopFuture<?> op : slots) {
                if (op instanceof TimerOp t && t.isTask()) {
                    op.closedByLoop = true;
                    cancelOnLoop(op);
                }
            }
        }
        if (!graceOver && System.nanoTime() - graceEndsNanos >= 0) {
            graceOver = true;
        }
        if (graceOver) {
            work += rejectBacklog(false);
            for (LoopFuture<?> op : slots) {
                if (op != null && !op.closedByLoop && !(op instanceof CancelOp)) {
                    op.closedByLoop = true;
                    cancelOnLoop(op);
                    work++;
                }
            }
        }
        if (io.inFlight() == 0 && queue.isEmpty() && onlyCancelsLeft()) {
            finishClose();
        }
        return work;
    }

    /** Refuses what waits for room in the Io: only scheduled tasks, or everything but cancels. */
    private int rejectBacklog(boolean tasksOnly) {
        int n = 0;
        ArrayDeque<LoopFuture<?>> kept = new ArrayDeque<>();
        for (LoopFuture<?> op; (op = backlog.pollFirst()) != null; ) {
            boolean task = op instanceof TimerOp t && t.isTask();
            if (op instanceof CancelOp || (tasksOnly && !task)) {
                kept.addLast(op);
            } else {
                reject(op, closedException("before the operation was started"));
                n++;
            }
        }
        backlog.addAll(kept);
        return n;
    }

    private boolean onlyCancelsLeft() {
        for (LoopFuture<?> op : backlog) {
            if (!(op instanceof CancelOp)) {
                return false;
            }
        }
        return true;
    }

    private void finishClose() {
        for (LoopFuture<?> op; (op = backlog.pollFirst()) != null; ) {
            reject(op, closedException("before the operation was started"));
        }
        io.close();
        state = CLOSED;
        drainAfterClose();
        RuntimeException poolFailure = null;
        try {
            buffers.close();
        } catch (IllegalStateException e) {
            poolFailure = new IllegalStateException(name + " closed, but its buffer pool could not be freed: " + e.getMessage(), e);
        }
        // After the pool closed, so that no thread resumed here releases a buffer while it closes.
        retireCarrier();
        wakeQueueWaiters(Integer.MAX_VALUE);
        if (poolFailure != null) {
            terminated.completeExceptionally(poolFailure);
        } else {
            terminated.complete(null);
        }
    }

    /**
     * Closes the hand-off queue and takes what got in before: a submitter's offer either lands
     * before the close, and is taken here, or fails after it, and the submitter refuses its
     * work itself (execute throws, submit rejects the operation). Without the close, an offer
     * made after this last look (by a thread past its check of the state, or one woken from a
     * full queue by this very drain) stayed in the queue for ever.
     */
    private void drainAfterClose() {
        queue.close();
        while (!queue.isEmpty()) {
            Object item = queue.poll();
            if (item == null) {
                // A producer claimed the cell before the close and has yet to publish it, its
                // next store: let it run.
                Thread.yield();
                continue;
            }
            if (item instanceof LoopFuture<?> op) {
                if (op.casOpState(LoopFuture.QUEUED, LoopFuture.HELD)) {
                    reject(op, closedException("before the operation was started"));
                }
            } else {
                // A task handed over as the loop closed: run it, so that nothing handed over is
                // dropped; whatever it submits is refused.
                runTask((Runnable) item);
            }
        }
        for (LoopFuture<?> op; (op = cancelRequests.poll()) != null; ) {
            assert op.isSettled() || op.opState() == LoopFuture.QUEUED : "a cancel for an operation that never settled";
        }
    }

    /** Virtual threads of this loop still to run, and all from now on, run on platform threads of their own. */
    private void retireCarrier() {
        LoopCarrier c = carrier;
        if (c != null) {
            c.retire(true);
        }
    }

    private LoopClosedException closedException(String when) {
        return new LoopClosedException(name, when);
    }

    @Override
    public String toString() {
        return name + (stepped ? " (stepped)" : "") + (state == RUNNING ? "" : state == CLOSING ? " closing" : " closed");
    }
}
