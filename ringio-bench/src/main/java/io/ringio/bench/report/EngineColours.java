package io.ringio.bench.report;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One colour per engine id, the same in every chart of a page, so that a reader who has found
 * "futures" in the first chart finds it again by colour in the others. Engines take colours in
 * the order they first appear in the report.
 */
final class EngineColours {
    /**
     * Okabe and Ito's colour-blind-safe palette without its yellow (too pale on white) and black
     * (reserved for whiskers and axes), then brown and grey.
     */
    private static final List<String> PALETTE = List.of(
            "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#8c564b", "#7f7f7f");
    /** Beyond the palette, hues step by the golden angle, which keeps neighbours far apart. */
    private static final double GOLDEN_ANGLE_DEGREES = 137.508;

    private final Map<String, String> colourByEngine = new HashMap<>();

    private EngineColours() {}

    /** Colours for every engine in {@code rows}, given in order of first appearance. */
    static EngineColours inOrderOf(List<Row> rows) {
        EngineColours colours = new EngineColours();
        for (Row row : rows) {
            colours.colourByEngine.computeIfAbsent(row.engine(), _ -> colourNumber(colours.colourByEngine.size()));
        }
        return colours;
    }

    /** The engine's colour as an SVG/CSS colour value; an engine not in the report is an error of ours. */
    String of(String engine) {
        String colour = colourByEngine.get(engine);
        if (colour == null) {
            throw new AssertionError("engine=" + engine + " is not in the report");
        }
        return colour;
    }

    private static String colourNumber(int index) {
        if (index < PALETTE.size()) {
            return PALETTE.get(index);
        }
        double hue = (index - PALETTE.size()) * GOLDEN_ANGLE_DEGREES % 360;
        return String.format(Locale.ROOT, "hsl(%.0f, 60%%, 42%%)", hue);
    }
}
