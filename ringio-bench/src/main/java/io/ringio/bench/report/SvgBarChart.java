package io.ringio.bench.report;

import java.util.List;

import static io.ringio.bench.report.HtmlText.coordinate;
import static io.ringio.bench.report.HtmlText.escape;
import static io.ringio.bench.report.HtmlText.measured;

/**
 * A horizontal bar chart as inline SVG, one bar per engine, scaled so that the longest bar or
 * whisker fills the bar area. Layout, in SVG units:
 *
 * <pre>
 *   0               LABEL_RIGHT  BAR_LEFT                         BAR_LEFT+BAR_WIDTH_MAX      WIDTH
 *   |      engine title        | |########## bar #####|---whisker---|  value  note           |
 *   |  a longer engine ti...   | |#####|                               value  note            |
 * </pre>
 *
 * A value that is not {@link HtmlText#measured} gets no bar and says n/a.
 */
final class SvgBarChart {
    static final int WIDTH = 960;
    static final int LABEL_RIGHT = 262;
    static final int BAR_LEFT = 270;
    /** Leaves about 250 units right of the longest bar for "1,234,567 IOPS 1.12× FileChannel". */
    static final int BAR_WIDTH_MAX = 430;
    static final int ROW_HEIGHT = 28;
    static final int BAR_HEIGHT = 18;
    static final int PADDING_VERTICAL = 6;
    static final int WHISKER_CAP_HEIGHT = 10;
    static final int VALUE_GAP = 8;
    /** Whiskers, in the page's text colour. */
    static final String INK = "#1d2330";
    static final String AXIS = "#8a93a3";
    /** Engine titles longer than this are cut, the whole title kept as a tooltip. */
    static final int LABEL_CHARS_MAX = 38;

    /**
     * One bar.
     *
     * @param engine      the engine's id, for its colour and {@code data-engine}
     * @param engineTitle the label, plain text
     * @param value       the bar's length in the chart's unit
     * @param spreadLow   the whisker's left end, NaN for no whisker
     * @param spreadHigh  the whisker's right end, NaN for no whisker
     * @param valueMarkup the value as markup, written after the bar
     * @param noteMarkup  markup after the value (a ratio), or null
     * @param tooltip     plain text shown on hover
     */
    record Bar(String engine, String engineTitle, double value, double spreadLow, double spreadHigh,
               String valueMarkup, String noteMarkup, String tooltip) {}

    private SvgBarChart() {}

    /**
     * Appends an {@code <svg class="chart chart-KIND" data-chart="KIND">} with one
     * {@code <rect class="bar">} per measured bar.
     */
    static void render(StringBuilder html, String kind, String description, List<Bar> bars, EngineColours colours) {
        double scaleMax = 0;
        for (Bar bar : bars) {
            if (measured(bar.value())) {
                scaleMax = Math.max(scaleMax, bar.value());
                if (hasWhisker(bar)) {
                    scaleMax = Math.max(scaleMax, bar.spreadHigh());
                }
            }
        }
        int height = 2 * PADDING_VERTICAL + bars.size() * ROW_HEIGHT;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-").append(kind)
                .append("\" data-chart=\"").append(kind).append("\" role=\"img\" aria-label=\"").append(escape(description))
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\">\n");
        html.append("<line class=\"axis\" x1=\"").append(BAR_LEFT).append("\" y1=\"0\" x2=\"").append(BAR_LEFT)
                .append("\" y2=\"").append(height).append("\" stroke=\"").append(AXIS).append("\"/>\n");
        for (int i = 0; i < bars.size(); i++) {
            row(html, bars.get(i), PADDING_VERTICAL + i * ROW_HEIGHT, scaleMax, colours);
        }
        html.append("</svg>\n");
    }

    private static void row(StringBuilder html, Bar bar, int top, double scaleMax, EngineColours colours) {
        double middle = top + ROW_HEIGHT / 2.0;
        html.append("<g class=\"bar-row\" data-engine=\"").append(escape(bar.engine())).append("\">")
                .append("<title>").append(escape(bar.tooltip())).append("</title>\n");
        html.append("<text class=\"label\" x=\"").append(LABEL_RIGHT).append("\" y=\"").append(coordinate(middle))
                .append("\" text-anchor=\"end\" dominant-baseline=\"central\">")
                .append(HtmlText.truncated(bar.engineTitle(), LABEL_CHARS_MAX)).append("</text>\n");
        double end = 0;
        if (measured(bar.value())) {
            double width = bar.value() / scaleMax * BAR_WIDTH_MAX;
            html.append("<rect class=\"bar\" x=\"").append(BAR_LEFT).append("\" y=\"")
                    .append(coordinate(middle - BAR_HEIGHT / 2.0)).append("\" width=\"").append(coordinate(width))
                    .append("\" height=\"").append(BAR_HEIGHT).append("\" rx=\"2\" fill=\"")
                    .append(colours.of(bar.engine())).append("\"/>\n");
            end = width;
            if (hasWhisker(bar)) {
                end = Math.max(end, whisker(html, bar, middle, scaleMax));
            }
        }
        html.append("<text class=\"value").append(measured(bar.value()) ? "" : " na").append("\" x=\"")
                .append(coordinate(BAR_LEFT + end + VALUE_GAP)).append("\" y=\"").append(coordinate(middle))
                .append("\" dominant-baseline=\"central\">")
                .append(measured(bar.value()) ? bar.valueMarkup() : HtmlText.NOT_AVAILABLE);
        if (measured(bar.value()) && bar.noteMarkup() != null) {
            html.append("<tspan class=\"ratio\" dx=\"10\">").append(bar.noteMarkup()).append("</tspan>");
        }
        html.append("</text>\n</g>\n");
    }

    /** Draws the spread as a line with end caps; returns its right end, relative to {@link #BAR_LEFT}. */
    private static double whisker(StringBuilder html, Bar bar, double middle, double scaleMax) {
        double low = BAR_LEFT + Math.max(0, bar.spreadLow()) / scaleMax * BAR_WIDTH_MAX;
        double high = BAR_LEFT + bar.spreadHigh() / scaleMax * BAR_WIDTH_MAX;
        double capTop = middle - WHISKER_CAP_HEIGHT / 2.0;
        double capBottom = middle + WHISKER_CAP_HEIGHT / 2.0;
        html.append("<path class=\"whisker\" d=\"M").append(coordinate(low)).append(' ').append(coordinate(middle))
                .append(" H").append(coordinate(high))
                .append(" M").append(coordinate(low)).append(' ').append(coordinate(capTop))
                .append(" V").append(coordinate(capBottom))
                .append(" M").append(coordinate(high)).append(' ').append(coordinate(capTop))
                .append(" V").append(coordinate(capBottom)).append("\" fill=\"none\" stroke=\"")
                .append(INK).append("\" stroke-width=\"1.5\"/>\n");
        return high - BAR_LEFT;
    }

    private static boolean hasWhisker(Bar bar) {
        return Double.isFinite(bar.spreadLow()) && measured(bar.spreadHigh()) && bar.spreadHigh() > bar.spreadLow();
    }
}
