package io.ringio.bench.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes ("4k", "128KiB", "1g", "4096") and durations ("1s", "500ms", "2") on the command line. */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    private Units() {}

    /** Bytes: a whole number with an optional binary suffix k, m, g or t (KiB, MiB, ...). */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size; write for example 4096, 4k, 128k or 1g");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is too large");
        }
    }

    /** Nanoseconds: a number of seconds, or with a unit ms, s or m. */
    static long nanos(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration; write for example 2, 2s or 500ms");
        }
        double value = Double.parseDouble(m.group(1));
        TimeUnit unit = m.group(2) == null ? TimeUnit.SECONDS : switch (m.group(2)) {
            case "ms" -> TimeUnit.MILLISECONDS;
            case "m" -> TimeUnit.MINUTES;
            default -> TimeUnit.SECONDS;
        };
        return (long) (value * unit.toNanos(1));
    }

    static final class Bytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return bytes(value);
        }
    }

    static final class Nanos implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return nanos(value);
        }
    }
}
