package io.ringio.bench.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the ringio CLI, with its exit status and what it wrote. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code ringio args...} through picocli as {@link RingioCli#main} would, capturing output. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = RingioCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exitCode = cmd.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /**
     * The words of the value of {@code key} in "key: value" output, including its continuation
     * lines (those that start with spaces).
     */
    List<String> valueWords(String key) {
        StringBuilder value = new StringBuilder();
        boolean inside = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith(key + ":")) {
                inside = true;
                value.append(line.substring(key.length() + 1)).append(' ');
            } else if (inside && line.startsWith(" ")) {
                value.append(line).append(' ');
            } else if (inside) {
                break;
            }
        }
        String text = value.toString().strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }
}
