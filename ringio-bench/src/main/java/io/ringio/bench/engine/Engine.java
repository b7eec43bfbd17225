package io.ringio.bench.engine;

/** A way of doing a workload's operations: ringio in one of its styles, FileChannel, fio. */
public interface Engine {
    /** The name on the command line, for example {@code ringio-futures}. */
    String id();

    /** The engine in words, with the threads or depth {@code spec} gives it. */
    String title(BenchSpec spec);

    /**
     * Threads this engine does operations on for {@code spec} (1 for engines that keep several
     * in flight from one thread).
     */
    int threads(BenchSpec spec);

    /** Operations this engine keeps in flight for {@code spec}. */
    int depth(BenchSpec spec);

    /**
     * Runs window {@code window} for {@code nanos} and measures it: the caller runs a warm-up
     * (window 0, twice, each half the warm-up time) first, then the repeats (1, 2, ...), all in one JVM that does nothing else and
     * waits between windows while other engines' JVMs run theirs. Each window addresses blocks
     * of its own (see {@link Positions}) and opens what it needs, so that nothing of this engine
     * stays busy while another measures.
     */
    Sample run(BenchSpec spec, int window, long nanos) throws Exception;
}
