package io.ringio.bench.run;

import io.ringio.bench.engine.EngineMain;
import io.ringio.bench.engine.Sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the measurements of a workload, each in a JVM of its own ({@link EngineMain}), so that
 * one engine's code does not shape the JIT's profile of another: the same JDK, class path and
 * {@code ringio.*} system properties as this JVM. fio runs from such a JVM too, which keeps one
 * way to stop everything.
 *
 * <p>The windows of a workload's engines are interleaved, round by round: round 1 is window 1 of
 * every engine in turn, round 2 window 2, and so on. The disk's speed drifts over tens of
 * seconds (by up to 8% on the development VM), and the ratio between two engines is what the
 * bench is for: measured a round apart rather than a whole measurement apart, both engines'
 * windows see much the same drift. Each round starts further on in the list of engines (with
 * two engines, round 2 starts with the second; with 8 engines and 3 rounds, the rounds start
 * with the 1st, 4th and 7th), so that no engine always runs first or last: window k of every
 * engine reads the same blocks, and whatever favours a place in the round (a cache below the
 * disk that keeps what the engine before read, drift within the round) then falls on the engines
 * in turn. With fewer rounds than engines the places even out only roughly, and an engine that
 * failed leaves the list, which shifts the others' places. Each worker stays up from its warm-up to the end of the last round,
 * blocked on its stdin while the others measure, so a window costs no JVM start or warm-up.
 *
 * <p>Every worker is started and warmed up before round 1, one after the other, never two at
 * once. Warming each right before its first window would put a JVM start and a warm-up between
 * the first windows of two engines, stretching round 1 by seconds. Up front, the work a JVM goes
 * on doing after its warm-up (the JIT compiling what the warm-up made hot, the GC) falls in the
 * next worker's start and warm-up, which are not measured, instead of in another engine's
 * window; only the last worker's can reach into round 1. Workers end together after the last
 * round, so that no JVM's exit falls in another engine's last window.
 */
public final class Runner {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a worker may take beyond its warm-up or a window (JVM start, opening, closing) before it counts as hung. */
    private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Progress progress;
    private final long slackNanos;
    /** The workers alive now, for {@link #stop}; a workload's at most. */
    private final Set<Worker> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    public Runner(Progress progress) {
        this(progress, SLACK_NANOS);
    }

    /** A runner that counts a worker as hung {@code slackNanos} past its warm-up or window, for tests. */
    Runner(Progress progress, long slackNanos) {
        if (slackNanos <= 0) {
            throw new IllegalArgumentException("slackNanos=" + slackNanos + " must be > 0");
        }
        this.progress = progress;
        this.slackNanos = slackNanos;
    }

    /** A measurement that did not finish: its engine failed, or the page cache could not be set. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /** What the bench does around a workload's windows, on the thread that called {@link #run}. */
    public interface Listener {
        /**
         * Before window {@code window} of {@code m}, 0 being its warm-up: the bench sets the page
         * cache here, since another engine ran since. Throwing fails {@code m} alone.
         */
        void beforeWindow(Measurement m, int window) throws Failed;

        /** {@code m}'s last window is over: its samples, one per window, in order. */
        void finished(Measurement m, List<Sample> samples);

        /** {@code m} failed, for the reason {@code note} gives ("failed: ..."); never after {@link #stop}. */
        void failed(Measurement m, String note);
    }

    /**
     * Runs {@code workload}, measurements of one workload in the order the table shows them, in
     * rounds, and tells {@code listener} as each measurement finishes or fails. A failure (a
     * worker that exits, or takes a minute longer than its warm-up or a window and is killed)
     * fails its measurement alone; the others go on with their rounds. Returns when every
     * measurement has finished or failed, or early when the run was stopped; either way, every
     * worker it started has exited.
     */
    public void run(List<Measurement> workload, Listener listener) throws InterruptedException {
        if (workload.isEmpty() || workload.stream().map(Measurement::workload).distinct().count() != 1) {
            throw new IllegalArgumentException("workload=" + workload + " must be measurements of one workload");
        }
        Map<Measurement, Worker> workers = new LinkedHashMap<>();
        boolean ended = false;
        try {
            for (Measurement m : workload) {
                Worker w = warmUp(m, listener);
                if (w != null) {
                    workers.put(m, w);
                }
            }
            int rounds = workload.stream().mapToInt(m -> m.spec().repeats()).max().orElseThrow();
            Map<Measurement, List<Sample>> samples = new LinkedHashMap<>();
            for (int round = 1; round <= rounds && !stopped; round++) {
                List<Measurement> alive = List.copyOf(workers.keySet());
                for (Measurement m : rotated(alive, (round - 1) * step(alive.size(), rounds))) {
                    if (round > m.spec().repeats() || stopped) {
                        continue;
                    }
                    progress.status("round " + round + "/" + rounds + " \u00b7 " + m.engine().id());
                    try {
                        listener.beforeWindow(m, round);
                        samples.computeIfAbsent(m, k -> new ArrayList<>()).add(workers.get(m).window(round,
                                m.spec().durationNanos() + slackNanos));
                    } catch (Failed e) {
                        end(workers.remove(m), false);
                        if (!stopped) {
                            listener.failed(m, e.getMessage());
                        }
                        continue;
                    }
                    if (round == m.spec().repeats()) {
                        // Told now, so that a stop in a later window of this round keeps it; the
                        // worker ends with the others after the round.
                        listener.finished(m, samples.get(m));
                    }
                }
            }
            // Told all at once, so that they exit side by side.
            workers.values().forEach(Worker::end);
            ended = true;
        } finally {
            for (Worker w : workers.values()) {
                end(w, ended && !stopped);
            }
        }
    }

    /**
     * How far each round's start moves on: far enough that {@code rounds} rounds spread the
     * starts over all {@code engines} (with 8 engines and 3 rounds, starts at 0, 3 and 6), one
     * when there are at least as many rounds as engines.
     */
    static int step(int engines, int rounds) {
        return Math.max(1, (engines + rounds - 1) / rounds);
    }

    /** {@code list} starting at its item {@code by} (modulo its size) and wrapping around. */
    static <T> List<T> rotated(List<T> list, int by) {
        if (list.isEmpty()) {
            return list;
        }
        int from = Math.floorMod(by, list.size());
        List<T> out = new ArrayList<>(list.subList(from, list.size()));
        out.addAll(list.subList(0, from));
        return out;
    }

    /**
     * Starts {@code m}'s worker and waits for its warm-up; null when that failed, after telling
     * {@code listener}, or when the run was stopped.
     */
    private Worker warmUp(Measurement m, Listener listener) throws InterruptedException {
        if (stopped) {
            return null;
        }
        String engine = " \u00b7 " + m.engine().id();
        progress.status("starting" + engine);
        Worker w = null;
        try {
            listener.beforeWindow(m, 0);
            w = Worker.start(command(m));
            live.add(w);
            if (stopped) {
                // stop() may have looked at the live workers before this one was among them.
                w.kill();
            }
            w.awaitReady(m.spec().warmupNanos() + slackNanos, status -> progress.status(status + engine));
            return w;
        } catch (Failed e) {
            if (w != null) {
                end(w, false);
            }
            if (!stopped) {
                listener.failed(m, e.getMessage());
            }
            return null;
        }
    }

    /**
     * Waits for {@code w} to exit, after it was told to end when {@code asked}, else after
     * killing it; then it is no longer live.
     */
    private void end(Worker w, boolean asked) throws InterruptedException {
        try {
            if (!asked) {
                w.kill();
            }
            w.awaitExit();
        } finally {
            live.remove(w);
        }
    }

    /** Stops the run: kills every worker now, and any later one as it starts. Any thread. */
    public void stop() {
        stopped = true;
        for (Worker w : live) {
            w.kill();
        }
    }

    private static List<String> command(Measurement m) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // For ringio-blocking-loop: EventLoop.virtualThreadFactory() reaches the JDK's builder by reflection.
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
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
