package io.ringio.bench.run;

import io.ringio.bench.engine.EngineMain;
import io.ringio.bench.engine.Sample;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each measurement in a JVM of its own ({@link EngineMain}), so that one engine's code does
 * not shape the JIT's profile of the next: the same JDK, class path and {@code ringio.*} system
 * properties as this JVM. fio runs from such a JVM too, which keeps one way to stop everything.
 */
public final class Runner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_KEPT = 64 << 10;
    /** What a worker may take beyond its warm-up and windows (JVM start, opening, closing) before it counts as hung. */
    private static final long SLACK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final Progress progress;
    private volatile Process current;
    private volatile boolean stopped;

    public Runner(Progress progress) {
        this.progress = progress;
    }

    /** A measurement that did not finish: the engine failed, or the run was stopped. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code m} to its end and returns its samples. A worker that takes a minute longer than
     * its warm-up and windows is killed, and the measurement fails.
     */
    public List<Sample> run(Measurement m) throws Failed, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command(m)).start();
        } catch (IOException e) {
            throw new Failed("failed: could not start a JVM: " + e.getMessage());
        }
        current = process;
        if (stopped) {
            stop();
        }
        long limitNanos = m.spec().warmupNanos() + m.spec().repeats() * m.spec().durationNanos() + SLACK_NANOS;
        boolean[] hung = new boolean[1];
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(limitNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    hung[0] = true;
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        });
        StringBuilder errors = new StringBuilder();
        Thread drain = Thread.ofPlatform().daemon().name("ringio-bench-stderr").start(() -> keep(process, errors));
        List<Sample> samples = null;
        String malformed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(EngineMain.PROGRESS)) {
                    progress.status(line.substring(EngineMain.PROGRESS.length()));
                } else if (line.startsWith(EngineMain.SAMPLES)) {
                    try {
                        samples = List.of(JSON.readValue(line.substring(EngineMain.SAMPLES.length()), Sample[].class));
                    } catch (IOException e) {
                        malformed = e.getMessage();
                    }
                }
            }
        } catch (IOException e) {
            malformed = "reading the worker's output: " + e.getMessage();
        }
        int status = process.waitFor();
        watchdog.join();
        drain.join();
        current = null;
        if (stopped) {
            throw new Failed("stopped");
        }
        if (hung[0]) {
            throw new Failed("failed: the worker did not finish within " + limitNanos / 1_000_000_000 + " s and was killed");
        }
        if (malformed != null) {
            throw new Failed("failed: the worker's samples could not be read: " + malformed);
        }
        if (status != 0 || samples == null) {
            throw new Failed("failed: " + cause(errors.toString(), status));
        }
        return samples;
    }

    /** Stops the measurement running now, and any later one before it starts. Any thread. */
    public void stop() {
        stopped = true;
        Process p = current;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static List<String> command(Measurement m) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xms256m");
        command.add("-Xmx1g");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ringio.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EngineMain.class.getName());
        command.add(m.engine().id());
        command.add(JSON.writeValueAsString(m.spec()));
        return command;
    }

    private static void keep(Process process, StringBuilder errors) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (errors) {
                    if (errors.length() < STDERR_KEPT) {
                        errors.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is what there is
        }
    }

    /**
     * What went wrong, in one line: the exception and its deepest cause from the worker's stack
     * trace, or its last line of output, or its exit status.
     */
    static String cause(String stderr, int status) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String first = lines.stream().filter(l -> !l.startsWith("at ") && !l.startsWith("...")).findFirst().orElse(null);
        String deepest = null;
        for (String l : lines) {
            if (l.startsWith("Caused by: ")) {
                deepest = l.substring("Caused by: ".length());
            }
        }
        if (first == null) {
            return "the worker exited with status " + status + " and printed nothing";
        }
        return deepest == null || first.contains(deepest) ? first : first + " (caused by " + deepest + ")";
    }
}
