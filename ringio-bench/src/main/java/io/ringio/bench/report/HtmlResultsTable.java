package io.ringio.bench.report;

import java.util.List;

import static io.ringio.bench.report.HtmlText.EN_DASH;
import static io.ringio.bench.report.HtmlText.MICRO;
import static io.ringio.bench.report.HtmlText.MIDDLE_DOT;
import static io.ringio.bench.report.HtmlText.NOT_AVAILABLE;
import static io.ringio.bench.report.HtmlText.escape;

/**
 * Every row of a report as an HTML table, one {@code <tbody>} per workload under a heading row,
 * for readers who want the figures the charts leave out (MB/s, the tail percentiles) or want to
 * copy them.
 */
final class HtmlResultsTable {
    private static final List<String> NUMBER_HEADINGS = List.of("block", "depth", "threads", "repeats", "IOPS",
            "IOPS min" + EN_DASH + "max", "MB/s", "p50 " + MICRO + "s", "p99 " + MICRO + "s", "p99.9 " + MICRO + "s",
            "CPU s/M ops", "IOPS vs FC", "CPU vs FC", "machine CPU s/M ops", "machine CPU vs FC");
    /** Engine and cache, then the numbers. */
    private static final int COLUMNS = 2 + NUMBER_HEADINGS.size();

    private HtmlResultsTable() {}

    /** Appends a {@code <section class="results">} with one {@code <tr data-engine>} per row. */
    static void render(StringBuilder html, List<List<Row>> workloads, EngineColours colours) {
        html.append("<section class=\"results\">\n<h2>All results</h2>\n")
                .append("<p class=\"parameters\">Each figure is the median of the repeats; the windows of the engines of")
                .append(" one workload are interleaved, round by round, each round starting with another engine. CPU s/M ops is the process's")
                .append(" CPU time (user + system) per million operations; machine CPU, the whole machine's busy CPU time")
                .append(" (all CPUs, every task, from /proc/stat), which also counts the interrupt work the kernel charges")
                .append(" to no process or to another. FC is FileChannel on the same workload;")
                .append(" a ratio above 1").append(HtmlText.TIMES).append(" means more IOPS, or more CPU per operation.</p>\n")
                .append("<div class=\"table-scroll\">\n<table class=\"results\">\n<thead>\n<tr><th>engine</th><th>cache</th>");
        for (String heading : NUMBER_HEADINGS) {
            html.append("<th class=\"num\">").append(heading).append("</th>");
        }
        html.append("</tr>\n</thead>\n");
        for (List<Row> rows : workloads) {
            Row first = rows.getFirst();
            html.append("<tbody data-workload=\"").append(escape(first.workload())).append("\">\n")
                    .append("<tr class=\"group\"><th colspan=\"").append(COLUMNS).append("\"><code>")
                    .append(escape(first.workload())).append("</code> ").append(MIDDLE_DOT).append(' ')
                    .append(escape(first.workloadTitle())).append("</th></tr>\n");
            for (Row row : rows) {
                row(html, row, colours);
            }
            html.append("</tbody>\n");
        }
        html.append("</table>\n</div>\n</section>\n");
    }

    private static void row(StringBuilder html, Row row, EngineColours colours) {
        html.append("<tr data-engine=\"").append(escape(row.engine())).append("\">")
                .append("<td class=\"engine\"><span class=\"swatch\" style=\"background: ").append(colours.of(row.engine()))
                .append("\"></span>").append(escape(row.engineTitle())).append("</td>")
                .append("<td>").append(escape(row.cache())).append("</td>");
        number(html, Sizes.binary(row.blockBytes()));
        number(html, Integer.toString(row.depth()));
        number(html, Integer.toString(row.threads()));
        number(html, Integer.toString(row.repeats()));
        number(html, HtmlText.count(row.iops()));
        number(html, Double.isFinite(row.iopsMin()) && Double.isFinite(row.iopsMax())
                ? HtmlText.count(row.iopsMin()) + EN_DASH + HtmlText.count(row.iopsMax()) : NOT_AVAILABLE);
        number(html, HtmlText.significant(row.megabytesPerSecond()));
        number(html, HtmlText.micros(row.p50Nanos()));
        number(html, HtmlText.micros(row.p99Nanos()));
        number(html, HtmlText.micros(row.p999Nanos()));
        number(html, HtmlText.significant(row.cpuSecondsPerMillion()));
        number(html, HtmlText.ratio(row.iopsVsFileChannel()));
        number(html, HtmlText.ratio(row.cpuVsFileChannel()));
        number(html, HtmlText.significant(row.machineCpuSecondsPerMillion()));
        number(html, HtmlText.ratio(row.machineCpuVsFileChannel()));
        html.append("</tr>\n");
    }

    private static void number(StringBuilder html, String markup) {
        html.append(markup.equals(NOT_AVAILABLE) ? "<td class=\"num na\">" : "<td class=\"num\">").append(markup)
                .append("</td>");
    }
}
