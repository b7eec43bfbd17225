package io.ringio.bench.report;

import java.util.Locale;

/**
 * Escaping and number formats shared by the HTML page and its SVG charts. Everything returned
 * here is markup that is also well-formed XML: the few characters outside ASCII are numeric
 * character references ({@code &#215;}), because XML knows none of HTML's named entities.
 */
final class HtmlText {
    /** The multiplication sign of a ratio, {@code 1.12×}. */
    static final String TIMES = "&#215;";
    /** The micro sign of {@code µs}. */
    static final String MICRO = "&#181;";
    static final String EN_DASH = "&#8211;";
    static final String ELLIPSIS = "&#8230;";
    static final String MIDDLE_DOT = "&#183;";
    /** Said instead of a value that was not measured (NaN) or makes no sense (zero, negative). */
    static final String NOT_AVAILABLE = "n/a";

    private HtmlText() {}

    /**
     * Text taken from a report, made safe as element content and as a quoted attribute value.
     * Characters that XML 1.0 forbids even as references (most control characters, lone
     * surrogates) become U+FFFD, so that a stray byte in a CPU name cannot break the page.
     * {@code null} becomes the empty string.
     */
    static String escape(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length() + 16);
        raw.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.appendCodePoint(allowedInXml(c) ? c : 0xFFFD);
            }
        });
        return out.toString();
    }

    /**
     * The first {@code charsMax} characters of {@code raw}, escaped, with an ellipsis when some
     * were cut; SVG cannot wrap or measure text, so long labels are cut by count.
     */
    static String truncated(String raw, int charsMax) {
        assert charsMax > 1 : "charsMax=" + charsMax;
        String text = raw == null ? "" : raw;
        if (text.codePointCount(0, text.length()) <= charsMax) {
            return escape(text);
        }
        return escape(text.substring(0, text.offsetByCodePoints(0, charsMax - 1))) + ELLIPSIS;
    }

    /** True for a value worth a bar: finite and above zero. */
    static boolean measured(double value) {
        return Double.isFinite(value) && value > 0;
    }

    /** A count with thousands separators, {@code 1,234,567}, or n/a. */
    static String count(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%,.0f", value) : NOT_AVAILABLE;
    }

    /** About three significant digits: {@code 1,234}, {@code 123}, {@code 12.3}, {@code 1.23}, {@code 0.123}. */
    static String significant(double value) {
        if (!Double.isFinite(value)) {
            return NOT_AVAILABLE;
        }
        double magnitude = Math.abs(value);
        String format = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f"
                : magnitude >= 0.01 || magnitude == 0 ? "%.3f" : "%.2g";
        return String.format(Locale.ROOT, format, value);
    }

    /** Nanoseconds as microseconds with about three significant digits, without the unit. */
    static String micros(long nanos) {
        return significant(nanos / 1e3);
    }

    /** A ratio to the FileChannel reference, {@code 1.12×}, or n/a when there is no reference. */
    static String ratio(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) + TIMES : NOT_AVAILABLE;
    }

    /** An SVG coordinate or length: one decimal is finer than a pixel. */
    static String coordinate(double value) {
        assert Double.isFinite(value) : "coordinate=" + value;
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** XML 1.0's Char production: tab, newline, carriage return and everything from space up, but surrogates and U+FFFE/U+FFFF. */
    private static boolean allowedInXml(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
