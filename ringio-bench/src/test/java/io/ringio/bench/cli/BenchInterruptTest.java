package io.ringio.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl-C on a running {@code ringio bench}: a real SIGINT to a real process, and its workers gone with it. */
class BenchInterruptTest {
    @TempDir
    Path dir;

    @Test
    void sigintPrintsWhatFinishedAndRemovesTheFile() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RingioCli.class.getName(), "bench", "--dir", dir.toString(), "--size", "8m", "--duration", "400ms",
                "--warmup", "0", "--repeat", "2", "--workload", "randread-qd1,randread-qd32", "--engine",
                "filechannel,filechannel-virtual");
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<Void> firstDone = new CompletableFuture<>();
        StringBuilder err = new StringBuilder();
        Thread errReader = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    err.append(line).append('\n');
                    if (line.startsWith("[1/4]") && line.contains("IOPS")) {
                        firstDone.complete(null);
                    }
                }
            } catch (IOException e) {
                firstDone.completeExceptionally(e);
            }
            firstDone.complete(null);
        });
        firstDone.get(60, TimeUnit.SECONDS);
        assertThat(process.isAlive()).as("still measuring; stderr: %s", err).isTrue();
        List<ProcessHandle> workers = process.descendants().toList();
        assertThat(workers).as("the workers of the workload running").isNotEmpty();

        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        errReader.join();
        assertThat(process.exitValue()).as("killed by SIGINT; stderr: %s", err).isEqualTo(130);
        String table = out.get(10, TimeUnit.SECONDS);
        assertThat(table).contains("randread-qd1:", "FileChannel, 1 thread", "the run was stopped");
        long rows = table.lines().filter(l -> l.startsWith("  FileChannel,")).count();
        assertThat(rows).isBetween(1L, 3L);
        for (ProcessHandle worker : workers) {
            assertThat(worker.onExit()).as("worker %d outlives the bench", worker.pid())
                    .succeedsWithin(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the test file is removed").isEmpty();
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
