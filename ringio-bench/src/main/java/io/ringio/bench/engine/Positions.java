package io.ringio.bench.engine;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the next operation goes: a random block, or the block after the one before (one cursor
 * shared by every thread of a measurement, wrapping at the end of the file). One per thread.
 */
interface Positions {
    long next();

    /**
     * The positions for one thread or chain of {@code spec}'s workload in window {@code window}
     * (0 for both halves of the warm-up, then 1, 2, ... for the repeats), so that no measured
     * window replays the blocks
     * of another; {@code shared} is the window's cursor for sequential workloads, from
     * {@link #cursor}.
     */
    static Positions of(BenchSpec spec, int window, int stream, AtomicLong shared) {
        long blocks = spec.blocks();
        long blockBytes = spec.blockBytes();
        if (spec.kind().sequential()) {
            return () -> Math.floorMod(shared.getAndIncrement(), blocks) * blockBytes;
        }
        SplittableRandom random = new SplittableRandom(0x5EEDL + 1_000_003L * window + stream);
        return () -> random.nextLong(blocks) * blockBytes;
    }

    /** The sequential cursor of window {@code window}: it starts at a block of its own. */
    static AtomicLong cursor(BenchSpec spec, int window) {
        return new AtomicLong(new SplittableRandom(0xC0FFEEL + window).nextLong(spec.blocks()));
    }
}
