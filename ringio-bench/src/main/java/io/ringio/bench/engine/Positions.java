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
     * The positions for one thread or chain of {@code spec}'s workload; {@code shared} is the
     * measurement's cursor for sequential workloads.
     */
    static Positions of(BenchSpec spec, int stream, AtomicLong shared) {
        long blocks = spec.blocks();
        long blockBytes = spec.blockBytes();
        if (spec.kind().sequential()) {
            return () -> Math.floorMod(shared.getAndIncrement(), blocks) * blockBytes;
        }
        SplittableRandom random = new SplittableRandom(0x5EEDL * (stream + 1));
        return () -> random.nextLong(blocks) * blockBytes;
    }
}
