package io.ringio.bench.run;

import io.ringio.bench.report.BenchReport;
import io.ringio.bench.report.Machine;
import io.ringio.bench.report.Row;
import io.ringio.bench.report.Sizes;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The bench's plain-text table: the machine, then each workload's rows, then the notes. */
public final class Table {
    /** The engine column's least width; a longer engine title widens it for the whole table. */
    private static final int ENGINE_WIDTH_MIN = 38;
    /** The columns after the engine's. */
    private static final String COLUMNS = " %-7s %10s %15s %8s %9s %9s %9s %9s %9s %8s %9s %9s%n";

    private Table() {}

    public static void print(BenchReport report, PrintWriter out) {
        Machine m = report.machine();
        out.printf(Locale.ROOT, "machine: %s, %d cores, %s memory; Linux %s; %s%n", m.cpu(), m.cores(),
                Sizes.binary(m.memoryBytes()), m.kernel(), m.jdk());
        out.printf(Locale.ROOT, "file:    %s test file on %s (%s)%n", Sizes.binary(report.fileBytes()), m.disk(), m.fileSystem());
        out.printf(Locale.ROOT, "command: %s%n", report.command());
        out.println("figures: each the median of the repeats; the windows of the engines of one workload are "
                + "interleaved, round by round, each round starting with another engine; spread is the slowest..fastest repeat's IOPS; CPU s/M is process CPU "
                + "time (user + system) per million operations; mCPU s/M is the whole machine's busy CPU time (all CPUs, every task, "
                + "from /proc/stat) per million operations, which also counts the interrupt work the kernel charges to no process or "
                + "to another; xFC is the ratio to FileChannel on as many platform "
                + "threads; cache is the test file's page cache as measured before each window, the worst of them");
        int width = ENGINE_WIDTH_MIN;
        for (Row r : report.rows()) {
            width = Math.max(width, r.engineTitle().length());
        }
        String format = "  %-" + width + "s" + COLUMNS;
        for (List<Row> rows : report.rowsByWorkload()) {
            Row first = rows.get(0);
            out.println();
            out.printf(Locale.ROOT, "%s: %s%n", first.workload(), first.workloadTitle());
            out.printf(Locale.ROOT, format, "engine", "cache", "IOPS", "spread", "MB/s", "p50 us", "p99 us",
                    "p99.9 us", "CPU s/M", "xFC IOPS", "xFC CPU", "mCPU s/M", "xFC mCPU");
            for (Row r : rows) {
                out.printf(Locale.ROOT, format, r.engineTitle(), r.cache(), String.format(Locale.ROOT, "%,.0f", r.iops()),
                        compact(r.iopsMin()) + ".." + compact(r.iopsMax()),
                        String.format(Locale.ROOT, "%.1f", r.megabytesPerSecond()), micros(r.p50Nanos(), false),
                        micros(r.p99Nanos(), false), micros(r.p999Nanos(), false),
                        String.format(Locale.ROOT, "%.2f", r.cpuSecondsPerMillion()), ratio(r.iopsVsFileChannel()),
                        ratio(r.cpuVsFileChannel()), ratio(r.machineCpuSecondsPerMillion()),
                        ratio(r.machineCpuVsFileChannel()));
            }
        }
        if (!report.notes().isEmpty()) {
            out.println();
            for (String note : report.notes()) {
                out.println("note: " + note);
            }
        }
        if (!report.complete()) {
            out.println("note: the run was stopped; the table holds the measurements that finished");
        }
        out.flush();
    }

    /** Nanoseconds as microseconds with one decimal, with the unit: "62.5 µs". */
    static String micros(long nanos) {
        return micros(nanos, true);
    }

    private static String micros(long nanos, boolean unit) {
        return String.format(Locale.ROOT, nanos >= 100_000 ? "%.0f" : "%.1f", nanos / 1e3) + (unit ? " \u00b5s" : "");
    }

    /** 54164 as "54.2k", 1234567 as "1.23M". */
    static String compact(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Two decimals, or "-" for a figure not measured or a ratio without a reference. */
    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }
}
