package io.ringio.bench.engine;

/**
 * What one engine did in one measurement.
 *
 * @param engine     the engine's name
 * @param ops        reads completed in the window
 * @param seconds    length of the window
 * @param cpuSeconds process CPU time (user + system) spent in the window, all threads, kernel
 *                   threads working for it excluded
 * @param p50Nanos   median latency of one read, submission to completion
 * @param p99Nanos   99th percentile
 * @param p999Nanos  99.9th percentile
 */
public record BenchResult(String engine, long ops, double seconds, double cpuSeconds, long p50Nanos, long p99Nanos,
                          long p999Nanos) {
    public double iops() {
        return ops / seconds;
    }

    /** CPU microseconds per read. */
    public double cpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : cpuSeconds * 1e6 / ops;
    }
}
