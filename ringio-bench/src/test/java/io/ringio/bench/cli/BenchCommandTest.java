package io.ringio.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {
    @TempDir
    Path dir;

    /** Arguments of a run that is short but real: an 8 MiB file, 100 ms windows. */
    private List<String> quick(String... more) {
        List<String> args = new ArrayList<>(List.of("bench", "--dir", dir.toString(), "--size", "8m", "--duration",
                "100ms", "--warmup", "0", "--repeat", "2"));
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bs 0", "--bs 1000", "--bs -4k", "--bs lots", "--qd -1", "--qd 0", "--qd 100000",
        "--threads 0", "--size 1k --workload seqread", "--duration 0", "--duration 5 years", "--warmup -1s",
        "--repeat 0", "--workload nope", "--engine nope", "--engine filechannel,nope", "--direct maybe",
        "--dir /no/such/dir", "--html /no/such/dir/report.html", "--full --engine fio",
        "--bs 512", "--duration 10ms", "--bs 64m --qd 1024"})
    void nonsenseIsAUsageErrorBeforeAnythingRuns(String bad) throws IOException {
        List<String> args = new ArrayList<>(List.of("bench"));
        if (!bad.startsWith("--dir")) {
            args.addAll(List.of("--dir", dir.toString()));
        }
        args.addAll(List.of(bad.split(" ")));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as("exit status of %s; err: %s", bad, run.err()).isEqualTo(2);
        assertThat(run.errLines()).as("stderr of %s", bad).singleElement().asString()
                .startsWith("ringio bench:").contains("ringio bench --help");
        assertThat(run.out()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("nothing written for %s", bad).isEmpty();
        }
    }

    @Test
    void helpNamesEveryWorkloadAndEngine() {
        CliRun run = CliRun.of("bench", "--help");

        assertThat(run.exitCode()).isZero();
        // The help text is a constant; every engine and workload there is must be in it.
        for (io.ringio.bench.engine.Workload w : io.ringio.bench.engine.Workload.values()) {
            assertThat(run.out()).containsPattern("(?m)(^|[ :])" + w.id() + "[,.]");
        }
        for (io.ringio.bench.engine.Engine e : io.ringio.bench.engine.Engines.all()) {
            assertThat(run.out()).containsPattern("(?m)(^|[ :])" + e.id() + "[,.]");
        }
        assertThat(run.out()).contains("--json", "--html", "--full");
    }

    @Test
    void aRunPrintsOneRowPerEngineAndWorkloadAndRemovesItsFile() throws IOException {
        CliRun run = CliRun.of(quick("--workload", "randread-qd1,randwrite-sync", "--engine",
                "ringio-futures,filechannel").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("randread-qd1: 4 KiB random reads, O_DIRECT, 1 in flight",
                "randwrite-sync: 4 KiB random writes, each followed by fdatasync, buffered, 1 in flight", "machine:", "command: ringio bench");
        List<String> rows = run.out().lines().filter(l -> l.startsWith("  ringio futures") || l.startsWith("  FileChannel"))
                .toList();
        assertThat(rows).hasSize(4);
        // In the order asked for, although round 2 ran FileChannel's window first.
        assertThat(rows).map(l -> l.substring(0, 10)).containsExactly("  ringio f", "  FileChan", "  ringio f", "  FileChan");
        // xFC IOPS, xFC CPU, mCPU s/M, xFC mCPU
        assertThat(rows).filteredOn(l -> l.startsWith("  FileChannel"))
                .allSatisfy(l -> assertThat(l).matches(".* 1\\.00 +1\\.00 +\\d+\\.\\d\\d +1\\.00"));
        assertThat(rows.subList(0, 2)).as("O_DIRECT reads").allSatisfy(l -> assertThat(l).contains(" direct "));
        assertThat(rows.subList(2, 4)).as("buffered writes after the cache was dropped")
                .allSatisfy(l -> assertThat(l).contains(" cold "));
        assertThat(run.err()).contains("[1/4] randread-qd1 \u00b7 ringio-futures:", "[4/4] randwrite-sync \u00b7 filechannel:");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the test file is removed").isEmpty();
        }
    }

    @Test
    void jsonHasEveryFigureAndNullForAMissingReference() throws IOException {
        CliRun run = CliRun.of(quick("--workload", "randread-qd32", "--qd", "4", "--engine",
                "ringio-futures,filechannel-virtual", "--json").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("complete").asBoolean()).isTrue();
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("rows")).hasSize(2);
        JsonNode futures = report.path("rows").path(0);
        assertThat(futures.path("engine").asText()).isEqualTo("ringio-futures");
        assertThat(futures.path("depth").asInt()).isEqualTo(4);
        assertThat(futures.path("repeats").asInt()).isEqualTo(2);
        assertThat(futures.path("iops").asDouble()).isPositive().isBetween(futures.path("iopsMin").asDouble(),
                futures.path("iopsMax").asDouble());
        assertThat(futures.path("p50Nanos").asLong()).isPositive().isLessThanOrEqualTo(futures.path("p99Nanos").asLong());
        assertThat(futures.path("cpuSecondsPerMillion").asDouble()).isPositive().isBetween(
                futures.path("cpuSpread").path("min").asDouble(), futures.path("cpuSpread").path("max").asDouble());
        assertThat(futures.path("machineCpuSecondsPerMillion").asDouble()).as("measured on Linux").isPositive().isBetween(
                futures.path("machineCpuSpread").path("min").asDouble(), futures.path("machineCpuSpread").path("max").asDouble());
        assertThat(futures.path("p99Nanos").asDouble()).isBetween(futures.path("p99Spread").path("min").asDouble(),
                futures.path("p99Spread").path("max").asDouble());
        assertThat(futures.path("curve")).hasSizeGreaterThan(5);
        assertThat(futures.path("iopsVsFileChannel").isNull()).as("no filechannel-threads in the run").isTrue();
        assertThat(report.path("rows").path(1).path("threads").asInt()).isEqualTo(4);
    }

    @Test
    void htmlIsOnePageWithTheCharts() throws IOException {
        Path page = Files.createTempFile("ringio-bench-", ".html");
        try {
            CliRun run = CliRun.of(quick("--workload", "randread-qd1", "--engine", "ringio-futures,filechannel", "--html",
                    page.toString()).toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("wrote " + page);
            String html = Files.readString(page);
            assertThat(html).startsWith("<!DOCTYPE html>").contains("ringio futures, 1 in flight", "FileChannel, 1 thread");
            assertThat(html.split("<svg", -1)).as("IOPS, CPU, machine CPU and latency charts").hasSize(5);
        } finally {
            Files.deleteIfExists(page);
        }
    }
}
