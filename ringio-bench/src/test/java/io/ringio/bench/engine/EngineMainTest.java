package io.ringio.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's conversation over stdin and stdout, with a real worker JVM and FileChannel on a small file. */
class EngineMainTest {
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private Process worker;

    @AfterEach
    void killTheWorker() {
        if (worker != null) {
            worker.destroyForcibly();
        }
    }

    private BufferedReader start(int repeats) throws IOException {
        Path file = dir.resolve("data");
        Files.write(file, new byte[1 << 20]);
        BenchSpec spec = new BenchSpec("randread-hot", file.toString(), 1 << 20, 4096, 1, 1, false,
                TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(50), repeats);
        worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EngineMain.class.getName(), "filechannel", new ObjectMapper().writeValueAsString(spec))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void warmsUpThenRunsEachWindowItIsAskedForAndEndsOnEnd() throws Exception {
        BufferedReader out = start(2);
        Writer in = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8);

        assertThat(List.of(out.readLine(), out.readLine())).containsExactly("progress warm-up", "ready");
        in.write("window 2\n");
        in.flush();
        String line = out.readLine();
        assertThat(line).startsWith(EngineMain.SAMPLE);
        Sample sample = new ObjectMapper().readValue(line.substring(EngineMain.SAMPLE.length()), Sample.class);
        assertThat(sample.ops()).isPositive();
        in.write("window 1\nend\n");
        in.flush();

        assertThat(out.readLine()).startsWith(EngineMain.SAMPLE);
        assertThat(worker.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).isZero();
    }

    @Test
    void theEndOfStdinEndsAWaitingWorker() throws Exception {
        BufferedReader out = start(1);
        assertThat(List.of(out.readLine(), out.readLine())).containsExactly("progress warm-up", "ready");

        worker.getOutputStream().close();

        assertThat(worker.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("gone with its bench").isTrue();
        assertThat(worker.exitValue()).isZero();
    }

    @Test
    void aWindowBeyondTheRepeatsIsAUsageError() throws Exception {
        BufferedReader out = start(1);
        assertThat(List.of(out.readLine(), out.readLine())).containsExactly("progress warm-up", "ready");
        Writer in = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8);

        in.write("window 2\n");
        in.flush();

        assertThat(worker.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).isEqualTo(2);
    }
}
