package io.ringio.bench.engine;

/** A way of doing the reads of a {@link BenchSpec}: ringio in one of its styles, FileChannel, fio. */
public interface Engine {
    /** The name printed in the table. */
    String name();

    /** Runs the spec once and measures it. */
    BenchResult run(BenchSpec spec) throws Exception;
}
