package io.ringio.bench.run;

import io.ringio.bench.report.Row;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress display on stderr. On a terminal, one line that is redrawn as a measurement goes
 * through its warm-up and runs; elsewhere (a log, a pipe) only a line per finished measurement.
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

    public synchronized void begin(int index, int total, String label) {
        current = String.format(Locale.ROOT, "[%" + String.valueOf(total).length() + "d/%d] %s", index, total, label);
        status("starting");
    }

    public synchronized void status(String status) {
        if (terminal) {
            err.print("\r\u001b[K" + current + ": " + status);
            err.flush();
            drawn = true;
        }
    }

    public synchronized void done(Row r) {
        line(String.format(Locale.ROOT, "%s: %,.0f IOPS, p50 %s, %.1f CPU s per million ops", current, r.iops(),
                Table.micros(r.p50Nanos()), r.cpuSecondsPerMillion()));
    }

    public synchronized void failed(String note) {
        line(current + ": " + note);
    }

    /** A line of its own, clearing the live line first. */
    public synchronized void line(String text) {
        if (drawn) {
            err.print("\r\u001b[K");
            drawn = false;
        }
        err.println(text);
        err.flush();
    }
}
