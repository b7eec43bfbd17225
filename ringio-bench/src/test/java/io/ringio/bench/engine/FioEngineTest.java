package io.ringio.bench.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FioEngineTest {
    @TempDir
    Path dir;

    private BenchSpec spec(Workload w, Path file, boolean direct) {
        return new BenchSpec(w.id(), file.toString(), 4 << 20, w.defaultBlockBytes(), w.defaultDepth(), 1, direct,
                0, 200_000_000L, 1);
    }

    @Test
    void theCommandSaysWhatTheWorkloadDoes() {
        List<String> random = FioEngine.command(spec(Workload.RANDREAD_QD32, Path.of("/f:x"), true), 1, 2_500_000_000L);
        assertThat(random).contains("--rw=randread", "--bs=4096", "--iodepth=32", "--direct=1", "--ioengine=io_uring",
                "--runtime=2500ms", "--filename=/f\\:x", "--randseed=2", "--lat_percentiles=1").doesNotContain("--fdatasync=1");

        List<String> sync = FioEngine.command(spec(Workload.RANDWRITE_SYNC, Path.of("/f"), false), 0, 1_000_000_000L);
        assertThat(sync).contains("--rw=randwrite", "--fdatasync=1", "--direct=0", "--randseed=1");

        assertThat(FioEngine.command(spec(Workload.SEQWRITE, Path.of("/f"), true), 0, 1)).contains("--rw=write", "--bs=131072");
        assertThat(FioEngine.command(spec(Workload.SEQREAD, Path.of("/f"), true), 0, 1)).contains("--rw=read");
    }

    @Test
    void outputWithoutTheSideAskedForIsAnError() {
        byte[] json = "{\"jobs\":[{\"read\":{\"total_ios\":5,\"runtime\":1000}}]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FioEngine.parse(json, "write")).isInstanceOf(IOException.class).hasMessageContaining("write");
    }

    @Test
    void aRealFioRunIsMeasured() throws Exception {
        assumeTrue(FioEngine.available(), "fio is not on the PATH");
        Path file = dir.resolve("data");
        Files.write(file, new byte[4 << 20]);
        for (Workload w : List.of(Workload.RANDREAD_QD1, Workload.RANDWRITE_SYNC)) {
            Sample s = new FioEngine().run(spec(w, file, false), 1, 200_000_000L);

            assertThat(s.ops()).as(w.id()).isPositive();
            assertThat(s.seconds()).isBetween(0.1, 1.0);
            assertThat(s.curve()).extracting(p -> p.percent()).containsExactly(
                    java.util.Arrays.stream(Measured.PERCENTS).boxed().toArray(Double[]::new));
            assertThat(s.latencyNanos(50)).isPositive().isLessThanOrEqualTo(s.latencyNanos(99.9));
        }
    }
}
