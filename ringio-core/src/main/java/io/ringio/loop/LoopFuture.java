package io.ringio.loop;

import io.ringio.io.ErrnoException;
import io.ringio.io.Io;
import io.ringio.sys.Errno;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * An operation run on an {@link EventLoop}, and the future of its outcome: one object, so that
 * an operation costs one allocation. Subclasses say how the operation is handed to the
 * {@link Io} ({@link #start}) and what its completion means ({@link #completed}); the loop calls
 * both on its thread, each at most once, and {@link #rejected} instead when the operation never
 * reaches the {@code Io}.
 *
 * <p>{@link #cancel} completes this future at once, as {@link CompletableFuture} promises, and
 * asks the loop to cancel the operation (IORING_OP_ASYNC_CANCEL on io_uring). The operation
 * itself goes on until its completion arrives: until {@link #isSettled()} it owns its buffers,
 * which must stay alive and untouched.
 *
 * @param <T> the result type
 */
public abstract class LoopFuture<T> extends CompletableFuture<T> {
    static final int NEW = 0;
    /** In the hand-off queue: the loop, or the submitter at close, may take it. */
    static final int QUEUED = 1;
    /** Taken by the loop: in its backlog, or being started. */
    static final int HELD = 2;
    static final int IN_FLIGHT = 3;
    /** Completed or rejected; the buffers are the caller's again. */
    static final int SETTLED = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LoopFuture.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    EventLoop loop;
    long tag;
    /** The completion's result, set before {@link #completed} runs. */
    int result;
    /** 0 for none; otherwise the loop cancels the operation after this long. */
    long timeoutNanos;
    TimerOp timer;
    boolean timedOut;
    boolean closedByLoop;
    volatile boolean cancelRequested;
    /** Set by {@link #again()} inside completed(): the loop starts the operation once more. */
    boolean again;
    /** A thread blocked in {@link EventLoop#await} on this operation, unparked when it settles. */
    volatile Thread waiter;

    protected LoopFuture() {}

    /**
     * Hands the operation to {@code io} with {@code tag}, on the loop thread. Returns what the
     * {@code Io} returned: false when it is at capacity, and the loop tries again later. May
     * throw {@link IllegalArgumentException} for bad arguments; the loop then rejects the
     * operation with that exception.
     */
    protected abstract boolean start(Io io, long tag);

    /**
     * The completion arrived with {@code result} (a count, or {@code -errno}): complete this
     * future, and release what the operation holds. On the loop thread, once. Use
     * {@link #failure} to turn a negative result into the exception to complete with.
     */
    protected abstract void completed(int result);

    /**
     * The operation never reached the {@code Io}: the loop is closed, it was cancelled before it
     * started, or {@link #start} threw. Fail the future with {@code cause} and release what the
     * operation holds. Called once, on the loop thread or on the submitting thread.
     */
    protected void rejected(Throwable cause) {
        completeExceptionally(cause);
    }

    /**
     * The loop has taken the operation, on its thread, in order with the tasks it runs; before
     * the operation's first {@link #start}, which may wait for room in the {@code Io}. Once.
     */
    protected void taken() {}

    /** What the operation is, for the loop's counters. */
    protected OpKind kind() {
        return OpKind.OTHER;
    }

    /**
     * The exception for a failed completion: {@link LoopClosedException} when the loop's close
     * cancelled the operation, a {@code TimedOutException} when its timeout did, and otherwise
     * the typed {@link ErrnoException} for the errno, naming {@code operation} and {@code path}.
     */
    protected final Throwable failure(int result, String operation, String path) {
        assert result < 0 : "failure of a successful result " + result;
        if (result == -Errno.ECANCELED) {
            if (closedByLoop) {
                return new LoopClosedException(loop.name(), "while " + operation + (path == null ? "" : " " + path)
                        + " was in flight; it was cancelled");
            }
            if (timedOut) {
                return ErrnoException.of(Errno.ETIMEDOUT, operation, path);
            }
        }
        return ErrnoException.of(result, operation, path);
    }

    /**
     * From inside {@link #completed}: start this operation once more instead of ending it, for an
     * operation of several steps (a read that loops over short transfers, a sync of a directory
     * that opens, syncs and closes it). The future stays pending, {@link #start} runs again on a
     * coming turn, and so does {@code completed}; a cancel or a timeout still applies to each step.
     */
    protected final void again() {
        assert loop != null && loop.inLoop() : "again() outside completed()";
        again = true;
    }

    /**
     * Marks an operation that was never submitted as settled, after the caller has completed it
     * (a file layer refusing an operation on a closed file, say), so that a thread waiting in
     * {@link EventLoop#await} returns.
     *
     * @throws IllegalStateException if the operation was submitted
     */
    protected final void settleWithoutIo() {
        if (!casOpState(NEW, SETTLED)) {
            throw new IllegalStateException("the operation was submitted; the loop settles it");
        }
        wakeWaiter();
    }

    /**
     * Counts, in {@code loop}'s {@link EventLoop#stats()}, a read of {@code bytes} that an
     * operation's layer served on the calling thread without the {@code Io} (the file layer's
     * page-cache fast path). Any thread.
     */
    protected static void countPageCacheRead(EventLoop loop, long bytes) {
        loop.countPageCacheRead(bytes);
    }

    /**
     * The failure of an operation of several steps ({@link #again()}) that its timeout or the
     * loop's close cancelled while a step was in flight, when that step completed anyway and
     * asked for another, which the loop then refuses: what a cancelled step fails with, a
     * {@code TimedOutException} or a {@link LoopClosedException}. Subclasses name the operation
     * and its path, as their own failures do.
     */
    protected Throwable cancelledBetweenSteps() {
        return failure(-Errno.ECANCELED, "operation", null);
    }

    /** Whether the loop cancelled this operation because its timeout expired. */
    protected final boolean timedOut() {
        return timedOut;
    }

    /** The result of the completion; meaningful once {@link #isSettled()}. */
    protected final int result() {
        return result;
    }

    /**
     * Whether the operation has ended: its completion has arrived, or it was rejected. From then
     * on its buffers belong to the caller again, even if this future was cancelled long before.
     * The loop marks an operation settled just after {@link #completed} returns, so a thread that
     * sees the future complete may still see this false for a moment; {@link EventLoop#await}
     * waits for it.
     */
    public final boolean isSettled() {
        return state == SETTLED;
    }

    /**
     * Completes this future with a {@link java.util.concurrent.CancellationException} and, if it
     * did, asks the loop to cancel the operation. The operation may still run to its end; see
     * {@link #isSettled()}.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        EventLoop owner = loop;
        if (cancelled && owner != null) {
            owner.requestCancel(this);
        }
        return cancelled;
    }

    final int opState() {
        return state;
    }

    final void setOpState(int value) {
        state = value;
    }

    final boolean casOpState(int expected, int value) {
        return STATE.compareAndSet(this, expected, value);
    }

    /** Marks the operation settled and wakes a thread blocked on it. Loop thread, after completed() or rejected(). */
    final void settle() {
        state = SETTLED;
        wakeWaiter();
    }

    private void wakeWaiter() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
