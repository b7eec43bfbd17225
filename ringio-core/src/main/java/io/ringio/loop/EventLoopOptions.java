package io.ringio.loop;

import io.ringio.buffer.BufferPool;
import io.ringio.io.IoOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How to start an {@link EventLoop}.
 *
 * @param io              the {@code Io} the loop opens: backend, ring size (its capacity), SQPOLL
 *                        and SINGLE_ISSUER. By default SINGLE_ISSUER (with DEFER_TASKRUN) is on
 *                        where the kernel has it, since only the loop thread touches the ring,
 *                        and SQPOLL is off: its kernel thread keeps a core busy, which on a
 *                        machine with few cores costs more than the system calls it saves.
 * @param queueCapacity   the hand-off queue from other threads, a power of two; when it is full,
 *                        submitting threads wait (a virtual thread parks) rather than fail
 * @param bufferClassBytes native memory per size class of the loop's {@link BufferPool}
 * @param registerBuffers register the pool with io_uring as fixed buffers where memlock allows
 * @param closeGrace      how long {@link EventLoop#close()} lets operations in flight finish before
 *                        it cancels them
 * @param spin            how long to poll before sleeping, at light load; {@link Duration#ZERO} (the
 *                        default) never polls. When at most one operation is in flight, the loop
 *                        polls its {@code Io} and its hand-off queue this long before it sleeps.
 *                        When the loop had at most one in flight after its last turn, a thread
 *                        blocked in {@link EventLoop#await} (every blocking call of the file
 *                        layer) polls its operation this long before it parks, one thread of the
 *                        loop at a time, yielding between looks so that other virtual threads keep
 *                        its carrier. Under more load completions keep the loop awake anyway.
 *                        Each sleep that another thread ends costs a wake-up: on a virtual machine
 *                        about 10 to 15 µs, twice per blocking call (once to hand the operation
 *                        over, once to hand its completion back). Polling saves both when the
 *                        operation completes within the time, at the price of up to two busy
 *                        cores while it lasts: an option for latency, on machines with cores to
 *                        spare. Set it a little above the device's latency.
 */
public record EventLoopOptions(IoOptions io, int queueCapacity, long bufferClassBytes, boolean registerBuffers,
                               Duration closeGrace, Duration spin) {
    public static final int QUEUE_CAPACITY_DEFAULT = 4096;
    public static final int QUEUE_CAPACITY_MAX = 1 << 20;
    public static final Duration CLOSE_GRACE_DEFAULT = Duration.ofSeconds(5);
    /** The longest {@link #spin}: polling longer than this is sleeping with the lights on. */
    public static final Duration SPIN_MAX = Duration.ofMillis(10);

    public EventLoopOptions {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(closeGrace, "closeGrace");
        Objects.requireNonNull(spin, "spin");
        if (queueCapacity < 2 || queueCapacity > QUEUE_CAPACITY_MAX || Integer.bitCount(queueCapacity) != 1) {
            throw new IllegalArgumentException("queueCapacity=" + queueCapacity + " must be a power of two in [2, "
                    + QUEUE_CAPACITY_MAX + "]");
        }
        if (bufferClassBytes < BufferPool.CLASS_MAX_BYTES) {
            throw new IllegalArgumentException("bufferClassBytes=" + bufferClassBytes + " must be at least "
                    + BufferPool.CLASS_MAX_BYTES + " (one buffer of the largest class)");
        }
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace=" + closeGrace + " must not be negative");
        }
        if (spin.isNegative() || spin.compareTo(SPIN_MAX) > 0) {
            throw new IllegalArgumentException("spin=" + spin + " must be in [0, " + SPIN_MAX + "]");
        }
    }

    /** Automatic backend, SINGLE_ISSUER where the kernel has it, SQPOLL off, no polling, defaults elsewhere. */
    public static EventLoopOptions defaults() {
        return new EventLoopOptions(IoOptions.defaults().withSingleIssuer(true), QUEUE_CAPACITY_DEFAULT,
                BufferPool.CLASS_BYTES_DEFAULT, true, CLOSE_GRACE_DEFAULT, Duration.ZERO);
    }

    public EventLoopOptions withIo(IoOptions value) {
        return new EventLoopOptions(value, queueCapacity, bufferClassBytes, registerBuffers, closeGrace, spin);
    }

    public EventLoopOptions withQueueCapacity(int value) {
        return new EventLoopOptions(io, value, bufferClassBytes, registerBuffers, closeGrace, spin);
    }

    public EventLoopOptions withBufferClassBytes(long value) {
        return new EventLoopOptions(io, queueCapacity, value, registerBuffers, closeGrace, spin);
    }

    public EventLoopOptions withRegisterBuffers(boolean value) {
        return new EventLoopOptions(io, queueCapacity, bufferClassBytes, value, closeGrace, spin);
    }

    public EventLoopOptions withCloseGrace(Duration value) {
        return new EventLoopOptions(io, queueCapacity, bufferClassBytes, registerBuffers, value, spin);
    }

    public EventLoopOptions withSpin(Duration value) {
        return new EventLoopOptions(io, queueCapacity, bufferClassBytes, registerBuffers, closeGrace, value);
    }
}
