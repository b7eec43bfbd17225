package io.ringio.bench.cli;

import io.ringio.ring.Ring;
import io.ringio.ring.RingOptions;
import io.ringio.sys.IoUring;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeCommandTest {

    @Test
    void probeSucceedsOnThisMachineAndNamesFeaturesAndFileOpcodes() {
        CliRun run = CliRun.of("probe");

        assertThat(run.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> expectedFeatures;
        try (Ring ring = Ring.open(RingOptions.entries(ProbeCommand.RING_ENTRIES))) {
            expectedFeatures = IoUring.featureNames(ring.features());
        }
        assertThat(run.valueWords("features")).isNotEmpty().containsExactlyElementsOf(expectedFeatures);
        assertThat(run.valueWords("opcodes")).contains("NOP", "READ", "WRITE", "FSYNC");
        assertThat(run.valueWords("io_uring")).startsWith("usable");
        assertThat(String.join(" ", run.valueWords("backend"))).startsWith("uring: io_uring is usable")
                .contains("RINGIO_BACKEND");
    }

    @Test
    void probeReportsEveryCheckAsAlignedKeyValueLines() {
        CliRun run = CliRun.of("probe");

        for (String key : List.of("kernel", "jdk", "native access", "backend", "io_uring", "features", "opcodes", "sqpoll",
                "memlock limit", "registered buffers")) {
            assertThat(run.valueWords(key)).as("value of %s in%n%s", key, run.out()).isNotEmpty();
        }
        assertThat(run.valueWords("native access")).startsWith("enabled");
        assertThat(run.valueWords("kernel")).contains(System.getProperty("os.version"));
        assertThat(run.out().lines()).allSatisfy(line -> {
            assertThat(line.length()).as("width of %s", line).isLessThanOrEqualTo(KeyValueWriter.LINE_WIDTH_MAX);
            assertThat(line).doesNotContain("\u001b"); // no colours
            if (!line.startsWith(" ")) {
                assertThat(line.indexOf(':')).as("key of %s", line).isLessThan(KeyValueWriter.KEY_WIDTH);
                assertThat(line.charAt(KeyValueWriter.KEY_WIDTH)).as("value column of %s", line).isNotEqualTo(' ');
            }
        });
    }

    @Test
    void probeHelpDescribesTheExitStatus() {
        CliRun run = CliRun.of("probe", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: ringio probe").contains("Exit status 0 when io_uring is usable");
    }
}
