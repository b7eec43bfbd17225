package io.ringio.bench.engine;

import io.ringio.bench.report.Percentile;

import java.util.List;

/**
 * What one engine did in one measured window.
 *
 * @param ops        operations completed in the window (a write and its fdatasync count as one)
 * @param seconds    length of the window
 * @param cpuSeconds CPU time (user + system) of the process in the window, all its threads; for
 *                   fio, what fio reports for its job
 * @param curve      the latency distribution of one operation, submission to completion
 */
public record Sample(long ops, double seconds, double cpuSeconds, List<Percentile> curve) {
    public Sample {
        curve = List.copyOf(curve);
    }

    public double iops() {
        return ops / seconds;
    }

    /** CPU seconds per million operations. */
    public double cpuSecondsPerMillion() {
        return ops == 0 ? Double.NaN : cpuSeconds * 1e6 / ops;
    }

    /** The latency at {@code percent}, from the curve's nearest point at or above it. */
    public long latencyNanos(double percent) {
        for (Percentile p : curve) {
            if (p.percent() >= percent - 1e-9) {
                return p.nanos();
            }
        }
        return curve.isEmpty() ? 0 : curve.get(curve.size() - 1).nanos();
    }
}
