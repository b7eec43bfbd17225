package io.ringio.bench.run;

import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.Engines;
import io.ringio.bench.engine.Sample;
import io.ringio.bench.engine.Workload;
import io.ringio.bench.report.Percentile;
import io.ringio.bench.report.Row;
import io.ringio.bench.report.Spread;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SummaryTest {
    private static Measurement measurement(String engine, int threads) {
        BenchSpec spec = new BenchSpec("randread-qd32", "/f", 1 << 20, 4096, threads, threads, true, 0, 1_000_000, 3);
        return new Measurement(Workload.RANDREAD_QD32, Engines.of(engine), spec);
    }

    private static Sample sample(long ops, double cpuSeconds, long p50, long p99) {
        return sample(ops, cpuSeconds, cpuSeconds * 2, p50, p99);
    }

    private static Sample sample(long ops, double cpuSeconds, double machineCpuSeconds, long p50, long p99) {
        return new Sample(ops, 1.0, cpuSeconds, machineCpuSeconds, List.of(new Percentile(50, p50), new Percentile(99, p99),
                new Percentile(99.9, p99 * 2)));
    }

    @Test
    void eachFigureIsTheMedianOfTheRepeatsAndTheSpreadIsMinToMax() {
        Row row = Summary.row(measurement("ringio-futures", 32), "direct",
                List.of(sample(300, 3, 90, 900), sample(100, 2, 10, 100), sample(200, 1, 50, 500)));

        assertThat(row.iops()).isEqualTo(200);
        assertThat(row.iopsMin()).isEqualTo(100);
        assertThat(row.iopsMax()).isEqualTo(300);
        assertThat(row.p50Nanos()).isEqualTo(50);
        assertThat(row.p99Nanos()).isEqualTo(500);
        assertThat(row.p999Nanos()).isEqualTo(1000);
        // CPU per million: 10000, 20000, 5000 -> median 10000
        assertThat(row.cpuSecondsPerMillion()).isCloseTo(10_000, within(1e-6));
        assertThat(row.megabytesPerSecond()).isCloseTo(200 * 4096 / 1e6, within(1e-9));
        assertThat(row.curve()).extracting(Percentile::nanos).containsExactly(50L, 500L, 1000L);
        assertThat(row.iopsVsFileChannel()).isNaN();
        assertThat(row.p50Spread()).isEqualTo(new Spread(10, 90));
        assertThat(row.p99Spread()).isEqualTo(new Spread(100, 900));
        assertThat(row.cpuSpread()).isEqualTo(new Spread(5_000, 20_000));
        assertThat(row.machineCpuSecondsPerMillion()).isCloseTo(20_000, within(1e-6));
        assertThat(row.machineCpuSpread()).isEqualTo(new Spread(10_000, 40_000));
    }

    @Test
    void machineCpuNotMeasuredInAnyRepeatIsNotMeasuredForTheRow() {
        Row fio = Summary.row(measurement("fio", 32), "direct",
                List.of(sample(100, 1, Double.NaN, 10, 20), sample(300, 1, Double.NaN, 30, 40)));
        Row oneMissing = Summary.row(measurement("ringio-futures", 32), "direct",
                List.of(sample(100, 1, 1, 10, 20), sample(200, 1, 9, 10, 20), sample(300, 1, Double.NaN, 30, 40)));

        assertThat(fio.machineCpuSecondsPerMillion()).isNaN();
        assertThat(oneMissing.machineCpuSecondsPerMillion()).as("not the median of the two measured").isNaN();
        assertThat(fio.cpuSecondsPerMillion()).isCloseTo(6_666.67, within(0.01));
    }

    @Test
    void anEvenNumberOfRepeatsTakesTheMeanOfTheMiddleTwo() {
        Row row = Summary.row(measurement("fio", 32), "direct", List.of(sample(100, 1, 10, 20), sample(300, 1, 30, 40)));

        assertThat(row.iops()).isEqualTo(200);
        assertThat(row.p50Nanos()).isEqualTo(20);
    }

    @Test
    void ratiosAreToFileChannelOnAsManyThreadsOfTheSameWorkload() {
        Row ringio = Summary.row(measurement("ringio-futures", 32), "direct", List.of(sample(300, 1.5, 1, 2)));
        Row single = Summary.row(measurement("filechannel", 32), "direct", List.of(sample(50, 1, 1, 2)));
        Row threads = Summary.row(measurement("filechannel-threads", 32), "direct", List.of(sample(200, 2, 1, 2)));

        List<Row> rows = Summary.withRatios(List.of(ringio, single, threads), Map.of("randread-qd32", 32));

        assertThat(rows.get(0).iopsVsFileChannel()).isCloseTo(1.5, within(1e-9));
        assertThat(rows.get(0).cpuVsFileChannel()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(0).machineCpuVsFileChannel()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(2).iopsVsFileChannel()).isEqualTo(1.0);

        List<Row> oneThread = Summary.withRatios(List.of(ringio, single), Map.of("randread-qd32", 1));
        assertThat(oneThread.get(0).iopsVsFileChannel()).isCloseTo(6.0, within(1e-9));

        Row onePlatform = Summary.row(measurement("filechannel-threads", 1), "direct", List.of(sample(100, 1, 1, 2)));
        List<Row> sameThing = Summary.withRatios(List.of(ringio, onePlatform), Map.of("randread-qd32", 1));
        assertThat(sameThing.get(0).iopsVsFileChannel()).as("FileChannel on one platform thread, by either name")
                .isCloseTo(3.0, within(1e-9));

        List<Row> none = Summary.withRatios(List.of(ringio, single), Map.of("randread-qd32", 32));
        assertThat(none.get(0).iopsVsFileChannel()).as("FileChannel on 1 thread is no reference for 32").isNaN();
        assertThat(none.get(0).machineCpuVsFileChannel()).isNaN();
    }
}
