package io.ringio.io.sim;

import java.util.Arrays;
import java.util.Objects;

/**
 * How long each kind of simulated operation takes, in virtual nanoseconds: a minimum plus an
 * exponentially distributed tail with the given mean, drawn from the seed for each operation.
 * Operations in flight together therefore complete in an order the seed chooses, as a kernel's
 * may. Immutable; {@link #with} returns a changed copy.
 */
public final class SimLatency {
    private static final int KINDS = SimOperation.values().length;

    private final long[] minNanos;
    private final long[] tailMeanNanos;

    private SimLatency(long[] minNanos, long[] tailMeanNanos) {
        this.minNanos = minNanos;
        this.tailMeanNanos = tailMeanNanos;
    }

    /**
     * Latencies in the range of a local NVMe drive behind a page cache: NOP and cancel 0.5 µs +
     * 0.5 µs, metadata 5 µs + 10 µs, read 20 µs + 40 µs, write 10 µs + 20 µs, sync 200 µs +
     * 800 µs, allocate and truncate 10 µs + 20 µs.
     */
    public static SimLatency defaults() {
        long[] min = new long[KINDS];
        long[] tail = new long[KINDS];
        set(min, tail, SimOperation.NOP, 500, 500);
        set(min, tail, SimOperation.TIMEOUT, 0, 0);
        set(min, tail, SimOperation.CANCEL, 500, 500);
        set(min, tail, SimOperation.OPEN, 5_000, 10_000);
        set(min, tail, SimOperation.CLOSE, 5_000, 10_000);
        set(min, tail, SimOperation.STAT, 5_000, 10_000);
        set(min, tail, SimOperation.NAMESPACE, 5_000, 10_000);
        set(min, tail, SimOperation.READ, 20_000, 40_000);
        set(min, tail, SimOperation.WRITE, 10_000, 20_000);
        set(min, tail, SimOperation.SYNC, 200_000, 800_000);
        set(min, tail, SimOperation.RESIZE, 10_000, 20_000);
        return new SimLatency(min, tail);
    }

    /** Every operation takes no virtual time: completions come in submission order. */
    public static SimLatency zero() {
        return new SimLatency(new long[KINDS], new long[KINDS]);
    }

    private static void set(long[] min, long[] tail, SimOperation op, long minNanos, long tailMeanNanos) {
        min[op.ordinal()] = minNanos;
        tail[op.ordinal()] = tailMeanNanos;
    }

    /** A copy with {@code operation} taking {@code minNanos} plus a tail of mean {@code tailMeanNanos}. */
    public SimLatency with(SimOperation operation, long minNanos, long tailMeanNanos) {
        Objects.requireNonNull(operation, "operation");
        if (minNanos < 0 || tailMeanNanos < 0) {
            throw new IllegalArgumentException("minNanos=" + minNanos + " and tailMeanNanos=" + tailMeanNanos
                    + " must be >= 0");
        }
        long[] min = this.minNanos.clone();
        long[] tail = this.tailMeanNanos.clone();
        set(min, tail, operation, minNanos, tailMeanNanos);
        return new SimLatency(min, tail);
    }

    public long minNanos(SimOperation operation) {
        return minNanos[operation.ordinal()];
    }

    public long tailMeanNanos(SimOperation operation) {
        return tailMeanNanos[operation.ordinal()];
    }

    /** One draw: the minimum plus an exponential tail. */
    long draw(SimOperation operation, SimRandom random) {
        int i = operation.ordinal();
        return minNanos[i] + random.exponentialNanos(tailMeanNanos[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimLatency other && Arrays.equals(minNanos, other.minNanos)
                && Arrays.equals(tailMeanNanos, other.tailMeanNanos);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(minNanos) * 31 + Arrays.hashCode(tailMeanNanos);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SimLatency[");
        for (SimOperation op : SimOperation.values()) {
            s.append(op.ordinal() == 0 ? "" : ", ").append(op).append('=').append(minNanos(op)).append("+exp(")
                    .append(tailMeanNanos(op)).append(")ns");
        }
        return s.append(']').toString();
    }
}
