package io.ringio.bench.run;

import io.ringio.bench.engine.Sample;
import io.ringio.bench.report.Percentile;
import io.ringio.bench.report.Row;
import io.ringio.bench.report.Spread;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Turns the samples of a measurement into a table row: the median of each figure, and the IOPS spread. */
public final class Summary {
    private Summary() {}

    /** The row for {@code samples} of {@code m}, cache state {@code cache}; ratios are left NaN for {@link #withRatios}. */
    public static Row row(Measurement m, String cache, List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples for " + m.label());
        }
        double iops = median(samples, Sample::iops);
        Spread iopsSpread = spread(samples, Sample::iops);
        List<Percentile> curve = new ArrayList<>();
        for (Percentile p : samples.get(0).curve()) {
            curve.add(new Percentile(p.percent(), (long) median(samples, s -> s.latencyNanos(p.percent()))));
        }
        int bs = m.spec().blockBytes();
        return new Row(m.workload().id(), m.spec().title(), m.engine().id(), m.engine().title(m.spec()), cache,
                bs, m.engine().depth(m.spec()), m.engine().threads(m.spec()), samples.size(),
                iops, iopsSpread.min(), iopsSpread.max(), iops * bs / 1e6,
                (long) median(samples, s -> s.latencyNanos(50)), (long) median(samples, s -> s.latencyNanos(99)),
                (long) median(samples, s -> s.latencyNanos(99.9)), median(samples, Sample::cpuSecondsPerMillion),
                Double.NaN, Double.NaN, curve, spread(samples, s -> s.latencyNanos(50)),
                spread(samples, s -> s.latencyNanos(99)), spread(samples, s -> s.latencyNanos(99.9)),
                spread(samples, Sample::cpuSecondsPerMillion), median(samples, Sample::machineCpuSecondsPerMillion),
                Double.NaN, spread(samples, Sample::machineCpuSecondsPerMillion));
    }

    /**
     * {@code rows} with their ratios to the FileChannel reference of the same workload, where the
     * run has it: FileChannel on as many platform threads as the workload has threads
     * ({@code filechannel} for one, {@code filechannel-threads} for any number).
     */
    public static List<Row> withRatios(List<Row> rows, java.util.Map<String, Integer> threadsByWorkload) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Row ref = reference(rows, r.workload(), threadsByWorkload.getOrDefault(r.workload(), 1));
            double iopsRatio = ref == null || ref.iops() == 0 ? Double.NaN : r.iops() / ref.iops();
            double cpuRatio = ref == null ? Double.NaN : r.cpuSecondsPerMillion() / ref.cpuSecondsPerMillion();
            double machineRatio = ref == null ? Double.NaN
                    : r.machineCpuSecondsPerMillion() / ref.machineCpuSecondsPerMillion();
            out.add(new Row(r.workload(), r.workloadTitle(), r.engine(), r.engineTitle(), r.cache(), r.blockBytes(),
                    r.depth(), r.threads(), r.repeats(), r.iops(), r.iopsMin(), r.iopsMax(), r.megabytesPerSecond(),
                    r.p50Nanos(), r.p99Nanos(), r.p999Nanos(), r.cpuSecondsPerMillion(), iopsRatio, cpuRatio,
                    r.curve(), r.p50Spread(), r.p99Spread(), r.p999Spread(), r.cpuSpread(),
                    r.machineCpuSecondsPerMillion(), machineRatio, r.machineCpuSpread()));
        }
        return out;
    }

    /** The reference row of {@code workload}, or null when the run has none. */
    public static Row reference(List<Row> rows, String workload, int threads) {
        return rows.stream().filter(x -> x.workload().equals(workload) && x.threads() == threads
                && (x.engine().equals("filechannel") || x.engine().equals("filechannel-threads")))
                .findFirst().orElse(null);
    }

    private static Spread spread(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return new Spread(samples.stream().mapToDouble(f).min().orElseThrow(), samples.stream().mapToDouble(f).max().orElseThrow());
    }

    /**
     * The median of {@code f} over {@code samples}: the middle one, or the mean of the middle two;
     * NaN when any of them is NaN (not measured in that window).
     */
    static double median(List<Sample> samples, ToDoubleFunction<Sample> f) {
        double[] values = samples.stream().mapToDouble(f).sorted().toArray();
        if (Double.isNaN(values[values.length - 1])) {
            return Double.NaN;
        }
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
