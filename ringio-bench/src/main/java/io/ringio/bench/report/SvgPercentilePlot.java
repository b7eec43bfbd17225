package io.ringio.bench.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static io.ringio.bench.report.HtmlText.coordinate;
import static io.ringio.bench.report.HtmlText.escape;

/**
 * Latency percentiles of one workload as inline SVG: one line per engine, the percentile across
 * on a "nines" scale and the latency up on a log scale, the legend on the right.
 *
 * <pre>
 *   latency |                          /   |  ── engine one
 *   (log)   |                    _____/    |  ── engine two
 *           |___________________/          |
 *           +--------------------------------
 *            50       90       99      99.9    (nines: -log10(1 - p/100))
 * </pre>
 *
 * The nines scale gives each of 90, 99, 99.9 the same width, so that the tail, where engines
 * differ, is not squeezed into the last pixel. The 100th percentile lies at infinity on it and
 * is left out.
 */
final class SvgPercentilePlot {
    static final int WIDTH = 960;
    static final int PLOT_LEFT = 72;
    static final int PLOT_RIGHT = 640;
    static final int PLOT_TOP = 12;
    static final int PLOT_BOTTOM = 290;
    static final int HEIGHT_MIN = 336;
    static final int LEGEND_LEFT = 664;
    static final int LEGEND_ROW_HEIGHT = 20;
    static final int LEGEND_SWATCH_WIDTH = 22;
    /** Fits the legend column: (WIDTH - LEGEND_LEFT - swatch) / about 6.5 units a character. */
    static final int LEGEND_CHARS_MAX = 40;
    /** The axis shows at least 99.99 and at most 99.9999. */
    static final int NINES_AXIS_MIN = 4;
    static final int NINES_AXIS_MAX = 6;
    static final double[] PERCENT_TICKS = {50, 90, 99, 99.9, 99.99, 99.999, 99.9999};
    /** Above this many decades the latency axis is labelled at decades only, not at 1, 2 and 5. */
    static final int DECADES_FOR_MINOR_TICKS_MAX = 3;
    /** A longer curve is thinned to about this many points; more do not show at this width. */
    static final int CURVE_POINTS_MAX = 1000;
    /**
     * 1 - 99.99/100 is not exactly 1e-4 in binary, so nines(99.99) comes out a hair above 4;
     * comparisons on the nines scale allow this much.
     */
    static final double NINES_TOLERANCE = 1e-6;
    static final String GRID = "#e6e9ee";
    static final String AXIS = "#8a93a3";

    private SvgPercentilePlot() {}

    /** Where a percentile lies on the nines scale: 90 → 1, 99 → 2, 99.9 → 3. */
    static double nines(double percent) {
        return -Math.log10(1 - percent / 100);
    }

    /**
     * True when the row's curve has a point this plot can place: a latency above zero and a
     * percentile from 0 to {@link #NINES_AXIS_MAX} nines (the log scale has no place for zero,
     * the nines scale none for 100).
     */
    static boolean plottable(Row row) {
        return row.curve().stream().anyMatch(point -> point.nanos() > 0 && Axes.inRange(point, NINES_AXIS_MAX));
    }

    /**
     * Appends an {@code <svg class="chart chart-latency" data-chart="latency">} with one
     * {@code <polyline class="curve">} for each {@link #plottable} row; at least one must be.
     */
    static void render(StringBuilder html, String description, List<Row> rows, EngineColours colours) {
        List<Row> drawn = rows.stream().filter(SvgPercentilePlot::plottable).toList();
        assert !drawn.isEmpty() : "no row of " + rows.size() + " has a plottable curve";
        Axes axes = Axes.fit(drawn, ninesMax(drawn));
        int height = Math.max(HEIGHT_MIN, PLOT_TOP + drawn.size() * LEGEND_ROW_HEIGHT + PLOT_TOP);
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-latency\" data-chart=\"latency\"")
                .append(" role=\"img\" aria-label=\"").append(escape(description))
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\">\n");
        percentAxis(html, axes);
        latencyAxis(html, axes);
        for (Row row : drawn) {
            curve(html, row, axes, colours);
        }
        for (int i = 0; i < drawn.size(); i++) {
            legendEntry(html, drawn.get(i), PLOT_TOP + i * LEGEND_ROW_HEIGHT, colours);
        }
        html.append("</svg>\n");
    }

    /** The whole nines that hold every point, from {@link #NINES_AXIS_MIN} to {@link #NINES_AXIS_MAX}. */
    private static double ninesMax(List<Row> rows) {
        double ninesMax = NINES_AXIS_MIN;
        for (Row row : rows) {
            for (Percentile point : row.curve()) {
                if (point.nanos() > 0 && point.percent() < 100) {
                    ninesMax = Math.max(ninesMax, Math.ceil(nines(point.percent()) - NINES_TOLERANCE));
                }
            }
        }
        return Math.min(NINES_AXIS_MAX, ninesMax);
    }

    /**
     * The plot's scales: percent across from 0 to {@code ninesMax} nines, latency up from
     * {@code nanosLow} to {@code nanosHigh}, both ends on the 1-2-5 series.
     */
    private record Axes(double ninesMax, double nanosLow, double nanosHigh) {
        static Axes fit(List<Row> rows, double ninesMax) {
            double low = Double.POSITIVE_INFINITY;
            double high = 0;
            for (Row row : rows) {
                for (Percentile point : row.curve()) {
                    if (point.nanos() > 0 && inRange(point, ninesMax)) {
                        low = Math.min(low, point.nanos());
                        high = Math.max(high, point.nanos());
                    }
                }
            }
            low = stepAtOrBelow(low);
            high = stepAtOrAbove(high);
            if (high <= low) {
                // Every latency is the same step: the next step up gives the scale a height.
                high = stepAtOrAbove(low * 1.5);
            }
            return new Axes(ninesMax, low, high);
        }

        boolean contains(Percentile point) {
            return point.nanos() > 0 && inRange(point, ninesMax);
        }

        double x(double percent) {
            return PLOT_LEFT + nines(percent) / ninesMax * (PLOT_RIGHT - PLOT_LEFT);
        }

        double y(double nanos) {
            double fraction = (Math.log10(nanos) - Math.log10(nanosLow)) / (Math.log10(nanosHigh) - Math.log10(nanosLow));
            return PLOT_BOTTOM - fraction * (PLOT_BOTTOM - PLOT_TOP);
        }

        static boolean inRange(Percentile point, double ninesMax) {
            return point.percent() >= 0 && point.percent() < 100 && nines(point.percent()) <= ninesMax + NINES_TOLERANCE;
        }
    }

    private static void percentAxis(StringBuilder html, Axes axes) {
        for (double percent : PERCENT_TICKS) {
            if (nines(percent) > axes.ninesMax() + NINES_TOLERANCE) {
                break;
            }
            String x = coordinate(axes.x(percent));
            html.append("<line class=\"grid\" x1=\"").append(x).append("\" y1=\"").append(PLOT_TOP).append("\" x2=\"")
                    .append(x).append("\" y2=\"").append(PLOT_BOTTOM).append("\" stroke=\"").append(GRID).append("\"/>\n");
            html.append("<text class=\"tick\" x=\"").append(x).append("\" y=\"").append(PLOT_BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">").append(percentLabel(percent)).append("</text>\n");
        }
        html.append("<line class=\"axis\" x1=\"").append(PLOT_LEFT).append("\" y1=\"").append(PLOT_BOTTOM)
                .append("\" x2=\"").append(PLOT_RIGHT).append("\" y2=\"").append(PLOT_BOTTOM).append("\" stroke=\"")
                .append(AXIS).append("\"/>\n");
        html.append("<text class=\"axis-title\" x=\"").append((PLOT_LEFT + PLOT_RIGHT) / 2).append("\" y=\"")
                .append(PLOT_BOTTOM + 38).append("\" text-anchor=\"middle\">percentile</text>\n");
    }

    private static void latencyAxis(StringBuilder html, Axes axes) {
        for (double nanos : latencyTicks(axes.nanosLow(), axes.nanosHigh())) {
            String y = coordinate(axes.y(nanos));
            html.append("<line class=\"grid\" x1=\"").append(PLOT_LEFT).append("\" y1=\"").append(y).append("\" x2=\"")
                    .append(PLOT_RIGHT).append("\" y2=\"").append(y).append("\" stroke=\"").append(GRID).append("\"/>\n");
            html.append("<text class=\"tick\" x=\"").append(PLOT_LEFT - 6).append("\" y=\"").append(y)
                    .append("\" text-anchor=\"end\" dominant-baseline=\"central\">").append(latencyLabel(nanos))
                    .append("</text>\n");
        }
        html.append("<line class=\"axis\" x1=\"").append(PLOT_LEFT).append("\" y1=\"").append(PLOT_TOP)
                .append("\" x2=\"").append(PLOT_LEFT).append("\" y2=\"").append(PLOT_BOTTOM).append("\" stroke=\"")
                .append(AXIS).append("\"/>\n");
        int middle = (PLOT_TOP + PLOT_BOTTOM) / 2;
        html.append("<text class=\"axis-title\" x=\"14\" y=\"").append(middle).append("\" text-anchor=\"middle\"")
                .append(" transform=\"rotate(-90 14 ").append(middle).append(")\">latency (log scale)</text>\n");
    }

    private static void curve(StringBuilder html, Row row, Axes axes, EngineColours colours) {
        List<Percentile> points = new ArrayList<>(row.curve().stream().filter(axes::contains).toList());
        points.sort(Comparator.comparingDouble(Percentile::percent));
        int stride = Math.max(1, (points.size() + CURVE_POINTS_MAX - 1) / CURVE_POINTS_MAX);
        StringBuilder xy = new StringBuilder(points.size() / stride * 12);
        for (int i = 0; i < points.size(); i++) {
            if (i % stride == 0 || i == points.size() - 1) {
                Percentile point = points.get(i);
                xy.append(xy.isEmpty() ? "" : " ").append(coordinate(axes.x(point.percent()))).append(',')
                        .append(coordinate(axes.y(point.nanos())));
            }
        }
        String colour = colours.of(row.engine());
        String tooltip = String.format(Locale.ROOT, "%s: p50 %s \u00b5s, p99 %s \u00b5s, p99.9 %s \u00b5s", row.engineTitle(),
                HtmlText.micros(row.p50Nanos()), HtmlText.micros(row.p99Nanos()), HtmlText.micros(row.p999Nanos()));
        html.append("<polyline class=\"curve\" data-engine=\"").append(escape(row.engine())).append("\" points=\"")
                .append(xy).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"2\" stroke-linejoin=\"round\"><title>").append(escape(tooltip))
                .append("</title></polyline>\n");
        if (points.size() == 1) {
            // A one-point polyline draws nothing; a dot shows that the point is there.
            Percentile point = points.getFirst();
            html.append("<circle class=\"point\" cx=\"").append(coordinate(axes.x(point.percent()))).append("\" cy=\"")
                    .append(coordinate(axes.y(point.nanos()))).append("\" r=\"3\" fill=\"").append(colour).append("\"/>\n");
        }
    }

    private static void legendEntry(StringBuilder html, Row row, int top, EngineColours colours) {
        double middle = top + LEGEND_ROW_HEIGHT / 2.0;
        html.append("<g class=\"legend-entry\" data-engine=\"").append(escape(row.engine())).append("\"><title>")
                .append(escape(row.engineTitle())).append("</title>")
                .append("<line x1=\"").append(LEGEND_LEFT).append("\" y1=\"").append(coordinate(middle))
                .append("\" x2=\"").append(LEGEND_LEFT + LEGEND_SWATCH_WIDTH).append("\" y2=\"").append(coordinate(middle))
                .append("\" stroke=\"").append(colours.of(row.engine())).append("\" stroke-width=\"3\"/>")
                .append("<text x=\"").append(LEGEND_LEFT + LEGEND_SWATCH_WIDTH + 6).append("\" y=\"")
                .append(coordinate(middle)).append("\" dominant-baseline=\"central\">")
                .append(HtmlText.truncated(row.engineTitle(), LEGEND_CHARS_MAX)).append("</text></g>\n");
    }

    /** Ticks on the 1-2-5 series between the ends, or at decades only when the range is wide. */
    static List<Double> latencyTicks(double low, double high) {
        int firstDecade = (int) Math.floor(Math.log10(low));
        int lastDecade = (int) Math.ceil(Math.log10(high));
        boolean minor = lastDecade - firstDecade <= DECADES_FOR_MINOR_TICKS_MAX;
        List<Double> ticks = new ArrayList<>();
        for (int decade = firstDecade; decade <= lastDecade; decade++) {
            for (int step : minor ? new int[] {1, 2, 5} : new int[] {1}) {
                double tick = step * Math.pow(10, decade);
                if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) {
                    ticks.add(tick);
                }
            }
        }
        return ticks;
    }

    /**
     * A tick on the 1-2-5 series in the unit that keeps the number between 1 and 999:
     * {@code 500 ns}, {@code 20 µs}, {@code 1 ms}.
     */
    static String latencyLabel(double nanos) {
        if (nanos >= 1e9) {
            return plain(nanos / 1e9) + " s";
        }
        if (nanos >= 1e6) {
            return plain(nanos / 1e6) + " ms";
        }
        if (nanos >= 1e3) {
            return plain(nanos / 1e3) + " " + HtmlText.MICRO + "s";
        }
        return plain(nanos) + " ns";
    }

    /** 50, 90, 99, 99.9, ... */
    static String percentLabel(double percent) {
        return plain(percent);
    }

    /** A tick value without trailing zeros: {@code 1}, {@code 99.9}; ticks need no more than four decimals. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** The largest value of the 1-2-5 series at or below {@code value}. */
    private static double stepAtOrBelow(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (int step : new int[] {5, 2, 1}) {
            if (step * decade <= value) {
                return step * decade;
            }
        }
        return decade;
    }

    /** The smallest value of the 1-2-5 series at or above {@code value}. */
    private static double stepAtOrAbove(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (int step : new int[] {1, 2, 5, 10}) {
            if (step * decade >= value) {
                return step * decade;
            }
        }
        return 10 * decade;
    }
}
