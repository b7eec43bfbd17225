package io.ringio.io.sim;

/**
 * The simulator's source of randomness: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). Written out here, rather than taken from
 * {@code java.util.random}, so that a seed gives the same run on every JDK: the sequence is fixed
 * by these few lines and nothing else.
 */
final class SimRandom {
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    /** 2^-53: turns the top 53 bits of a long into a double in [0, 1). */
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    SimRandom(long seed) {
        this.state = seed;
    }

    /** An independent stream for one purpose, so that drawing from one does not shift another. */
    static SimRandom stream(long seed, long purpose) {
        return new SimRandom(mix(seed ^ mix(purpose + GOLDEN_GAMMA)));
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound); {@code bound} must be positive. */
    long nextLong(long bound) {
        assert bound > 0 : "bound=" + bound;
        // Lemire's multiply-shift is biased by at most bound/2^64, far below anything a test sees.
        return Math.unsignedMultiplyHigh(nextLong(), bound);
    }

    int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    boolean chance(double probability) {
        return probability > 0 && nextDouble() < probability;
    }

    /**
     * An exponentially distributed duration with the given mean, in nanoseconds. StrictMath, so
     * that the logarithm is the same on every JVM and CPU.
     */
    long exponentialNanos(long meanNanos) {
        if (meanNanos <= 0) {
            return 0;
        }
        double u = 1.0 - nextDouble(); // in (0, 1]: log(0) would be infinite
        return (long) (-StrictMath.log(u) * meanNanos);
    }
}
