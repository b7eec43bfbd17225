package io.ringio.io.sim;

import io.ringio.io.IoOptions;

import java.util.List;
import java.util.Objects;

/**
 * How a simulation runs. The seed fixes everything else that varies: completion order, which
 * probabilistic faults fire, and what a crash keeps.
 *
 * @param seed       the seed; the same options give a byte-identical run
 * @param capacity   most operations in flight, 1 to {@link IoOptions#CAPACITY_MAX}
 * @param latency    how long each kind of operation takes, in virtual time
 * @param faults     the fault rules, in order; empty for a faultless disk. They hold for every
 *                   {@link SimIo} that {@link SimIo#crash()} returns too.
 * @param epochNanos wall-clock time, in nanoseconds since the epoch, at virtual time 0: what
 *                   modification times are measured from
 */
public record SimOptions(long seed, int capacity, SimLatency latency, List<FaultRule> faults, long epochNanos) {
    /** 2026-01-01T00:00:00Z: a fixed default, so that modification times repeat with the seed. */
    public static final long EPOCH_DEFAULT_NANOS = 1_767_225_600L * 1_000_000_000L;

    public SimOptions {
        if (capacity < 1 || capacity > IoOptions.CAPACITY_MAX) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + IoOptions.CAPACITY_MAX + "]");
        }
        Objects.requireNonNull(latency, "latency");
        faults = List.copyOf(faults);
        if (epochNanos < 0) {
            throw new IllegalArgumentException("epochNanos=" + epochNanos + " must be >= 0");
        }
    }

    /** Defaults with this seed: capacity {@link IoOptions#CAPACITY_DEFAULT}, default latencies, no faults. */
    public static SimOptions seed(long seed) {
        return new SimOptions(seed, IoOptions.CAPACITY_DEFAULT, SimLatency.defaults(), List.of(), EPOCH_DEFAULT_NANOS);
    }

    public SimOptions withCapacity(int capacity) {
        return new SimOptions(seed, capacity, latency, faults, epochNanos);
    }

    public SimOptions withLatency(SimLatency latency) {
        return new SimOptions(seed, capacity, latency, faults, epochNanos);
    }

    /** These options with {@code rules} added after the existing ones. */
    public SimOptions withFaults(FaultRule... rules) {
        List<FaultRule> all = new java.util.ArrayList<>(faults);
        all.addAll(List.of(rules));
        return new SimOptions(seed, capacity, latency, all, epochNanos);
    }

    public SimOptions withEpochNanos(long epochNanos) {
        return new SimOptions(seed, capacity, latency, faults, epochNanos);
    }
}
