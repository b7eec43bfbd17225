package io.ringio.testkit;

import java.util.Objects;

/**
 * The seed of one simulated run, as {@link SimulationTest} hands it to a test method. One seed
 * fixes a whole simulated run, so printing it is enough to replay a failure.
 *
 * <p>{@link #toString()} is the form every failure message and display name uses, and the form
 * {@code -Dringio.sim.seed} takes back: {@code 0x} followed by the 64 bits as unsigned
 * lower-case hex without leading zeros ({@code 0x2a}, {@code 0xffffffffffffffff} for -1).
 *
 * @param value the seed; every 64-bit value is a valid seed
 */
public record SimSeed(long value) {
    private static final String HEX_PREFIX = "0x";
    /** A long has 64 bits, four per hex digit. */
    private static final int HEX_DIGITS_MAX = 16;

    /**
     * Reads a seed as written on a command line: decimal ({@code 42}, {@code -7}, or an unsigned
     * value up to 2^64-1) or hex with a {@code 0x} or {@code 0X} prefix (up to 16 digits, read as
     * unsigned, so {@code parse(seed.toString())} gives back {@code seed}). Surrounding
     * whitespace is ignored, as a shell variable may carry it.
     *
     * @throws IllegalArgumentException if {@code text} is not such a number; the message quotes
     *     {@code text}
     * @throws NullPointerException if {@code text} is null
     */
    public static SimSeed parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        try {
            if (trimmed.startsWith(HEX_PREFIX) || trimmed.startsWith("0X")) {
                String digits = trimmed.substring(HEX_PREFIX.length());
                // parseUnsignedLong would also take a sign ("0x+1"), which is no seed we print.
                if (digits.isEmpty() || digits.length() > HEX_DIGITS_MAX || !isHexDigits(digits)) {
                    throw invalid(text, null);
                }
                return new SimSeed(Long.parseUnsignedLong(digits, 16));
            }
            if (trimmed.startsWith("-")) {
                return new SimSeed(Long.parseLong(trimmed));
            }
            if (trimmed.startsWith("+")) {
                throw invalid(text, null);
            }
            // Unsigned, so that a seed printed as an unsigned decimal elsewhere reads back too.
            return new SimSeed(Long.parseUnsignedLong(trimmed));
        } catch (NumberFormatException e) {
            throw invalid(text, e);
        }
    }

    /** {@code 0x} and the seed's 64 bits in unsigned lower-case hex, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return HEX_PREFIX + Long.toHexString(value);
    }

    private static boolean isHexDigits(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String text, NumberFormatException cause) {
        return new IllegalArgumentException("not a seed: '" + text
                + "' (expected a 64-bit number, decimal like 42 or -7, or hex like 0x2a)", cause);
    }
}
