package io.ringio.bench.engine;

import java.nio.file.Path;

/**
 * One measurement, as the bench runs it in an engine's own JVM: a workload with its parameters on
 * one file, a warm-up, then {@code repeats} measured windows of {@code durationNanos} each.
 *
 * @param workload      the workload's id
 * @param file          the test file, which exists and holds {@code fileBytes}
 * @param fileBytes     the bytes of the file that operations address
 * @param blockBytes    bytes per operation
 * @param depth         operations in flight, for engines that keep several in flight from one thread
 * @param threads       threads, for engines that do one operation at a time per thread
 * @param direct        O_DIRECT, bypassing the page cache
 * @param warmupNanos   unmeasured time before the first repeat, run as two halves (see EngineMain)
 * @param durationNanos length of each measured window
 * @param repeats       measured windows
 */
public record BenchSpec(String workload, String file, long fileBytes, int blockBytes, int depth, int threads,
                        boolean direct, long warmupNanos, long durationNanos, int repeats) {
    public BenchSpec {
        Workload.of(workload);
        if (blockBytes <= 0) {
            throw new IllegalArgumentException("blockBytes=" + blockBytes + " must be > 0");
        }
        if (direct && blockBytes % 512 != 0) {
            throw new IllegalArgumentException("blockBytes=" + blockBytes + " must be a multiple of 512 for O_DIRECT");
        }
        if (fileBytes < blockBytes) {
            throw new IllegalArgumentException("fileBytes=" + fileBytes + " must hold at least one block of " + blockBytes);
        }
        if (depth < 1 || threads < 1) {
            throw new IllegalArgumentException("depth=" + depth + " and threads=" + threads + " must be >= 1");
        }
        if (warmupNanos < 0 || durationNanos <= 0 || repeats < 1) {
            throw new IllegalArgumentException("warmupNanos=" + warmupNanos + " must be >= 0, durationNanos="
                    + durationNanos + " > 0 and repeats=" + repeats + " >= 1");
        }
    }

    /** This spec on {@code path}. */
    public BenchSpec withFile(Path path) {
        return new BenchSpec(workload, path.toString(), fileBytes, blockBytes, depth, threads, direct, warmupNanos,
                durationNanos, repeats);
    }

    /** What the workload does with these parameters, in words: "4 KiB random reads, O_DIRECT, 32 in flight". */
    public String title() {
        Workload w = kind();
        String size = blockBytes % 1024 == 0 ? blockBytes / 1024 + " KiB" : blockBytes + "-byte";
        String what = (w.sequential() ? "sequential " : "random ") + (w.write() ? "writes" : "reads")
                + (w.syncEach() ? ", each followed by fdatasync" : "");
        String cache = direct ? "O_DIRECT" : w.write() ? "buffered" : "page cache (file loaded first)";
        return size + " " + what + ", " + cache + ", " + depth + " in flight"
                + (threads != depth ? ", " + threads + " threads" : "");
    }

    public Workload kind() {
        return Workload.of(workload);
    }

    public Path path() {
        return Path.of(file);
    }

    /** Blocks in the file: positions are multiples of the block size below {@code blocks() * blockBytes}. */
    public long blocks() {
        return fileBytes / blockBytes;
    }
}
