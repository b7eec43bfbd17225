package io.ringio.bench.report;

import java.util.List;

/**
 * What a bench run found: the machine, the command, one row per engine and workload measured,
 * and notes (engines skipped and why, a run stopped early).
 *
 * @param machine   where it ran
 * @param command   the command line, as a user would type it again
 * @param startedAt when it started, ISO-8601
 * @param fileBytes size of the test file
 * @param rows      the measurements, in the order they were planned (not the order they finished in)
 * @param notes     things a reader of the table must know
 * @param complete  false when the run was stopped before every measurement finished
 */
public record BenchReport(Machine machine, String command, String startedAt, long fileBytes, List<Row> rows,
                          List<String> notes, boolean complete) {
    public BenchReport {
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** The rows grouped by workload id: workloads in order of first appearance, rows in report order. */
    public List<List<Row>> rowsByWorkload() {
        java.util.Map<String, List<Row>> groups = new java.util.LinkedHashMap<>();
        for (Row row : rows) {
            groups.computeIfAbsent(row.workload(), _ -> new java.util.ArrayList<>()).add(row);
        }
        return List.copyOf(groups.values());
    }
}
