package io.ringio.bench.run;

import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.EngineMain;
import io.ringio.bench.engine.Engines;
import io.ringio.bench.engine.Sample;
import io.ringio.bench.engine.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rounds of a workload with real workers: FileChannel engines on small files in JVMs of their
 * own, with short windows, and a listener that writes down what the runner did in order.
 */
class RunnerTest {
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    @TempDir
    Path dir;

    private final Progress quiet = new Progress(new PrintWriter(Writer.nullWriter()), false);

    /** {@code engine} reading a 1 MiB file of its own through the page cache, {@code repeats} windows of {@code nanos}. */
    private Measurement measurement(String engine, int repeats, long nanos) throws IOException {
        Path file = dir.resolve(engine + ".dat");
        Files.write(file, new byte[1 << 20]);
        BenchSpec spec = new BenchSpec("randread-hot", file.toString(), 1 << 20, 4096, 1, 1, false, 0, nanos, repeats);
        return new Measurement(Workload.RANDREAD_HOT, Engines.of(engine), spec);
    }

    /** Writes down "before ENGINE WINDOW", "finished ENGINE SAMPLES" and "failed ENGINE NOTE", in order. */
    private static class Events implements Runner.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void beforeWindow(Measurement m, int window) throws Runner.Failed {
            events.add("before " + m.engine().id() + " " + window);
        }

        @Override
        public void finished(Measurement m, List<Sample> samples) {
            assertThat(samples).allSatisfy(s -> assertThat(s.ops()).isPositive());
            events.add("finished " + m.engine().id() + " " + samples.size());
        }

        @Override
        public void failed(Measurement m, String note) {
            events.add("failed " + m.engine().id() + " " + note);
        }
    }

    /** The test JVM's descendants that are bench workers. */
    private static List<ProcessHandle> workers() {
        return ProcessHandle.current().descendants().filter(p -> p.info().arguments().stream().flatMap(java.util.Arrays::stream)
                .anyMatch(a -> a.equals(EngineMain.class.getName()))).toList();
    }

    @Test
    void theWindowsOfAWorkloadRunRoundByRoundAfterEveryWarmUp() throws Exception {
        Events listener = new Events();
        StringWriter terminal = new StringWriter();
        Progress progress = new Progress(new PrintWriter(terminal), true);
        progress.begin("[1-2/2] randread-hot");

        new Runner(progress).run(List.of(measurement("filechannel", 3, WINDOW_NANOS),
                measurement("filechannel-virtual", 3, WINDOW_NANOS)), listener);

        // Each round starts one engine further on.
        assertThat(listener.events).containsExactly("before filechannel 0", "before filechannel-virtual 0",
                "before filechannel 1", "before filechannel-virtual 1",
                "before filechannel-virtual 2", "before filechannel 2",
                "before filechannel 3", "finished filechannel 3", "before filechannel-virtual 3",
                "finished filechannel-virtual 3");
        assertThat(workers()).as("every worker has exited").isEmpty();
        assertThat(terminal.toString()).as("the live line").contains(
                "[1-2/2] randread-hot: starting \u00b7 filechannel-virtual",
                "[1-2/2] randread-hot: round 2/3 \u00b7 filechannel-virtual");
    }

    @Test
    void rotatedStartsAtTheGivenItemAndWraps() {
        assertThat(Runner.rotated(List.of("a", "b", "c"), 0)).containsExactly("a", "b", "c");
        assertThat(Runner.rotated(List.of("a", "b", "c"), 1)).containsExactly("b", "c", "a");
        assertThat(Runner.rotated(List.of("a", "b", "c"), 5)).containsExactly("c", "a", "b");
        assertThat(Runner.rotated(List.of(), 2)).isEmpty();
    }

    @Test
    void theRoundsStartsSpreadOverTheEngines() {
        assertThat(Runner.step(2, 3)).isEqualTo(1);
        assertThat(Runner.step(3, 3)).isEqualTo(1);
        assertThat(Runner.step(8, 3)).as("starts at 0, 3, 6").isEqualTo(3);
        assertThat(Runner.step(5, 1)).isEqualTo(5);
    }

    @Test
    void aWorkerThatFailsInRoundTwoFailsOnlyItsMeasurement() throws Exception {
        Measurement failing = measurement("filechannel", 3, WINDOW_NANOS);
        Events listener = new Events() {
            @Override
            public void beforeWindow(Measurement m, int window) throws Runner.Failed {
                super.beforeWindow(m, window);
                if (m == failing && window == 2) {
                    try {
                        Files.delete(m.spec().path());
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        };

        new Runner(quiet).run(List.of(failing, measurement("filechannel-virtual", 3, WINDOW_NANOS)), listener);

        assertThat(listener.events).hasSize(9);
        // Round 2 starts with the second engine.
        assertThat(listener.events.subList(4, 6)).containsExactly("before filechannel-virtual 2", "before filechannel 2");
        assertThat(listener.events.get(6)).startsWith("failed filechannel failed: java.nio.file.NoSuchFileException");
        assertThat(listener.events).doesNotContain("before filechannel 3").endsWith(
                "before filechannel-virtual 3", "finished filechannel-virtual 3");
        assertThat(workers()).as("every worker has exited").isEmpty();
    }

    @Test
    void aWindowThatHangsIsKilledAndFailsOnlyItsMeasurement() throws Exception {
        long slackNanos = TimeUnit.SECONDS.toNanos(3);
        Measurement hanging = measurement("filechannel", 2, WINDOW_NANOS);
        Events listener = new Events() {
            @Override
            public void beforeWindow(Measurement m, int window) throws Runner.Failed {
                super.beforeWindow(m, window);
                if (m == hanging && window == 2) {
                    // Opening a FIFO to read blocks until a writer opens it too (fifo(7)); none will.
                    try {
                        Files.delete(m.spec().path());
                        assertThat(new ProcessBuilder("mkfifo", m.spec().file()).start().waitFor()).isZero();
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        };

        new Runner(quiet, slackNanos).run(List.of(hanging, measurement("filechannel-virtual", 2, WINDOW_NANOS)),
                listener);

        assertThat(listener.events).containsExactly("before filechannel 0", "before filechannel-virtual 0",
                "before filechannel 1", "before filechannel-virtual 1",
                "before filechannel-virtual 2", "finished filechannel-virtual 2", "before filechannel 2",
                "failed filechannel failed: the worker did not finish window 2 within 3 s and was killed");
        assertThat(workers()).as("every worker has exited").isEmpty();
    }

    @Test
    void stopKillsEveryWorkerAndReportsNothingMore() throws Exception {
        Runner runner = new Runner(quiet);
        List<Integer> workersWhenStopped = new ArrayList<>();
        AtomicLong stoppedAt = new AtomicLong();
        Events listener = new Events() {
            @Override
            public void beforeWindow(Measurement m, int window) throws Runner.Failed {
                super.beforeWindow(m, window);
                if (window == 1 && workersWhenStopped.isEmpty()) {
                    workersWhenStopped.add(workers().size());
                    // Stops the run early in this window, which would take ten seconds.
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        stoppedAt.set(System.nanoTime());
                        runner.stop();
                    });
                }
            }
        };
        long nanos = TimeUnit.SECONDS.toNanos(10);

        runner.run(List.of(measurement("filechannel", 2, nanos), measurement("filechannel-virtual", 2, nanos)),
                listener);

        long returnedAt = System.nanoTime();
        assertThat(workersWhenStopped).as("both workers were up").containsExactly(2);
        assertThat(returnedAt - stoppedAt.get()).as("the window was cut short").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(workers()).as("every worker has exited").isEmpty();
        assertThat(listener.events).as("nothing after the stop").endsWith("before filechannel 1");
    }
}
