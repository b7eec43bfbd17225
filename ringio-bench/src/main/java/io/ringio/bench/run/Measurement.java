package io.ringio.bench.run;

import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.Engine;
import io.ringio.bench.engine.Workload;

/** One pair of the plan: an engine on a workload, with the spec it runs. */
public record Measurement(Workload workload, Engine engine, BenchSpec spec) {
    /** This measurement on {@code file}. */
    public Measurement withFile(java.nio.file.Path file) {
        return new Measurement(workload, engine, spec.withFile(file));
    }

    /** "randread-qd32 · ringio-futures", for progress lines and notes. */
    public String label() {
        return workload.id() + " \u00b7 " + engine.id();
    }
}
