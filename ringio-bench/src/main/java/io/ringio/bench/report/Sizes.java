package io.ringio.bench.report;

import java.util.Locale;

/** Byte counts for people to read, in the table, the HTML page and messages. */
public final class Sizes {
    private Sizes() {}

    /** A byte count in the largest binary unit it reaches: {@code 4 KiB}, {@code 1.5 GiB}, {@code 512 bytes}. */
    public static String binary(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = unit == 0 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
