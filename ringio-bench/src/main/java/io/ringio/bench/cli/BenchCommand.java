package io.ringio.bench.cli;

import io.ringio.bench.engine.BenchResult;
import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.Engine;
import io.ringio.bench.engine.FileChannelEngine;
import io.ringio.bench.engine.FioEngine;
import io.ringio.bench.engine.RingioBlockingEngine;
import io.ringio.bench.engine.RingioFuturesEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Random reads side by side: ringio (futures on one loop, blocking calls on threads), FileChannel
 * and fio, on one file, in one run. A first version: one workload at a time, a plain table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Random reads side by side: ringio, FileChannel and fio (when installed), one table.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Directory of the test file (default: ${DEFAULT-VALUE}).", defaultValue = "/var/tmp")
    Path dir;

    @Option(names = "--size", description = "File size in MiB (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    long sizeMiB;

    @Option(names = "--bs", description = "Block size in bytes (default: ${DEFAULT-VALUE}).", defaultValue = "4096")
    int blockBytes;

    @Option(names = "--qd", description = "Reads in flight, or threads (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int depth;

    @Option(names = "--direct", description = "O_DIRECT (true) or reads of a file in page cache (false).",
            defaultValue = "true", arity = "1")
    boolean direct;

    @Option(names = "--duration", description = "Seconds per engine (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int seconds;

    @Option(names = "--warmup", description = "Seconds of warm-up per engine (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmupSeconds;

    @Option(names = "--engine", split = ",", description = "Engines: futures, blocking-virtual, blocking-platform, "
            + "filechannel, filechannel-virtual, fio (default: all).")
    List<String> engines;

    @Option(names = "--repeat", description = "Measurements per engine; the median is printed (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int repeat;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        if (blockBytes <= 0 || blockBytes % 512 != 0) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                    "--bs=" + blockBytes + " must be a positive multiple of 512");
        }
        if (depth < 1 || seconds < 1 || repeat < 1 || warmupSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                    "--qd, --duration and --repeat must be >= 1, --warmup >= 0");
        }
        if (!Files.isDirectory(dir)) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "--dir=" + dir + " is not a directory");
        }
        Path file = dir.resolve("ringio-bench.dat");
        long fileBytes = sizeMiB << 20;
        prepare(file, fileBytes);
        if (!direct) {
            warmPageCache(file);
        }
        BenchSpec spec = new BenchSpec(file, fileBytes, blockBytes, depth, direct, TimeUnit.SECONDS.toNanos(seconds));
        out.printf(Locale.ROOT, "random %d-byte reads, %s, %d in flight, file %d MiB at %s; %s; %d cores; %d s each%n",
                blockBytes, direct ? "O_DIRECT" : "page cache (hot)", depth, sizeMiB, file,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.getRuntime().availableProcessors(), seconds);
        out.printf(Locale.ROOT, "%-34s %10s %9s %9s %9s %12s%n", "engine", "IOPS", "p50 us", "p99 us", "p99.9 us", "CPU us/read");
        out.flush();
        for (Engine engine : selected()) {
            if (warmupSeconds > 0) {
                engine.run(spec.withDuration(TimeUnit.SECONDS.toNanos(warmupSeconds)));
            }
            List<BenchResult> results = new ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                results.add(engine.run(spec));
            }
            results.sort((a, b) -> Double.compare(a.iops(), b.iops()));
            BenchResult r = results.get(results.size() / 2);
            out.printf(Locale.ROOT, "%-34s %10.0f %9.1f %9.1f %9.1f %12.2f%s%n", r.engine(), r.iops(), r.p50Nanos() / 1e3,
                    r.p99Nanos() / 1e3, r.p999Nanos() / 1e3, r.cpuMicrosPerOp(),
                    repeat > 1 ? String.format(Locale.ROOT, "   (IOPS %.0f..%.0f over %d runs)", results.get(0).iops(),
                            results.get(results.size() - 1).iops(), repeat) : "");
            out.flush();
        }
        return 0;
    }

    private List<Engine> selected() {
        List<String> names = engines == null
                ? List.of("futures", "blocking-virtual", "filechannel", "filechannel-virtual", "fio") : engines;
        List<Engine> chosen = new ArrayList<>();
        for (String name : names) {
            switch (name) {
                case "futures" -> chosen.add(new RingioFuturesEngine());
                case "blocking-virtual" -> chosen.add(new RingioBlockingEngine(true));
                case "blocking-platform" -> chosen.add(new RingioBlockingEngine(false));
                case "filechannel" -> chosen.add(new FileChannelEngine(false));
                case "filechannel-virtual" -> chosen.add(new FileChannelEngine(true));
                case "fio" -> {
                    if (FioEngine.available()) {
                        chosen.add(new FioEngine());
                    } else {
                        commandSpec.commandLine().getErr().println("fio is not on the PATH: skipped");
                    }
                }
                default -> throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                        "--engine=" + name + " is not one of futures, blocking-virtual, blocking-platform, filechannel, "
                                + "filechannel-virtual, fio");
            }
        }
        return chosen;
    }

    /** Creates the file with non-zero contents, unless it is there with the right size. */
    private static void prepare(Path file, long bytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == bytes) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocateDirect(1 << 20);
            java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            for (long written = 0; written < bytes; ) {
                chunk.clear();
                while (chunk.remaining() >= 8) {
                    chunk.putLong(random.nextLong());
                }
                chunk.flip().limit((int) Math.min(chunk.limit(), bytes - written));
                written += channel.write(chunk, written);
            }
            channel.force(true);
        }
    }

    private static void warmPageCache(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocateDirect(1 << 20);
            long position = 0;
            int n;
            while ((n = channel.read(chunk.clear(), position)) > 0) {
                position += n;
            }
        }
    }
}
