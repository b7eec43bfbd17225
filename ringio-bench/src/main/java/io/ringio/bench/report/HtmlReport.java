package io.ringio.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static io.ringio.bench.report.HtmlText.MIDDLE_DOT;
import static io.ringio.bench.report.HtmlText.escape;

/**
 * A {@link BenchReport} as one self-contained HTML page: the command and the machine, then for
 * each workload an IOPS chart, a CPU chart and a latency percentile plot, then every row in a
 * table. Styles and charts are inline (CSS and SVG); the page runs no script and fetches nothing,
 * so it can be mailed, attached to a bug or opened offline and reads the same.
 *
 * <p>The page is well-formed XML after its {@code <!DOCTYPE html>} line: every element is closed,
 * every attribute quoted, every string from the report escaped, and characters beyond ASCII that
 * the page itself adds are numeric references such as {@code &#215;}.
 */
public final class HtmlReport {
    /** A page with a handful of workloads is about this long; only a first guess for the builder. */
    private static final int PAGE_CHARS_INITIAL = 64 * 1024;

    private static final String STYLE = """
            body { margin: 0; background: #f4f5f7; color: #1d2330;
              font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
            h1 { font-size: 26px; margin: 0 0 12px; }
            h2 { font-size: 20px; margin: 0 0 4px; }
            code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
            pre.command { background: #1d2330; color: #f4f5f7; padding: 10px 14px; border-radius: 6px; margin: 0 0 12px;
              white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
            dl.machine { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0 0 12px; }
            dl.machine dt { color: #5b6475; }
            dl.machine dd { margin: 0; overflow-wrap: anywhere; }
            .warning { background: #fff4e5; border: 1px solid #e69f00; border-left: 6px solid #d55e00;
              border-radius: 4px; padding: 10px 14px; margin: 0 0 12px; font-weight: 600; }
            .notes ul { margin: 4px 0 0; padding-left: 22px; }
            section.workload, section.results { background: #fff; border: 1px solid #dde1e7; border-radius: 8px;
              padding: 18px 20px; margin: 24px 0; }
            .parameters { color: #5b6475; margin: 0 0 4px; }
            figure { margin: 18px 0 0; }
            figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
            figcaption .hint { font-weight: 400; color: #5b6475; }
            svg.chart { display: block; width: 100%; max-width: 960px; height: auto; }
            svg.chart text { font-family: inherit; font-size: 12px; fill: #1d2330; }
            svg.chart text.tick, svg.chart .ratio { fill: #5b6475; }
            svg.chart text.axis-title { fill: #5b6475; font-size: 12px; }
            svg.chart text.na { fill: #8a93a3; font-style: italic; }
            .table-scroll { overflow-x: auto; }
            table { border-collapse: collapse; font-size: 13px; width: 100%; }
            th, td { padding: 5px; border-bottom: 1px solid #e6e9ee; text-align: left; vertical-align: top; }
            th { background: #eef1f5; font-weight: 600; vertical-align: bottom; }
            th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.num, td code { white-space: nowrap; }
            td.engine { min-width: 11em; }
            tr.group th { background: #f8f9fb; font-weight: 400; padding-top: 10px; }
            tr.group code { font-weight: 600; }
            td.na { color: #8a93a3; font-style: italic; }
            .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
            """;

    private HtmlReport() {}

    /**
     * The page for {@code report}. Rows are grouped by workload in the order each workload first
     * appears; values that were not measured (NaN, zero) get no bar and read "n/a".
     */
    public static String render(BenchReport report) {
        Objects.requireNonNull(report, "report");
        EngineColours colours = EngineColours.inOrderOf(report.rows());
        StringBuilder html = new StringBuilder(PAGE_CHARS_INITIAL);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>ringio bench ").append(escape(report.startedAt())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(html, report);
        List<List<Row>> workloads = report.rowsByWorkload();
        for (List<Row> workload : workloads) {
            workload(html, workload, colours);
        }
        HtmlResultsTable.render(html, workloads, colours);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Writes {@link #render the page} to {@code file} in UTF-8, creating or replacing it.
     *
     * @throws IOException when the file cannot be written; it may then hold part of the page
     */
    public static void write(BenchReport report, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder html, BenchReport report) {
        html.append("<header>\n<h1>ringio bench</h1>\n");
        if (!report.complete()) {
            html.append("<p class=\"warning\" role=\"alert\">Incomplete run: it was stopped before every measurement")
                    .append(" finished. Only the measurements that finished are shown.</p>\n");
        }
        html.append("<pre class=\"command\"><code>").append(escape(report.command())).append("</code></pre>\n");
        Machine machine = report.machine();
        html.append("<dl class=\"machine\">\n");
        term(html, "started", "<time datetime=\"" + escape(report.startedAt()) + "\">" + known(report.startedAt()) + "</time>");
        if (machine != null) {
            term(html, "CPU", known(machine.cpu()));
            term(html, "cores", machine.cores() > 0 ? Integer.toString(machine.cores()) : "unknown");
            term(html, "memory", machine.memoryBytes() > 0
                    ? String.format(Locale.ROOT, "%.1f GiB", machine.memoryBytes() / (double) (1L << 30)) : "unknown");
            term(html, "kernel", known(machine.kernel()));
            term(html, "JDK", known(machine.jdk()));
            term(html, "disk", known(machine.disk()));
            term(html, "file system", known(machine.fileSystem()));
        }
        term(html, "test file", Sizes.binary(report.fileBytes()));
        html.append("</dl>\n");
        if (!report.notes().isEmpty()) {
            html.append("<div class=\"notes\"><strong>Notes</strong>\n<ul>\n");
            for (String note : report.notes()) {
                html.append("<li>").append(escape(note)).append("</li>\n");
            }
            html.append("</ul>\n</div>\n");
        }
        html.append("</header>\n");
    }

    private static void term(StringBuilder html, String term, String definitionMarkup) {
        html.append("<dt>").append(term).append("</dt><dd>").append(definitionMarkup).append("</dd>\n");
    }

    private static String known(String value) {
        return value == null || value.isBlank() ? "unknown" : escape(value);
    }

    private static void workload(StringBuilder html, List<Row> rows, EngineColours colours) {
        Row first = rows.getFirst();
        html.append("<section class=\"workload\" data-workload=\"").append(escape(first.workload())).append("\">\n")
                .append("<h2>").append(escape(first.workloadTitle())).append("</h2>\n")
                .append("<p class=\"parameters\"><code>").append(escape(first.workload())).append("</code>")
                .append(" ").append(MIDDLE_DOT).append(" block ").append(distinct(rows, row -> Sizes.binary(row.blockBytes())))
                .append(" ").append(MIDDLE_DOT).append(" depth ").append(distinct(rows, row -> Integer.toString(row.depth())))
                .append(" ").append(MIDDLE_DOT).append(" threads ").append(distinct(rows, row -> Integer.toString(row.threads())))
                .append(" ").append(MIDDLE_DOT).append(" cache ").append(distinct(rows, row -> escape(row.cache())))
                .append(" ").append(MIDDLE_DOT).append(" repeats ").append(distinct(rows, row -> Integer.toString(row.repeats())))
                .append("</p>\n");
        String title = first.workloadTitle();
        html.append("<figure>\n<figcaption>IOPS <span class=\"hint\">higher is better; the whisker spans the slowest")
                .append(" to the fastest repeat</span></figcaption>\n");
        SvgBarChart.render(html, "iops", "IOPS per engine: " + title, iopsBars(rows), colours);
        html.append("</figure>\n<figure>\n<figcaption>CPU seconds per million operations <span class=\"hint\">")
                .append("user + system time of the process; lower is better</span></figcaption>\n");
        SvgBarChart.render(html, "cpu", "CPU seconds per million operations: " + title,
                cpuBars(rows, Row::cpuSecondsPerMillion, Row::cpuVsFileChannel, "CPU"), colours);
        html.append("</figure>\n<figure>\n<figcaption>Machine CPU seconds per million operations <span class=\"hint\">")
                .append("busy time of all CPUs, every task and interrupt included; lower is better</span></figcaption>\n");
        SvgBarChart.render(html, "machine-cpu", "Machine CPU seconds per million operations: " + title,
                cpuBars(rows, Row::machineCpuSecondsPerMillion, Row::machineCpuVsFileChannel, "machine CPU"), colours);
        html.append("</figure>\n<figure>\n<figcaption>Latency percentiles <span class=\"hint\">percentile on a nines")
                .append(" scale, latency on a log scale; lower is better</span></figcaption>\n");
        if (rows.stream().noneMatch(SvgPercentilePlot::plottable)) {
            html.append("<p class=\"parameters\">No latency distribution was recorded for this workload.</p>\n");
        } else {
            SvgPercentilePlot.render(html, "Latency percentiles: " + title, rows, colours);
        }
        html.append("</figure>\n</section>\n");
    }

    /** The value shared by all rows, or the different values in order of appearance: {@code 1, 32}. */
    private static String distinct(List<Row> rows, Function<Row, String> markup) {
        Set<String> values = new LinkedHashSet<>();
        for (Row row : rows) {
            values.add(markup.apply(row));
        }
        return String.join(", ", values);
    }

    private static List<SvgBarChart.Bar> iopsBars(List<Row> rows) {
        List<SvgBarChart.Bar> bars = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String tooltip = String.format(Locale.ROOT, "%s: %s IOPS, %s to %s over %d repeats", row.engineTitle(),
                    HtmlText.count(row.iops()), HtmlText.count(row.iopsMin()), HtmlText.count(row.iopsMax()), row.repeats());
            bars.add(new SvgBarChart.Bar(row.engine(), row.engineTitle(), row.iops(), row.iopsMin(), row.iopsMax(),
                    HtmlText.count(row.iops()) + " IOPS", versusFileChannel(row.iopsVsFileChannel()), tooltip));
        }
        return bars;
    }

    /** Bars of CPU seconds per million operations: {@code what} ("CPU", "machine CPU") from {@code value}. */
    private static List<SvgBarChart.Bar> cpuBars(List<Row> rows, ToDoubleFunction<Row> value, ToDoubleFunction<Row> ratio,
                                                 String what) {
        List<SvgBarChart.Bar> bars = new ArrayList<>(rows.size());
        for (Row row : rows) {
            double v = value.applyAsDouble(row);
            String tooltip = Double.isFinite(v)
                    ? String.format(Locale.ROOT, "%s: %s %s seconds per million operations", row.engineTitle(),
                            HtmlText.significant(v), what)
                    : row.engineTitle() + ": " + what + " not measured";
            bars.add(new SvgBarChart.Bar(row.engine(), row.engineTitle(), v, Double.NaN, Double.NaN,
                    HtmlText.significant(v) + " s", versusFileChannel(ratio.applyAsDouble(row)), tooltip));
        }
        return bars;
    }

    /** {@code 1.12× FileChannel}, or null when the run had no FileChannel reference. */
    private static String versusFileChannel(double ratio) {
        return Double.isFinite(ratio) ? HtmlText.ratio(ratio) + " FileChannel" : null;
    }
}
