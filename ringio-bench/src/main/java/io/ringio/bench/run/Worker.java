package io.ringio.bench.run;

import io.ringio.bench.engine.EngineMain;
import io.ringio.bench.engine.Sample;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One measurement's worker process ({@link EngineMain}), driven a line at a time over its stdin
 * and stdout: started and warmed up once, then asked for one window at a time. Every wait has a
 * limit; a worker that passes it counts as hung and is killed, with anything it started (fio).
 * The first 64 KiB of its stderr are kept to say why it failed.
 *
 * <p>Once a call has failed the worker is gone: the caller kills it, if it is not dead already,
 * and asks it for nothing more. {@link #kill} may come from any thread; the rest from one.
 */
final class Worker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_KEPT = 64 << 10;
    /**
     * Lines of the conversation read ahead of the bench. The bench waits for the answer to each
     * command before it sends the next, and an answer is at most two lines, so more than this
     * is a worker that talks unasked.
     */
    private static final int LINES_AHEAD_MAX = 64;
    /** How long a worker that was told to end, or was killed, may take to be gone. */
    private static final long EXIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Stands for the end of the worker's stdout in {@link #lines}; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END_OF_OUTPUT = new String("end of output");

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(LINES_AHEAD_MAX);
    private final StringBuilder errors = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;

    private Worker(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outReader = Thread.ofPlatform().daemon().name("ringio-bench-worker-out").start(this::readOutput);
        this.errReader = Thread.ofPlatform().daemon().name("ringio-bench-worker-err").start(this::keepErrors);
    }

    /** Starts {@code command}, an {@link EngineMain} command line; fails when no process could be started. */
    static Worker start(List<String> command) throws Runner.Failed {
        try {
            return new Worker(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new Runner.Failed("failed: could not start a JVM: " + e.getMessage());
        }
    }

    /**
     * Waits for the worker's warm-up to end, at most {@code limitNanos} from now, passing its
     * progress lines ("warm-up") to {@code status}.
     */
    void awaitReady(long limitNanos, Consumer<String> status) throws Runner.Failed, InterruptedException {
        await(EngineMain.READY, "its warm-up", limitNanos, status);
    }

    /** Runs window {@code window} and returns its sample; a window that takes longer than {@code limitNanos} is hung. */
    Sample window(int window, long limitNanos) throws Runner.Failed, InterruptedException {
        if (!send(EngineMain.WINDOW + window)) {
            throw gone();
        }
        String json = await(EngineMain.SAMPLE, "window " + window, limitNanos, s -> {});
        try {
            return JSON.readValue(json, Sample.class);
        } catch (IOException e) {
            throw new Runner.Failed("failed: the worker's sample of window " + window + " could not be read: "
                    + e.getMessage());
        }
    }

    /** Tells the worker to end, without waiting; {@link #awaitExit} waits. A worker already gone is no failure. */
    void end() {
        send(EngineMain.END);
    }

    /** Kills the worker and what it started (fio), now. Any thread. */
    void kill() {
        // Descendants first: once the worker is dead, fio is no longer its child and cannot be found.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Waits for the worker to exit, killing it when it has not within {@link #EXIT_NANOS}, and
     * returns its exit status, or -1 when even killing it did not end it in time.
     */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT_NANOS, TimeUnit.NANOSECONDS)) {
            kill();
            if (!process.waitFor(EXIT_NANOS, TimeUnit.NANOSECONDS)) {
                return -1;
            }
        }
        outReader.join(Duration.ofNanos(EXIT_NANOS));
        errReader.join(Duration.ofNanos(EXIT_NANOS));
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code command}; false when the worker has closed its stdin, which it does only by exiting. */
    private boolean send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The failure of a worker that exited on its own: what its stderr says, or its exit status. */
    private Runner.Failed gone() throws InterruptedException {
        return new Runner.Failed("failed: " + cause(errors(), awaitExit()));
    }

    /**
     * The rest of the worker's next line that starts with {@code prefix}, passing progress lines
     * to {@code status} on the way; {@code what} names what it is doing, for the failure.
     */
    private String await(String prefix, String what, long limitNanos, Consumer<String> status)
            throws Runner.Failed, InterruptedException {
        long deadline = System.nanoTime() + limitNanos;
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                kill();
                awaitExit();
                throw new Runner.Failed("failed: the worker did not finish " + what + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s and was killed");
            }
            if (line == END_OF_OUTPUT) {
                throw gone();
            }
            if (line.startsWith(EngineMain.PROGRESS)) {
                status.accept(line.substring(EngineMain.PROGRESS.length()));
            } else if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
    }

    /** Queues the lines of the conversation; the JVM or a library may print others, which are dropped. */
    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                boolean spoken = line.startsWith(EngineMain.PROGRESS) || line.equals(EngineMain.READY)
                        || line.startsWith(EngineMain.SAMPLE);
                if (spoken && !lines.offer(line)) {
                    synchronized (errors) {
                        errors.insert(0, "the worker printed more than " + LINES_AHEAD_MAX + " lines unasked\n");
                    }
                    kill();
                    break;
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is what there is.
        }
        if (!lines.offer(END_OF_OUTPUT)) {
            // Only a worker that talked unasked fills the queue, and it is dead: what it said is of no use.
            lines.clear();
            lines.add(END_OF_OUTPUT);
        }
    }

    private void keepErrors() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (errors) {
                    if (errors.length() < STDERR_KEPT) {
                        errors.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is what there is.
        }
    }

    private String errors() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    /**
     * What went wrong, in one line: the exception and its deepest cause from the worker's stack
     * trace, or the first line it printed on stderr, or its exit status.
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
