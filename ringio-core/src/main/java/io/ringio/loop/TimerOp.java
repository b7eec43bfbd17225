package io.ringio.loop;

import io.ringio.io.Io;
import io.ringio.sys.Errno;

import java.util.concurrent.CancellationException;

/**
 * A timeout in the {@code Io} (a ring TIMEOUT on io_uring, the virtual clock on the simulator):
 * either a task scheduled on the loop, or the deadline of another operation, which the loop
 * cancels when this fires first.
 */
final class TimerOp extends LoopFuture<Void> {
    private final long nanos;
    private final Runnable task;
    final LoopFuture<?> target;

    private TimerOp(long nanos, Runnable task, LoopFuture<?> target) {
        this.nanos = nanos;
        this.task = task;
        this.target = target;
    }

    static TimerOp task(long nanos, Runnable task) {
        return new TimerOp(nanos, task, null);
    }

    static TimerOp deadlineOf(LoopFuture<?> target) {
        return new TimerOp(target.timeoutNanos, null, target);
    }

    boolean isTask() {
        return task != null;
    }

    @Override
    protected boolean start(Io io, long tag) {
        return io.timeout(tag, nanos);
    }

    @Override
    protected void completed(int result) {
        if (target != null) {
            loop.deadlinePassed(this, result);
            complete(null);
        } else if (result == 0) {
            if (isCancelled()) {
                return; // cancel() returned true: the task must not run
            }
            try {
                task.run();
                complete(null);
            } catch (RuntimeException | Error e) {
                completeExceptionally(e);
                throw e;
            }
        } else if (result == -Errno.ECANCELED) {
            completeExceptionally(closedByLoop ? failure(result, "timer", null) : new CancellationException("timer cancelled"));
        } else {
            completeExceptionally(failure(result, "timer", null));
        }
    }

    @Override
    protected OpKind kind() {
        return OpKind.INTERNAL;
    }
}
