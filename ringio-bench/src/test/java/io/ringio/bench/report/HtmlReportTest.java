package io.ringio.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringio.bench.report.SampleReports.report;
import static io.ringio.bench.report.SampleReports.row;
import static io.ringio.bench.report.SampleReports.typical;
import static io.ringio.bench.report.SampleReports.withCurve;
import static io.ringio.bench.report.SampleReports.withoutCurve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HtmlReportTest {
    private static final String DOCTYPE = "<!DOCTYPE html>\n";
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    @Test
    void isWellFormedXmlAfterTheDoctype() throws Exception {
        String html = HtmlReport.render(typical());

        assertThat(html).startsWith(DOCTYPE);
        assertThat(parse(html).getDocumentElement().getTagName()).isEqualTo("html");
    }

    @Test
    void drawsOneIopsChartOneCpuChartAndOnePercentilePlotPerWorkload() throws Exception {
        Document page = parse(HtmlReport.render(typical()));

        List<Element> sections = byClass(page, "section", "workload");
        assertThat(sections).extracting(section -> section.getAttribute("data-workload"))
                .containsExactly("randread-qd32", "randread-qd1");
        for (Element section : sections) {
            assertThat(charts(section, "iops")).hasSize(1);
            assertThat(charts(section, "cpu")).hasSize(1);
            assertThat(charts(section, "latency")).hasSize(1);
        }
    }

    @Test
    void groupsInterleavedRowsByWorkloadInOrderOfFirstAppearance() throws Exception {
        BenchReport report = report(List.of(
                row("b", "futures", "futures", 100, 50, 1, 1.1, 0.9),
                row("a", "futures", "futures", 200, 50, 1, 1.1, 0.9),
                row("b", "filechannel", "FileChannel", 90, 60, 1, 1.0, 1.0)), List.of(), true);

        Document page = parse(HtmlReport.render(report));

        List<Element> sections = byClass(page, "section", "workload");
        assertThat(sections).extracting(section -> section.getAttribute("data-workload")).containsExactly("b", "a");
        assertThat(bars(charts(sections.getFirst(), "iops").getFirst())).hasSize(2);
    }

    @Test
    void drawsOneBarPerRowInEachBarChart() throws Exception {
        Document page = parse(HtmlReport.render(typical()));

        Element first = byClass(page, "section", "workload").getFirst();
        assertThat(bars(charts(first, "iops").getFirst())).hasSize(4);
        assertThat(bars(charts(first, "cpu").getFirst())).hasSize(4);
        assertThat(bars(charts(first, "machine-cpu").getFirst())).hasSize(4);
        assertThat(byClass(page, "rect", "bar")).hasSize(3 * typical().rows().size());
    }

    @Test
    void theFastestEngineHasTheWidestIopsBar() throws Exception {
        BenchReport report = report(List.of(
                row("w", "filechannel", "FileChannel", 120_000, 100, 3, 1.0, 1.0),
                row("w", "futures", "ringio futures", 180_000, 90, 2, 1.5, 0.66),
                row("w", "fio", "fio io_uring", 150_000, 95, 2.5, 1.25, 0.83)), List.of(), true);

        Element chart = charts(parse(HtmlReport.render(report)).getDocumentElement(), "iops").getFirst();

        List<Element> bars = bars(chart);
        Element widest = bars.stream().max((a, b) -> Double.compare(width(a), width(b))).orElseThrow();
        assertThat(((Element) widest.getParentNode()).getAttribute("data-engine")).isEqualTo("futures");
        assertThat(width(widest)).isLessThanOrEqualTo(SvgBarChart.BAR_WIDTH_MAX);
    }

    @Test
    void lowerCpuDrawsAShorterBar() throws Exception {
        BenchReport report = report(List.of(
                row("w", "filechannel", "FileChannel", 120_000, 100, 4, 1.0, 1.0),
                row("w", "futures", "ringio futures", 180_000, 90, 2, 1.5, 0.5)), List.of(), true);

        List<Element> bars = bars(charts(parse(HtmlReport.render(report)).getDocumentElement(), "cpu").getFirst());

        assertThat(width(bars.get(1))).isCloseTo(width(bars.get(0)) / 2, within(0.2));
    }

    @Test
    void labelsTheRatioToFileChannel() throws Exception {
        BenchReport report = report(List.of(
                row("w", "futures", "ringio futures", 182_400, 90, 2, 1.12, 0.61),
                row("w", "filechannel", "FileChannel", 162_800, 100, 3, 1.0, 1.0)), List.of(), true);

        Element iops = charts(parse(HtmlReport.render(report)).getDocumentElement(), "iops").getFirst();

        assertThat(iops.getTextContent()).contains("182,400 IOPS").contains("1.12\u00d7 FileChannel");
    }

    @Test
    void nanRatiosProduceNoTimesLabel() throws Exception {
        BenchReport report = report(List.of(
                row("w", "futures", "ringio futures", 182_400, 90, 2, Double.NaN, Double.NaN),
                row("w", "fio", "fio io_uring", 170_000, 95, 2.5, Double.NaN, Double.NaN)), List.of(), true);

        Document page = parse(HtmlReport.render(report));

        for (Element chart : byClass(page, "svg", "chart")) {
            assertThat(chart.getTextContent()).doesNotContain("\u00d7");
        }
        assertThat(byClass(page, "tspan", "ratio")).isEmpty();
        for (Element row : rowsOfTheTable(page)) {
            List<String> cells = cells(row);
            int n = cells.size();
            assertThat(List.of(cells.get(n - 4), cells.get(n - 3), cells.get(n - 1)))
                    .as("the ratios to FileChannel: IOPS, CPU, machine CPU").containsOnly("n/a");
        }
    }

    @Test
    void zeroOrNanValuesDrawNoBarAndSayNotAvailable() throws Exception {
        BenchReport report = report(List.of(
                row("w", "futures", "ringio futures", 182_400, 90, 2, 1.1, 0.9),
                row("w", "stalled", "stalled engine", 0, 90, Double.NaN, Double.NaN, Double.NaN),
                row("w", "broken", "broken engine", Double.NaN, 90, 0, Double.NaN, Double.NaN)), List.of(), true);

        Document page = parse(HtmlReport.render(report));

        for (String kind : List.of("iops", "cpu", "machine-cpu")) {
            Element chart = charts(page.getDocumentElement(), kind).getFirst();
            assertThat(bars(chart)).hasSize(1);
            List<Element> notAvailable = descendants(chart, "text", "na");
            assertThat(notAvailable).hasSize(2).allSatisfy(text -> assertThat(text.getTextContent()).isEqualTo("n/a"));
        }
    }

    @Test
    void aReportOfNothingButNotAvailableValuesStillRenders() throws Exception {
        BenchReport report = report(List.of(
                row("w", "broken", "broken engine", Double.NaN, 90, Double.NaN, Double.NaN, Double.NaN)), List.of(), false);

        Document page = parse(HtmlReport.render(report));

        assertThat(byClass(page, "rect", "bar")).isEmpty();
        assertThat(byClass(page, "svg", "chart")).hasSize(4);
    }

    @Test
    void escapesHostileStringsFromTheReport() throws Exception {
        String hostile = "<script>&\"'";
        Row row = row("w<x>", "evil\"id", hostile, 1000, 90, 2, 1.0, 1.0);
        Row hostileRow = new Row(row.workload(), hostile, row.engine(), hostile, hostile, row.blockBytes(), row.depth(),
                row.threads(), row.repeats(), row.iops(), row.iopsMin(), row.iopsMax(), row.megabytesPerSecond(),
                row.p50Nanos(), row.p99Nanos(), row.p999Nanos(), row.cpuSecondsPerMillion(), row.iopsVsFileChannel(),
                row.cpuVsFileChannel(), row.curve(), row.p50Spread(), row.p99Spread(), row.p999Spread(), row.cpuSpread(),
                row.machineCpuSecondsPerMillion(), row.machineCpuVsFileChannel(), row.machineCpuSpread());
        Machine machine = new Machine(hostile, 2, 1L << 30, hostile, hostile, hostile, hostile);
        BenchReport report = new BenchReport(machine, "./ringio bench " + hostile, hostile, 1 << 20,
                List.of(hostileRow), List.of(hostile), true);

        String html = HtmlReport.render(report);
        Document page = parse(html);

        assertThat(html).doesNotContain("<script");
        assertThat(page.getElementsByTagName("script").getLength()).isZero();
        assertThat(page.getDocumentElement().getTextContent()).contains(hostile).contains("./ringio bench " + hostile);
        assertThat(byClass(page, "section", "workload").getFirst().getAttribute("data-workload")).isEqualTo("w<x>");
        assertThat(bars(charts(page.getDocumentElement(), "iops").getFirst()).getFirst().getParentNode()
                .getAttributes().getNamedItem("data-engine").getNodeValue()).isEqualTo("evil\"id");
    }

    @Test
    void replacesCharactersThatXmlForbids() throws Exception {
        Row row = row("w", "futures", "bell\u0007 and a lone \ud800 surrogate", 1000, 90, 2, 1.0, 1.0);

        Document page = parse(HtmlReport.render(report(List.of(row), List.of(), true)));

        assertThat(page.getDocumentElement().getTextContent()).contains("bell\ufffd and a lone \ufffd surrogate");
    }

    @Test
    void cutsAVeryLongEngineTitleInChartsButKeepsItWholeInTheTooltipAndTable() throws Exception {
        String title = "an engine whose title goes on ".repeat(5).strip();
        BenchReport report = report(List.of(row("w", "long", title, 1000, 90, 2, Double.NaN, Double.NaN)), List.of(), true);

        Document page = parse(HtmlReport.render(report));

        Element label = descendants(charts(page.getDocumentElement(), "iops").getFirst(), "text", "label").getFirst();
        assertThat(label.getTextContent()).hasSize(SvgBarChart.LABEL_CHARS_MAX).endsWith("\u2026");
        assertThat(descendants(charts(page.getDocumentElement(), "iops").getFirst(), "title", null))
                .anySatisfy(tooltip -> assertThat(tooltip.getTextContent()).contains(title));
        assertThat(cells(rowsOfTheTable(page).getFirst())).contains(title);
    }

    @Test
    void aSingleRowFillsTheBarArea() throws Exception {
        BenchReport report = report(List.of(row("w", "futures", "ringio futures", 1000, 90, 2, 1.0, 1.0)), List.of(), true);

        Element chart = charts(parse(HtmlReport.render(report)).getDocumentElement(), "iops").getFirst();

        // The whisker reaches 5% past the median, so the bar is the median's share of the whole area.
        assertThat(width(bars(chart).getFirst())).isCloseTo(SvgBarChart.BAR_WIDTH_MAX / 1.05, within(0.2));
    }

    @Test
    void incompleteReportShowsTheWarning() throws Exception {
        Document incomplete = parse(HtmlReport.render(report(typical().rows(), List.of(), false)));
        Document complete = parse(HtmlReport.render(typical()));

        assertThat(byClass(incomplete, "p", "warning")).singleElement()
                .satisfies(warning -> assertThat(warning.getTextContent()).contains("stopped"));
        assertThat(byClass(complete, "p", "warning")).isEmpty();
    }

    @Test
    void showsTheMachineCommandAndNotes() throws Exception {
        Document page = parse(HtmlReport.render(typical()));

        String header = page.getElementsByTagName("header").item(0).getTextContent();
        assertThat(header).contains(typical().command(), "AMD EPYC 7B13", "8.0 GiB", "6.18.44", "25+36-LTS Temurin",
                "nvme0n1 (Samsung PM9A3)", "ext4", "1 GiB", "2026-11-22T01:29:55Z");
        assertThat(page.getElementsByTagName("li").getLength()).isEqualTo(typical().notes().size());
    }

    @Test
    void referencesNothingOnTheNetwork() {
        String html = HtmlReport.render(typical());

        assertThat(html.replace(SVG_NAMESPACE, "")).doesNotContain("http://", "https://", "<script", "<link", "<img",
                "src=", "url(", "@import");
    }

    @Test
    void usesNoNamedEntitiesThatXmlDoesNotKnow() {
        String html = HtmlReport.render(typical());

        Matcher entity = Pattern.compile("&([a-zA-Z][a-zA-Z0-9]*);").matcher(html);
        while (entity.find()) {
            assertThat(entity.group(1)).isIn("amp", "lt", "gt", "quot", "apos");
        }
    }

    @Test
    void everyEngineKeepsItsColourAcrossChartsAndEnginesDiffer() throws Exception {
        Document page = parse(HtmlReport.render(typical()));

        java.util.Map<String, String> colourByEngine = new java.util.HashMap<>();
        for (Element bar : byClass(page, "rect", "bar")) {
            String engine = ((Element) bar.getParentNode()).getAttribute("data-engine");
            String previous = colourByEngine.putIfAbsent(engine, bar.getAttribute("fill"));
            assertThat(previous).as("colour of %s", engine).isIn(null, bar.getAttribute("fill"));
        }
        for (Element curve : byClass(page, "polyline", "curve")) {
            assertThat(curve.getAttribute("stroke")).isEqualTo(colourByEngine.get(curve.getAttribute("data-engine")));
        }
        assertThat(colourByEngine).hasSize(4);
        assertThat(colourByEngine.values()).doesNotHaveDuplicates();
    }

    @Test
    void plotsOneCurvePerRowWithACurveAndSkipsTheRest() throws Exception {
        List<Row> rows = new ArrayList<>(typical().rows().subList(0, 4));
        rows.set(1, withoutCurve(rows.get(1)));

        Element plot = charts(parse(HtmlReport.render(report(rows, List.of(), true))).getDocumentElement(), "latency")
                .getFirst();

        assertThat(descendants(plot, "polyline", "curve")).extracting(curve -> curve.getAttribute("data-engine"))
                .containsExactly("futures", "filechannel", "filechannel-virtual");
        assertThat(descendants(plot, "g", "legend-entry")).extracting(entry -> entry.getAttribute("data-engine"))
                .containsExactly("futures", "filechannel", "filechannel-virtual");
    }

    @Test
    void skipsACurveWithNothingToPlaceAndDrawsAOnePointCurveAsADot() throws Exception {
        Row futures = row("w", "futures", "ringio futures", 1000, 90, 2, 1.0, 1.0);
        List<Row> rows = List.of(
                withCurve(futures, List.of(new Percentile(50, 90_000))),
                withCurve(row("w", "zeros", "zeros", 1000, 90, 2, 1.0, 1.0),
                        List.of(new Percentile(50, 0), new Percentile(100, 0))),
                withCurve(row("w", "max", "only the maximum", 1000, 90, 2, 1.0, 1.0), List.of(new Percentile(100, 5_000))));

        Element plot = charts(parse(HtmlReport.render(report(rows, List.of(), true))).getDocumentElement(), "latency")
                .getFirst();

        assertThat(descendants(plot, "polyline", "curve")).extracting(curve -> curve.getAttribute("data-engine"))
                .containsExactly("futures");
        assertThat(descendants(plot, "circle", "point")).hasSize(1);
    }

    @Test
    void aWorkloadWithoutCurvesSaysSoInsteadOfAnEmptyPlot() throws Exception {
        Row row = withoutCurve(row("w", "futures", "ringio futures", 1000, 90, 2, 1.0, 1.0));

        Document page = parse(HtmlReport.render(report(List.of(row), List.of(), true)));

        assertThat(charts(page.getDocumentElement(), "latency")).isEmpty();
        assertThat(byClass(page, "section", "workload").getFirst().getTextContent())
                .contains("No latency distribution was recorded");
    }

    @Test
    void percentileAxisIsANinesScaleTickedAtFiftyToFourNines() throws Exception {
        Element plot = charts(parse(HtmlReport.render(typical())).getDocumentElement(), "latency").getFirst();

        List<Element> ticks = descendants(plot, "text", "tick").stream()
                .filter(tick -> tick.getAttribute("text-anchor").equals("middle")).toList();
        assertThat(ticks).extracting(Element::getTextContent).startsWith("50", "90", "99", "99.9", "99.99");
        double[] x = ticks.stream().mapToDouble(tick -> Double.parseDouble(tick.getAttribute("x"))).toArray();
        double nine = x[2] - x[1];
        assertThat(nine).isPositive();
        assertThat(x[3] - x[2]).isCloseTo(nine, within(0.2));
        assertThat(x[4] - x[3]).isCloseTo(nine, within(0.2));
        assertThat(x[1] - x[0]).isCloseTo(nine * (1 - Math.log10(2)), within(0.2));
    }

    @Test
    void latencyAxisIsLogarithmicWithReadableUnits() throws Exception {
        Element plot = charts(parse(HtmlReport.render(typical())).getDocumentElement(), "latency").getFirst();

        List<Element> ticks = descendants(plot, "text", "tick").stream()
                .filter(tick -> tick.getAttribute("text-anchor").equals("end")).toList();
        assertThat(ticks).extracting(Element::getTextContent).contains("100 \u00b5s", "1 ms")
                .allSatisfy(label -> assertThat(label).matches("\\d+ (ns|\u00b5s|ms|s)"));
        double y100Micros = tickY(ticks, "100 \u00b5s");
        double y1Milli = tickY(ticks, "1 ms");
        double y10Millis = tickY(ticks, "10 ms");
        assertThat(y1Milli).isLessThan(y100Micros);
        assertThat(y100Micros - y1Milli).isCloseTo(y1Milli - y10Millis, within(0.2));
    }

    @Test
    void leavesOutTheHundredthPercentileWhichLiesAtInfinity() throws Exception {
        Element plot = charts(parse(HtmlReport.render(typical())).getDocumentElement(), "latency").getFirst();

        for (Element curve : descendants(plot, "polyline", "curve")) {
            List<Double> xs = Arrays.stream(curve.getAttribute("points").split(" "))
                    .map(point -> Double.parseDouble(point.split(",")[0])).toList();
            assertThat(xs).allSatisfy(x -> assertThat(x).isBetween((double) SvgPercentilePlot.PLOT_LEFT,
                    (double) SvgPercentilePlot.PLOT_RIGHT));
            assertThat(xs).isSorted().hasSize(typical().rows().getFirst().curve().size() - 1);
        }
    }

    @Test
    void tableHasEveryRowWithItsFiguresUnderItsWorkload() throws Exception {
        Document page = parse(HtmlReport.render(typical()));

        List<Element> groups = descendants(byClass(page, "table", "results").getFirst(), "tbody", null);
        assertThat(groups).extracting(group -> group.getAttribute("data-workload"))
                .containsExactly("randread-qd32", "randread-qd1");
        assertThat(groups.getFirst().getElementsByTagName("th").item(0).getTextContent())
                .contains("randread-qd32", "Random 4 KiB reads, randread-qd32");

        List<Element> rows = rowsOfTheTable(page);
        assertThat(rows).hasSize(typical().rows().size());
        assertThat(cells(rows.getFirst())).containsExactly("ringio futures, 1 loop, 32 in flight",
                "direct", "4 KiB", "32", "1", "3", "182,400", "173,280\u2013191,520", "747", "170", "425", "1,020",
                "2.10", "1.12\u00d7", "0.61\u00d7", "2.52", "0.61\u00d7");
    }

    @Test
    void writeStoresTheRenderedPageInUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "an older report that is longer than nothing");

        HtmlReport.write(typical(), file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(typical()));
    }

    private static Document parse(String html) throws Exception {
        assertThat(html).startsWith(DOCTYPE);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html.substring(DOCTYPE.length()))));
    }

    private static List<Element> charts(Element scope, String kind) {
        return descendants(scope, "svg", "chart-" + kind);
    }

    private static List<Element> bars(Element chart) {
        return descendants(chart, "rect", "bar");
    }

    private static List<Element> byClass(Document page, String tag, String cssClass) {
        return descendants(page.getDocumentElement(), tag, cssClass);
    }

    /** Elements named {@code tag} under {@code scope} whose class list holds {@code cssClass}, or all when null. */
    private static List<Element> descendants(Element scope, String tag, String cssClass) {
        NodeList nodes = scope.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (cssClass == null || Arrays.asList(element.getAttribute("class").split(" ")).contains(cssClass)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The table's rows of figures, without the workloads' heading rows. */
    private static List<Element> rowsOfTheTable(Document page) {
        return descendants(byClass(page, "table", "results").getFirst(), "tr", null).stream()
                .filter(row -> row.hasAttribute("data-engine")).toList();
    }

    private static List<String> cells(Element row) {
        return descendants(row, "td", null).stream().map(Element::getTextContent).toList();
    }

    private static double width(Element bar) {
        return Double.parseDouble(bar.getAttribute("width"));
    }

    private static double tickY(List<Element> ticks, String label) {
        return ticks.stream().filter(tick -> tick.getTextContent().equals(label)).mapToDouble(tick ->
                Double.parseDouble(tick.getAttribute("y"))).findFirst().orElseThrow(() -> new AssertionError(label));
    }
}
