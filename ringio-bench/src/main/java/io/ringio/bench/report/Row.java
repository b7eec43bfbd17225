package io.ringio.bench.report;

import java.util.List;

/**
 * One line of the bench table: one engine on one workload, summarized over its repeats. Each
 * figure is the median of the repeats; {@code iopsMin} and {@code iopsMax} give the spread of
 * IOPS (and MB/s), the {@link Spread}s that of the others.
 *
 * @param workload             the workload's id, for example {@code randread-qd32}
 * @param workloadTitle        what the workload does, in words
 * @param engine               the engine's id, for example {@code ringio-futures}
 * @param engineTitle          the engine in words, with its threads or queue depth
 * @param cache                how the page cache stood: {@code direct} (bypassed), {@code hot}
 *                             or {@code cold}, measured when it could be
 * @param blockBytes           bytes per operation
 * @param depth                operations in flight (futures, fio's iodepth)
 * @param threads              threads doing operations (1 for single-threaded engines)
 * @param repeats              measurements summarized
 * @param iops                 operations per second
 * @param iopsMin              the slowest repeat
 * @param iopsMax              the fastest repeat
 * @param megabytesPerSecond   iops times the block size, in MB/s (10^6 bytes)
 * @param p50Nanos             median latency of one operation
 * @param p99Nanos             99th percentile
 * @param p999Nanos            99.9th percentile
 * @param cpuSecondsPerMillion process CPU time (user + system) per million operations
 * @param iopsVsFileChannel    iops over the FileChannel reference of the same workload, NaN when
 *                             there is none in the run
 * @param cpuVsFileChannel     CPU per operation over the reference's, NaN when there is none
 * @param curve                the latency distribution, for plots; percent ascending
 * @param p50Spread            the lowest and highest repeat's p50, in nanoseconds
 * @param p99Spread            the same for p99
 * @param p999Spread           the same for p99.9
 * @param cpuSpread            the same for CPU seconds per million operations
 * @param machineCpuSecondsPerMillion the machine's busy CPU time, all CPUs, per million
 *                             operations ({@link io.ringio.bench.machine.MachineCpu}); NaN where
 *                             not measured (fio)
 * @param machineCpuVsFileChannel the machine's CPU per operation over the reference's, NaN when
 *                             either is missing
 * @param machineCpuSpread     the lowest and highest repeat's machine CPU per million operations
 */
public record Row(String workload, String workloadTitle, String engine, String engineTitle, String cache,
                  int blockBytes, int depth, int threads, int repeats,
                  double iops, double iopsMin, double iopsMax, double megabytesPerSecond,
                  long p50Nanos, long p99Nanos, long p999Nanos, double cpuSecondsPerMillion,
                  double iopsVsFileChannel, double cpuVsFileChannel, List<Percentile> curve,
                  Spread p50Spread, Spread p99Spread, Spread p999Spread, Spread cpuSpread,
                  double machineCpuSecondsPerMillion, double machineCpuVsFileChannel, Spread machineCpuSpread) {
    public Row {
        curve = List.copyOf(curve);
    }
}
