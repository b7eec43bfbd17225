package io.ringio.bench.run;

import io.ringio.bench.report.Row;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress display on stderr. On a terminal, one line that is redrawn as a workload goes
 * through its warm-ups and rounds ("[3-5/12] randread-qd32: round 2/3 · fio"); elsewhere (a log,
 * a pipe) only a line per finished measurement ("[4/12] randread-qd32 · fio: 61,234 IOPS, ...").
 * Measurements of a workload finish in the order of its last round, which {@link Runner} rotates,
 * so these lines may come out of their numbers' order; the table keeps the plan's.
 */
public final class Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private String current = "";
    private boolean drawn;

    public Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** "[ 4/12] label": item {@code index} of {@code total}, the index as wide as the total. */
    public static String numbered(int index, int total, String label) {
        return String.format(Locale.ROOT, "[%" + String.valueOf(total).length() + "d/%d] %s", index, total, label);
    }

    /** "[3-5/12] label": items {@code first} to {@code last} of {@code total}. */
    public static String numbered(int first, int last, int total, String label) {
        return first == last ? numbered(first, total, label)
                : String.format(Locale.ROOT, "[%d-%d/%d] %s", first, last, total, label);
    }

    /** Starts the live line of {@code label}, a {@link #numbered} label. */
    public synchronized void begin(String label) {
        current = label;
        status("starting");
    }

    /** Redraws the live line with {@code status}, on a terminal; elsewhere nothing. */
    public synchronized void status(String status) {
        if (terminal) {
            err.print("\r\u001b[K" + current + ": " + status);
            err.flush();
            drawn = true;
        }
    }

    /** The line of a finished measurement, {@code label} a {@link #numbered} one. */
    public synchronized void done(String label, Row r) {
        line(String.format(Locale.ROOT, "%s: %,.0f IOPS, p50 %s, %.1f CPU s per million ops", label, r.iops(),
                Table.micros(r.p50Nanos()), r.cpuSecondsPerMillion()));
    }

    /** The line of a failed measurement, {@code note} saying why. */
    public synchronized void failed(String label, String note) {
        line(label + ": " + note);
    }

    /** A line of its own, clearing the live line first; the next {@link #status} draws it again. */
    public synchronized void line(String text) {
        if (drawn) {
            err.print("\r\u001b[K");
            drawn = false;
        }
        err.println(text);
        err.flush();
    }
}
