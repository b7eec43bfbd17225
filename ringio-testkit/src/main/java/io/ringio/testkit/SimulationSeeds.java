package io.ringio.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The seeds one {@link SimulationTest} method runs: how many, and the i-th one. The i-th seed is
 * the i-th output of a SplitMix64 generator whose start is a hash of the test's name mixed with
 * the base seed, so the seeds are the same in every build and JVM, differ between tests, and
 * never repeat within a method (SplitMix64 visits 2^64 distinct values before repeating).
 */
final class SimulationSeeds {
    /** SplitMix64's increment: 2^64 divided by the golden ratio, made odd. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long FNV1A_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV1A_PRIME = 0x100000001b3L;

    private final long start;
    private final int count;
    /** The one seed to run instead of derived ones, from {@code ringio.sim.seed}; or null. */
    private final SimSeed replay;

    private SimulationSeeds(long start, int count, SimSeed replay) {
        this.start = start;
        this.count = count;
        this.replay = replay;
    }

    /**
     * The seeds of the test named {@code testName} (class name, '#', method name) that asks for
     * {@code annotatedCount} seeds, under the settings that {@code settings} looks up by property
     * name.
     *
     * @throws IllegalArgumentException naming the property and its value if a setting does not
     *     parse, or naming the test if {@code annotatedCount} is below 1
     */
    static SimulationSeeds forTest(String testName, int annotatedCount, Function<String, Optional<String>> settings) {
        // Every setting is checked even when a replay makes it moot, so that a typo fails now
        // rather than in the next run that does not replay.
        if (annotatedCount < 1) {
            throw new IllegalArgumentException("@SimulationTest(seeds = " + annotatedCount + ") on " + testName
                    + ": seeds must be at least 1");
        }
        Optional<SimSeed> replay = settings.apply(SimulationExtension.SEED_PROPERTY)
                .map(text -> parseSeedSetting(SimulationExtension.SEED_PROPERTY, text));
        int count = settings.apply(SimulationExtension.SEEDS_PROPERTY)
                .map(SimulationSeeds::parseCountSetting)
                .orElse(annotatedCount);
        long baseSeed = settings.apply(SimulationExtension.BASE_SEED_PROPERTY)
                .map(text -> parseSeedSetting(SimulationExtension.BASE_SEED_PROPERTY, text).value())
                .orElse(0L);
        if (replay.isPresent()) {
            return new SimulationSeeds(0, 1, replay.get());
        }
        return new SimulationSeeds(nameHash(testName) ^ mix64(baseSeed), count, null);
    }

    /** How many seeds to run. */
    int count() {
        return count;
    }

    /** The seed at {@code index}, 0-based; the same for the same test, base seed and index. */
    SimSeed seed(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index=" + index + " count=" + count);
        }
        if (replay != null) {
            return replay;
        }
        return new SimSeed(mix64(start + (index + 1) * GOLDEN_GAMMA));
    }

    /**
     * SplitMix64's output function (Steele, Lea and Flood, "Fast splittable pseudorandom number
     * generators", 2014; the same constants as {@link java.util.SplittableRandom}). A bijection,
     * so distinct inputs give distinct seeds.
     */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * 64-bit FNV-1a over the name's UTF-8 bytes: specified byte by byte, so unlike
     * {@link String#hashCode()} it is not tied to Java, and it has 64 bits rather than 32.
     */
    static long nameHash(String name) {
        long hash = FNV1A_OFFSET_BASIS;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV1A_PRIME;
        }
        return hash;
    }

    private static SimSeed parseSeedSetting(String property, String text) {
        try {
            return SimSeed.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + property + "=" + text + " is invalid: " + e.getMessage(), e);
        }
    }

    private static int parseCountSetting(String text) {
        int count;
        try {
            count = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalidCount(text, e);
        }
        if (count < 1) {
            throw invalidCount(text, null);
        }
        return count;
    }

    private static IllegalArgumentException invalidCount(String text, NumberFormatException cause) {
        return new IllegalArgumentException("-D" + SimulationExtension.SEEDS_PROPERTY + "=" + text
                + " is invalid: expected how many seeds to run, a whole number from 1 to " + Integer.MAX_VALUE, cause);
    }
}
