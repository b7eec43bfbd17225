package io.ringio.bench.engine;

import io.ringio.bench.report.Percentile;

import java.util.List;

/**
 * What one engine did in one measured window.
 *
 * @param ops        operations completed in the window (a write and its fdatasync count as one)
 * @param seconds    length of the window
 * @param cpuSeconds        CPU time (user + system) of the process in the window, all its threads;
 *                          for fio, what fio reports for its job
 * @param machineCpuSeconds the machine's busy CPU time in the window, all CPUs
 *                          ({@link io.ringio.bench.machine.MachineCpu}); NaN where it was not
 *                          measured (fio, whose window is inside a process of its own, and
 *                          machines without {@code /proc/stat})
 * @param curve             the latency distribution of one operation, submission to completion
 */
public record Sample(long ops, double seconds, double cpuSeconds, double machineCpuSeconds, List<Percentile> curve) {
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

    /** The machine's busy CPU seconds per million operations; NaN where not measured. */
    public double machineCpuSecondsPerMillion() {
        return ops == 0 ? Double.NaN : machineCpuSeconds * 1e6 / ops;
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
