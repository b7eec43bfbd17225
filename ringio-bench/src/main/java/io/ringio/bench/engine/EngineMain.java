package io.ringio.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's worker process: runs one engine on one spec in a JVM of its own, so that no other
 * engine's code shaped the JIT's profile. Prints {@code progress} lines as it goes, then one
 * {@code samples} line with the JSON of its samples; exits 1 with the failure on stderr.
 *
 * <p>Usage: {@code EngineMain ENGINE SPEC_JSON}.
 */
public final class EngineMain {
    public static final String PROGRESS = "progress ";
    public static final String SAMPLES = "samples ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EngineMain ENGINE SPEC_JSON");
            System.exit(2);
        }
        PrintStream out = System.out;
        try {
            Engine engine = Engines.of(args[0]);
            BenchSpec spec = JSON.readValue(args[1], BenchSpec.class);
            if (spec.warmupNanos() > 0) {
                out.println(PROGRESS + "warm-up");
                out.flush();
                engine.run(spec, 0, spec.warmupNanos());
            }
            List<Sample> samples = new ArrayList<>();
            for (int i = 1; i <= spec.repeats(); i++) {
                out.println(PROGRESS + "run " + i + "/" + spec.repeats());
                out.flush();
                samples.add(engine.run(spec, i, spec.durationNanos()));
            }
            out.println(SAMPLES + JSON.writeValueAsString(samples));
            out.flush();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
