package io.ringio.bench.run;

import io.ringio.bench.engine.EngineMain;
import io.ringio.bench.engine.Sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    /** What a worker may take beyond its warm-up and windows (JVM start, opening, closing) before it counts as hung. */
    private static final long SLACK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final Progress progress;
    private volatile Worker current;
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
     * Runs {@code m} to its end and returns its samples: starts its worker, waits for its
     * warm-up, then asks it for each window in turn. A worker that takes a minute longer than its
     * warm-up or a window is killed, and the measurement fails.
     */
    public List<Sample> run(Measurement m) throws Failed, InterruptedException {
        Worker worker = Worker.start(command(m));
        current = worker;
        try {
            if (stopped) {
                worker.kill();
            }
            worker.awaitReady(m.spec().warmupNanos() + SLACK_NANOS, progress::status);
            List<Sample> samples = new ArrayList<>();
            for (int i = 1; i <= m.spec().repeats(); i++) {
                progress.status("run " + i + "/" + m.spec().repeats());
                samples.add(worker.window(i, m.spec().durationNanos() + SLACK_NANOS));
            }
            worker.end();
            if (worker.awaitExit() != 0) {
                throw new Failed("failed: the worker did not exit cleanly after its last window");
            }
            return samples;
        } catch (Failed e) {
            throw stopped ? new Failed("stopped") : e;
        } finally {
            worker.kill();
            worker.awaitExit();
            current = null;
        }
    }

    /** Stops the measurement running now, and any later one before it starts. Any thread. */
    public void stop() {
        stopped = true;
        Worker w = current;
        if (w != null) {
            w.kill();
        }
    }

    private static List<String> command(Measurement m) {
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
        try {
            command.add(JSON.writeValueAsString(m.spec()));
        } catch (JsonProcessingException e) {
            throw new AssertionError("a BenchSpec is a record of strings and numbers: " + e, e);
        }
        return command;
    }
}
