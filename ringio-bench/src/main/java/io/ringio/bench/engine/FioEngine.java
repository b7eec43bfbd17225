package io.ringio.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringio.bench.report.Percentile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * fio with ioengine io_uring on the same file and parameters: the yardstick. Needs {@code fio} on
 * the PATH. Each window is one fio process; the bench runs it from its own JVM, since fio is a
 * process of its own anyway.
 *
 * <p>With fdatasync after each write, fio's latencies are of the write alone (it reports the
 * fdatasync apart), while its IOPS count each write with its fdatasync as the other engines do.
 */
public final class FioEngine implements Engine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return "fio";
    }

    @Override
    public String title(BenchSpec spec) {
        return "fio io_uring, " + spec.depth() + " in flight";
    }

    @Override
    public int threads(BenchSpec spec) {
        return 1;
    }

    @Override
    public int depth(BenchSpec spec) {
        return spec.depth();
    }

    /** Whether fio can be run here: an executable {@code fio} in a directory of PATH. */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "fio"))) {
                return true;
            }
        }
        return false;
    }

    /** The fio command for window {@code window} (its random seed) of {@code nanos}. */
    static List<String> command(BenchSpec spec, int window, long nanos) {
        Workload w = spec.kind();
        String rw = w.write() ? (w.sequential() ? "write" : "randwrite") : (w.sequential() ? "read" : "randread");
        // fio splits --filename at ':' unless it is escaped.
        List<String> command = new ArrayList<>(List.of("fio", "--name=ringio-bench",
                "--filename=" + spec.file().replace(":", "\\:"),
                "--size=" + spec.blocks() * spec.blockBytes(), "--rw=" + rw, "--bs=" + spec.blockBytes(),
                "--direct=" + (spec.direct() ? 1 : 0), "--ioengine=io_uring", "--iodepth=" + spec.depth(),
                "--runtime=" + Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)) + "ms", "--time_based",
                "--invalidate=0", "--randseed=" + (window + 1), "--lat_percentiles=1", "--clat_percentiles=0",
                "--percentile_list=" + Arrays.stream(Measured.PERCENTS).mapToObj(p -> String.format(Locale.ROOT, "%s", p))
                        .collect(Collectors.joining(":")),
                "--output-format=json"));
        if (w.syncEach()) {
            command.add("--fdatasync=1");
        }
        return command;
    }

    /** One fio process for the window; its stderr goes to a file, so that neither pipe can fill up. */
    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws IOException, InterruptedException {
        List<String> command = command(spec, window, nanos);
        Path errors = Files.createTempFile("ringio-bench-fio-", ".err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TimeUnit.NANOSECONDS.toSeconds(nanos) + 60, TimeUnit.SECONDS)) {
                throw new IOException("fio did not finish a window of " + nanos / 1_000_000 + " ms within a minute more");
            }
            if (process.exitValue() != 0) {
                throw new IOException("fio failed (" + String.join(" ", command) + "): "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return parse(out, spec.kind().write() ? "write" : "read");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
    }

    /** The sample in fio's JSON output; {@code direction} is "read" or "write". */
    static Sample parse(byte[] json, String direction) throws IOException {
        JsonNode job = JSON.readTree(fioJson(json)).path("jobs").path(0);
        JsonNode side = job.path(direction);
        if (side.isMissingNode() || !side.has("total_ios")) {
            throw new IOException("fio's JSON has no jobs[0]." + direction + ".total_ios");
        }
        long ops = side.path("total_ios").asLong();
        double seconds = side.path("runtime").asDouble() / 1000;
        double cpuSeconds = (job.path("usr_cpu").asDouble() + job.path("sys_cpu").asDouble()) / 100 * seconds;
        List<Percentile> curve = new ArrayList<>();
        side.path("lat_ns").path("percentile").properties().forEach(e -> curve.add(
                new Percentile(Double.parseDouble(e.getKey()), e.getValue().asLong())));
        curve.sort((a, b) -> Double.compare(a.percent(), b.percent()));
        // The machine's CPU is not measured: fio's window lies inside its process, whose start (about
        // 0.3 CPU seconds on the development VM) and end cannot be told apart from outside.
        return new Sample(ops, seconds, cpuSeconds, Double.NaN, curve);
    }

    /** fio may print notes before its JSON; the JSON starts at the first line that is "{". */
    private static byte[] fioJson(byte[] out) {
        String text = new String(out, StandardCharsets.UTF_8);
        int start = text.startsWith("{") ? 0 : text.indexOf("\n{");
        return (start < 0 ? text : text.substring(start)).getBytes(StandardCharsets.UTF_8);
    }
}
