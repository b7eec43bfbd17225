package io.ringio.bench.engine;

/**
 * A log-linear latency histogram: each power of two of nanoseconds split into 32 buckets, so a
 * percentile is within about 3% of the truth. One per thread, merged at the end; not thread-safe.
 */
final class Latencies {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;

    void record(long nanos) {
        counts[index(Math.max(1, nanos))]++;
        total++;
    }

    void add(Latencies other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long total() {
        return total;
    }

    /** The latency at {@code quantile} (0.5 for the median), as the upper edge of its bucket. */
    long percentile(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    private static int index(long nanos) {
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        if (exp < SUB_BITS) {
            return (int) nanos;
        }
        int sub = (int) ((nanos >>> (exp - SUB_BITS)) & (SUB - 1));
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    private static long upperEdge(int index) {
        if (index < SUB) {
            return index;
        }
        int exp = index / SUB + SUB_BITS - 1;
        long sub = index % SUB;
        return ((SUB + sub + 1) << (exp - SUB_BITS)) - 1;
    }
}
