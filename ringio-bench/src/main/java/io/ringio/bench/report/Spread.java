package io.ringio.bench.report;

/**
 * How far one figure moved across the repeats of a measurement.
 *
 * @param min the lowest repeat's value
 * @param max the highest repeat's value
 */
public record Spread(double min, double max) {
    /** The spread of one value: no spread. */
    public static Spread of(double value) {
        return new Spread(value, value);
    }
}
