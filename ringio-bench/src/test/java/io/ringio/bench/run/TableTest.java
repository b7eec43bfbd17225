package io.ringio.bench.run;

import io.ringio.bench.report.BenchReport;
import io.ringio.bench.report.Machine;
import io.ringio.bench.report.Row;
import io.ringio.bench.report.Spread;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {
    private static Row row(String engineTitle) {
        return new Row("randread-qd1", "4 KiB random reads", "e", engineTitle, "direct", 4096, 1, 1, 3, 15_000,
                14_000, 16_000, 61.4, 60_000, 90_000, 200_000, 30.5, 1.0, 1.0, List.of(), Spread.of(60_000),
                Spread.of(90_000), Spread.of(200_000), Spread.of(30.5), 36.0, 1.0, Spread.of(36.0));
    }

    @Test
    void anEngineTitleLongerThanTheColumnWidensItForEveryRow() {
        String longTitle = "ringio blocking, 1 virtual thread, polling 200 µs";
        BenchReport report = new BenchReport(new Machine("cpu", 2, 1L << 30, "6.18", "25", "vda", "ext4"), "ringio bench",
                "2026-11-22T00:00:00Z", 1L << 30, List.of(row("FileChannel, 1 thread"), row(longTitle)), List.of(), true);
        StringWriter out = new StringWriter();
        Table.print(report, new PrintWriter(out));

        List<String> lines = out.toString().lines().filter(l -> l.startsWith("  ")).toList();
        assertThat(lines).hasSize(3);
        int cacheColumn = lines.get(0).indexOf("cache");
        assertThat(cacheColumn).isGreaterThan(2 + longTitle.length());
        for (String line : lines.subList(1, 3)) {
            assertThat(line.indexOf("direct")).as(line).isEqualTo(cacheColumn);
        }
    }
}
