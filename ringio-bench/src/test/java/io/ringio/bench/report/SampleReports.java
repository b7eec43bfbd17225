package io.ringio.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic bench reports for the HTML tests, and a main that writes one as a page to look at in
 * a browser: {@code java -cp target/classes:target/test-classes io.ringio.bench.report.SampleReports /tmp/sample.html}.
 */
final class SampleReports {
    static final Machine MACHINE = new Machine("AMD EPYC 7B13", 2, 8L << 30, "6.18.44", "25+36-LTS Temurin",
            "nvme0n1 (Samsung PM9A3)", "ext4");
    /** Percentiles about as HdrHistogram's percentile iterator gives them: denser towards the tail, ending at 100. */
    private static final int CURVE_STEPS_PER_HALVING = 5;
    private static final int CURVE_HALVINGS = 17;

    private SampleReports() {}

    /** A row with a FileChannel reference, a spread of ±5% and a latency curve rising from {@code p50Micros}. */
    static Row row(String workload, String engine, String engineTitle, double iops, double p50Micros, double cpu,
                   double iopsVsFileChannel, double cpuVsFileChannel) {
        return new Row(workload, "Random 4 KiB reads, " + workload, engine, engineTitle, "direct", 4096, 32, 1, 3,
                iops, iops * 0.95, iops * 1.05, iops * 4096 / 1e6,
                (long) (p50Micros * 1e3), (long) (p50Micros * 2.5e3), (long) (p50Micros * 6e3), cpu,
                iopsVsFileChannel, cpuVsFileChannel, curve(p50Micros), Spread.of(p50Micros * 1e3),
                Spread.of(p50Micros * 2.5e3), Spread.of(p50Micros * 6e3), Spread.of(cpu), cpu * 1.2,
                cpuVsFileChannel, Spread.of(cpu * 1.2));
    }

    static Row withoutCurve(Row row) {
        return withCurve(row, List.of());
    }

    static Row withCurve(Row row, List<Percentile> curve) {
        return new Row(row.workload(), row.workloadTitle(), row.engine(), row.engineTitle(), row.cache(),
                row.blockBytes(), row.depth(), row.threads(), row.repeats(), row.iops(), row.iopsMin(), row.iopsMax(),
                row.megabytesPerSecond(), row.p50Nanos(), row.p99Nanos(), row.p999Nanos(), row.cpuSecondsPerMillion(),
                row.iopsVsFileChannel(), row.cpuVsFileChannel(), curve, row.p50Spread(), row.p99Spread(),
                row.p999Spread(), row.cpuSpread(), row.machineCpuSecondsPerMillion(), row.machineCpuVsFileChannel(),
                row.machineCpuSpread());
    }

    /**
     * A flat body and a tail that steepens with every nine, about as a disk's reads look: the
     * median at {@code p50Micros}, p99 near 2.5 times it, p99.9 near 5 times; then the maximum at 100.
     */
    static List<Percentile> curve(double p50Micros) {
        List<Percentile> points = new ArrayList<>();
        points.add(new Percentile(0, (long) (p50Micros * 400)));
        for (int step = 1; step <= CURVE_HALVINGS * CURVE_STEPS_PER_HALVING; step++) {
            double percent = 100 * (1 - Math.pow(0.5, step / (double) CURVE_STEPS_PER_HALVING));
            double nines = -Math.log10(1 - percent / 100);
            double timesMedian = 0.5 + 0.5 * Math.pow(10, 0.35 * (nines - Math.log10(2)));
            points.add(new Percentile(percent, (long) (p50Micros * 1e3 * timesMedian)));
        }
        points.add(new Percentile(100, (long) (p50Micros * 1e3 * 200)));
        return points;
    }

    static BenchReport report(List<Row> rows, List<String> notes, boolean complete) {
        return new BenchReport(MACHINE, "./ringio bench --dir /var/tmp --size 1024 --qd 32 --repeat 3",
                "2026-11-22T01:29:55Z", 1L << 30, rows, notes, complete);
    }

    /** Two workloads, four engines, fio skipped: roughly what a real run prints. */
    static BenchReport typical() {
        return report(List.of(
                row("randread-qd32", "futures", "ringio futures, 1 loop, 32 in flight", 182_400, 170, 2.1, 1.12, 0.61),
                row("randread-qd32", "blocking-virtual", "ringio blocking, 32 virtual threads", 171_000, 182, 3.4, 1.05, 0.99),
                row("randread-qd32", "filechannel", "FileChannel, 32 platform threads", 162_800, 190, 3.45, 1.0, 1.0),
                row("randread-qd32", "filechannel-virtual", "FileChannel, 32 virtual threads", 150_100, 205, 4.02, 0.92, 1.17),
                row("randread-qd1", "futures", "ringio futures, 1 loop, 1 in flight", 11_900, 80, 9.8, 1.21, 0.70),
                row("randread-qd1", "filechannel", "FileChannel, 1 platform thread", 9_830, 97, 14.0, 1.0, 1.0)),
                List.of("fio is not on the PATH: skipped", "blocking-platform was not asked for"), true);
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = new ArrayList<>(typical().rows());
        rows.add(row("randread-qd32", "long", "an engine with a very long title that goes on <and on> & on, 32 \"threads\"",
                90_000, 400, Double.NaN, Double.NaN, Double.NaN));
        rows.add(row("randread-qd1", "broken", "an engine that measured nothing", Double.NaN, 0, 0, Double.NaN, Double.NaN));
        HtmlReport.write(report(rows, typical().notes(), false), Path.of(args.length > 0 ? args[0] : "/tmp/sample.html"));
    }
}
