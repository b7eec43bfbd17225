package io.ringio.bench.report;

/**
 * One point of a latency distribution: {@code percent} of the operations took at most
 * {@code nanos}.
 *
 * @param percent between 0 and 100, for example 99.9
 * @param nanos   the latency at that percentile, in nanoseconds
 */
public record Percentile(double percent, long nanos) {}
