package io.ringio.bench.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Plain "key: value" lines with the values aligned in one column, wrapped at word boundaries to
 * {@link #LINE_WIDTH_MAX} columns; continuation lines are indented to the value column. No
 * colours, so that the output reads the same in a terminal, a log and a bug report.
 */
final class KeyValueWriter {
    /** Width of the key column, colon included; fits "registered buffers:" and a space. */
    static final int KEY_WIDTH = 20;
    /** Lines are wrapped to this many columns, unless a single word is longer. */
    static final int LINE_WIDTH_MAX = 80;

    private final PrintWriter out;

    KeyValueWriter(PrintWriter out) {
        this.out = out;
    }

    /** One entry; a long value is wrapped at spaces. */
    void line(String key, String value) {
        words(key, Arrays.asList(value.split(" +")));
    }

    /** One entry whose value is a list of words, such as opcode names, wrapped as needed. */
    void words(String key, List<String> words) {
        entry(key + ":", words);
    }

    /** A line of remarks under the previous entry, indented to the value column. */
    void remark(String text) {
        entry("", Arrays.asList(text.split(" +")));
    }

    void flush() {
        out.flush();
    }

    private void entry(String label, List<String> words) {
        if (label.length() >= KEY_WIDTH) {
            throw new IllegalArgumentException("label=" + label + " is wider than the key column of " + KEY_WIDTH);
        }
        StringBuilder line = new StringBuilder(pad(label));
        if (words.isEmpty()) {
            line.append("(none)");
        }
        boolean lineHasWord = false;
        for (String word : words) {
            if (lineHasWord && line.length() + 1 + word.length() > LINE_WIDTH_MAX) {
                out.println(line);
                line.setLength(0);
                line.append(pad(""));
                lineHasWord = false;
            }
            if (lineHasWord) {
                line.append(' ');
            }
            line.append(word);
            lineHasWord = true;
        }
        out.println(line);
    }

    private static String pad(String label) {
        return label + " ".repeat(KEY_WIDTH - label.length());
    }
}
