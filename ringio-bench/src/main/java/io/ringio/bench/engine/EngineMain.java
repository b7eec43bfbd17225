package io.ringio.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The bench's worker process: runs one engine on one spec in a JVM of its own, so that no other
 * engine's code shaped the JIT's profile, and runs its windows when told to, so that the bench
 * can interleave them with other engines' windows while this JVM stays warm.
 *
 * <p>Usage: {@code EngineMain ENGINE SPEC_JSON}. The conversation, one line each way:
 * <pre>
 *   worker                         bench
 *   progress warm-up
 *   ready                     &lt;-  (the warm-up is over)
 *                                  window 1
 *   sample {JSON}
 *                                  window 2
 *   sample {JSON}
 *                                  end        (or the end of stdin)
 *   exits 0
 * </pre>
 * A window that fails, or a command it does not know, prints the failure on stderr and exits
 * 1 or 2. The end of stdin means the bench is gone, whether it ended or was killed, so the
 * worker exits too, after the window it may be running: no worker outlives its bench by more
 * than a window.
 */
public final class EngineMain {
    public static final String PROGRESS = "progress ";
    public static final String READY = "ready";
    public static final String SAMPLE = "sample ";
    public static final String WINDOW = "window ";
    public static final String END = "end";
    /** Exit status for a command line or a command that only a bug of the bench can send. */
    private static final int USAGE_STATUS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EngineMain ENGINE SPEC_JSON");
            System.exit(USAGE_STATUS);
        }
        PrintStream out = System.out;
        try {
            Engine engine = Engines.of(args[0]);
            BenchSpec spec = JSON.readValue(args[1], BenchSpec.class);
            if (spec.warmupNanos() > 0) {
                say(out, PROGRESS + "warm-up");
                // In two halves: the end of a run (draining, closing the loop and the file) takes
                // branches the hot code has not seen, and the JIT throws that code away there
                // (-Xlog:deoptimization: ringio's whole operation path, at the warm-up's end). The
                // second half compiles it again with those branches known; with one warm-up run
                // that recompiling, C2's CPU and the interpreted operations, fell in window 1.
                engine.run(spec, 0, spec.warmupNanos() / 2);
                engine.run(spec, 0, spec.warmupNanos() - spec.warmupNanos() / 2);
            }
            say(out, READY);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command; (command = commands.readLine()) != null && !command.equals(END); ) {
                int window = window(command, spec);
                if (window < 0) {
                    System.err.println("EngineMain: '" + command + "' is not a command; the commands are '"
                            + WINDOW + "N' with N from 1 to " + spec.repeats() + ", and '" + END + "'");
                    System.exit(USAGE_STATUS);
                }
                say(out, SAMPLE + JSON.writeValueAsString(engine.run(spec, window, spec.durationNanos())));
            }
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The window {@code command} asks for, from 1 to the spec's repeats, or -1 when it asks for none. */
    private static int window(String command, BenchSpec spec) {
        if (!command.startsWith(WINDOW)) {
            return -1;
        }
        try {
            int window = Integer.parseInt(command.substring(WINDOW.length()));
            return window >= 1 && window <= spec.repeats() ? window : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
