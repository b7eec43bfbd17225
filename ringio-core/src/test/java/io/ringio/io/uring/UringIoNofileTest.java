package io.ringio.io.uring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The registered-file table under an open-files limit below {@link UringIo#FILE_TABLE}: the
 * kernel refuses a table larger than RLIMIT_NOFILE, so the table shrinks to the limit instead of
 * going away. Run in a child JVM under {@code prlimit}, since the JVM raises its own soft limit to
 * the hard one at start.
 */
class UringIoNofileTest {
    @TempDir
    Path dir;

    @Test
    void underALowOpenFilesLimitTheTableShrinksToItAndFilesStillGoIn() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        assumeThat(Files.isExecutable(prlimit)).as("needs prlimit from util-linux").isTrue();
        Path file = Files.writeString(dir.resolve("f"), "x");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(prlimit.toString(), "--nofile=512:512", java, "--enable-native-access=ALL-UNNAMED",
                "-ea", "-cp", System.getProperty("java.class.path"), NofileLimitedTable.class.getName(), file.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("limit=512", "size=512", "table=true", "open=true", "registered=1");
    }

    @Test
    void withoutALowLimitTheTableIsFull() {
        assumeThat(io.ringio.sys.Syscalls.softLimit(io.ringio.sys.Syscalls.RLIMIT_NOFILE))
                .as("this JVM's open-files limit").isGreaterThanOrEqualTo(UringIo.FILE_TABLE);
        assertThat(UringIo.fileTableSize()).isEqualTo(UringIo.FILE_TABLE);
    }
}
