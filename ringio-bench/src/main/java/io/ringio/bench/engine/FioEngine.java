package io.ringio.bench.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** fio with ioengine io_uring on the same file and parameters: the yardstick. Needs {@code fio} on the PATH. */
public final class FioEngine implements Engine {
    @Override
    public String name() {
        return "fio io_uring";
    }

    /** Whether fio can be run here. */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "fio"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public BenchResult run(BenchSpec spec) throws Exception {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(spec.durationNanos()));
        List<String> command = List.of("fio", "--name=ringio-bench", "--filename=" + spec.file(),
                "--size=" + spec.fileBytes(), "--rw=randread", "--bs=" + spec.blockBytes(),
                "--direct=" + (spec.direct() ? 1 : 0), "--ioengine=io_uring", "--iodepth=" + spec.depth(),
                "--runtime=" + seconds, "--time_based", "--group_reporting", "--invalidate=0",
                "--output-format=json");
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("fio failed (" + String.join(" ", command) + "): " + errors.strip());
        }
        String read = json.substring(json.indexOf("\"read\""));
        double iops = number(read, "\"iops\"\\s*:\\s*([0-9.]+)");
        double runtimeMs = number(read, "\"runtime\"\\s*:\\s*([0-9.]+)");
        String clat = read.substring(read.indexOf("\"clat_ns\""));
        long p50 = (long) number(clat, "\"50\\.000000\"\\s*:\\s*([0-9]+)");
        long p99 = (long) number(clat, "\"99\\.000000\"\\s*:\\s*([0-9]+)");
        long p999 = (long) number(clat, "\"99\\.900000\"\\s*:\\s*([0-9]+)");
        double usr = number(json, "\"usr_cpu\"\\s*:\\s*([0-9.]+)");
        double sys = number(json, "\"sys_cpu\"\\s*:\\s*([0-9.]+)");
        double wall = runtimeMs / 1000;
        return new BenchResult(name(), Math.round(iops * wall), wall, (usr + sys) / 100 * wall, p50, p99, p999);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("fio's JSON has no match for " + regex);
        }
        return Double.parseDouble(m.group(1));
    }
}
