package io.ringio.bench.cli;

import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.Engine;
import io.ringio.bench.engine.Engines;
import io.ringio.bench.engine.FioEngine;
import io.ringio.bench.engine.Workload;
import io.ringio.bench.machine.MachineInfo;
import io.ringio.bench.machine.PageCache;
import io.ringio.bench.report.BenchReport;
import io.ringio.bench.report.HtmlReport;
import io.ringio.bench.report.Machine;
import io.ringio.bench.report.Row;
import io.ringio.bench.run.JsonReport;
import io.ringio.bench.run.Measurement;
import io.ringio.bench.run.Progress;
import io.ringio.bench.run.Runner;
import io.ringio.bench.run.Summary;
import io.ringio.bench.run.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringio bench}: workloads side by side on ringio, FileChannel, AsynchronousFileChannel
 * and fio, on one temporary file, in one run, with one table at the end.
 *
 * <p>Each measurement runs in a JVM of its own (see {@link Runner}): a warm-up, then the repeats.
 * Before each one the test file's page cache is set the way the workload says (dropped for
 * O_DIRECT and writes, loaded for buffered reads) and the cache column reports what it was.
 * Ctrl-C stops the measurement running, prints the table of those that finished, and removes the
 * test file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures workloads side by side on ringio, FileChannel, AsynchronousFileChannel and fio (when on the "
                + "PATH), on a temporary file, and prints one table: IOPS, MB/s, latency percentiles, CPU per "
                + "operation, and the ratio to FileChannel.",
            "",
            "Workloads: " + "randread-qd1, randread-qd32, randread-hot, seqread, seqwrite, randwrite-sync.",
            "Engines: ringio-futures, ringio-blocking, filechannel, filechannel-threads, filechannel-virtual, "
                + "async-filechannel, fio.",
            "Without --engine or --full, each workload runs the engines that answer its question "
                + "(about 80 s in all, on the default 1 GiB file).",
            ""
        })
public final class BenchCommand implements Callable<Integer> {
    static final long MAX_BLOCK_BYTES = 64L << 20;
    static final int MAX_DEPTH = 1024;

    @Option(names = "--workload", split = ",", paramLabel = "ID", description = "Workloads to run (default: all).")
    List<String> workloadIds;

    @Option(names = "--engine", split = ",", paramLabel = "ID",
            description = "Engines to run on each workload (default: the representative set).")
    List<String> engineIds;

    @Option(names = "--full", description = "Every engine on every workload chosen.")
    boolean full;

    @Option(names = "--bs", paramLabel = "SIZE", converter = Units.Bytes.class,
            description = "Block size of every workload, e.g. 4k or 128k (default: the workload's).")
    Long blockBytes;

    @Option(names = "--qd", paramLabel = "N", description = "Operations in flight (default: the workload's).")
    Integer depth;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the thread-per-operation engines (default: --qd, else the workload's depth).")
    Integer threads;

    @Option(names = "--size", paramLabel = "SIZE", converter = Units.Bytes.class, defaultValue = "1g",
            description = "Size of the test file (default: ${DEFAULT-VALUE}).")
    long fileBytes;

    @Option(names = "--duration", paramLabel = "TIME", converter = Units.Nanos.class, defaultValue = "750ms",
            description = "Length of each measured run (default: ${DEFAULT-VALUE}).")
    long durationNanos;

    @Option(names = "--warmup", paramLabel = "TIME", converter = Units.Nanos.class, defaultValue = "500ms",
            description = "Unmeasured run before each measurement (default: ${DEFAULT-VALUE}).")
    long warmupNanos;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Measured runs per engine and workload; figures are their medians (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--direct", paramLabel = "true|false", arity = "1",
            description = "O_DIRECT (true) or through the page cache (false) for every workload (default: the workload's).")
    Boolean direct;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory of the temporary test file (default: the system temp directory, ${sys:java.io.tmpdir}).")
    Path dir;

    @Option(names = "--json", description = "Print the results as JSON on stdout instead of the table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the results as one HTML page with charts.")
    Path html;

    @Spec
    CommandSpec commandSpec;

    private final Object reportLock = new Object();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> workloadThreads = new LinkedHashMap<>();
    private boolean reported;
    private volatile boolean stopping;
    private Machine machine;
    private String startedAt;

    @Override
    public Integer call() throws Exception {
        List<Measurement> plan = plan(validated());
        PrintWriter err = commandSpec.commandLine().getErr();
        Progress progress = new Progress(err, Progress.stderrIsTerminal());
        Runner runner = new Runner(progress);
        Path file = Files.createTempFile(dir, "ringio-bench-", ".dat");
        Thread hook = new Thread(() -> {
            stopping = true;
            runner.stop();
            report(false);
            deleteQuietly(file);
        }, "ringio-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            machine = MachineInfo.describe(file);
            long perMeasurement = warmupNanos + (long) repeats * durationNanos;
            progress.line(String.format(Locale.ROOT, "ringio bench: %d measurements, each %s warm-up and %d x %s in "
                    + "a JVM of its own; about %d s", plan.size(), seconds(warmupNanos), repeats,
                    seconds(durationNanos), Math.round(plan.size() * (perMeasurement / 1e9 + 0.6) + 3)));
            progress.begin(0, plan.size(), "writing the " + Table.bytes(fileBytes) + " test file in " + dir);
            fill(file, fileBytes);
            for (int i = 0; i < plan.size() && !stopping; i++) {
                Measurement m = plan.get(i).withFile(file);
                progress.begin(i + 1, plan.size(), m.label());
                String cache = prepareCache(m.spec());
                try {
                    Row row = Summary.row(m, cache, runner.run(m));
                    synchronized (reportLock) {
                        rows.add(row);
                    }
                    progress.done(row);
                } catch (Runner.Failed e) {
                    if (stopping) {
                        break;
                    }
                    progress.failed(e.getMessage());
                    note(m.label() + " " + e.getMessage());
                }
            }
            if (!stopping) {
                report(true);
            }
            return 0;
        } finally {
            if (!stopping) {
                Runtime.getRuntime().removeShutdownHook(hook);
                deleteQuietly(file);
            }
        }
    }

    /** The measurements to run, in order, for a file still to be named. */
    private List<Measurement> plan(Validated v) {
        List<Measurement> plan = new ArrayList<>();
        boolean fioSkipped = false;
        for (Workload w : v.workloads) {
            int bs = blockBytes != null ? blockBytes.intValue() : w.defaultBlockBytes();
            int qd = depth != null ? depth : w.defaultDepth();
            int n = threads != null ? threads : qd;
            boolean directIo = direct != null ? direct : w.defaultDirect();
            BenchSpec spec = new BenchSpec(w.id(), "", fileBytes, bs, qd, n, directIo, warmupNanos, durationNanos, repeats);
            workloadThreads.put(w.id(), n);
            List<String> ids = engineIds != null ? engineIds
                    : full ? Engines.all().stream().map(Engine::id).filter(id -> !(n == 1 && id.equals("filechannel-threads"))).toList()
                    : Engines.representative(w);
            for (String id : ids) {
                if (id.equals("fio") && !FioEngine.available()) {
                    fioSkipped = true;
                    continue;
                }
                plan.add(new Measurement(w, Engines.of(id), spec));
            }
        }
        if (fioSkipped) {
            note("fio is not on the PATH, so it was skipped; install it (apt-get install fio) to compare with it");
        }
        if (plan.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), "nothing to run: no engine of " + engineIds
                    + " is available");
        }
        return plan;
    }

    private record Validated(List<Workload> workloads) {}

    /** Checks every option before anything runs; a bad one is a usage error. */
    private Validated validated() {
        List<Workload> workloads = new ArrayList<>();
        for (String id : workloadIds != null ? workloadIds : Workload.all().stream().map(Workload::id).toList()) {
            try {
                workloads.add(Workload.of(id.strip()));
            } catch (IllegalArgumentException e) {
                throw usage("--workload: " + e.getMessage());
            }
        }
        if (engineIds != null) {
            for (String id : engineIds) {
                try {
                    Engines.of(id);
                } catch (IllegalArgumentException e) {
                    throw usage("--engine: " + e.getMessage());
                }
            }
        }
        if (blockBytes != null && (blockBytes <= 0 || blockBytes > MAX_BLOCK_BYTES)) {
            throw usage("--bs=" + blockBytes + " must be between 1 and " + Table.bytes(MAX_BLOCK_BYTES));
        }
        if (depth != null && (depth < 1 || depth > MAX_DEPTH)) {
            throw usage("--qd=" + depth + " must be between 1 and " + MAX_DEPTH);
        }
        if (threads != null && (threads < 1 || threads > MAX_DEPTH)) {
            throw usage("--threads=" + threads + " must be between 1 and " + MAX_DEPTH);
        }
        if (durationNanos < TimeUnit.MILLISECONDS.toNanos(10) || durationNanos > TimeUnit.HOURS.toNanos(1)) {
            throw usage("--duration must be between 10ms and 1 hour");
        }
        if (warmupNanos < 0 || warmupNanos > TimeUnit.HOURS.toNanos(1)) {
            throw usage("--warmup must be between 0 and 1 hour");
        }
        if (repeats < 1 || repeats > 99) {
            throw usage("--repeat=" + repeats + " must be between 1 and 99");
        }
        for (Workload w : workloads) {
            long bs = blockBytes != null ? blockBytes : w.defaultBlockBytes();
            boolean directIo = direct != null ? direct : w.defaultDirect();
            if (directIo && bs % 512 != 0) {
                throw usage("--bs=" + bs + " must be a multiple of 512 for O_DIRECT (workload " + w.id() + ")");
            }
            if (fileBytes < bs) {
                throw usage("--size=" + fileBytes + " is too small for blocks of " + bs + " bytes (workload " + w.id() + ")");
            }
        }
        if (dir == null) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (!Files.isDirectory(dir)) {
            throw usage("--dir=" + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw usage("--dir=" + dir + " is not writable");
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < fileBytes + (64L << 20)) {
                throw usage("--dir=" + dir + " has " + Table.bytes(free) + " free, too little for a "
                        + Table.bytes(fileBytes) + " test file");
            }
        } catch (IOException e) {
            throw usage("--dir=" + dir + ": " + e.getMessage());
        }
        if (html != null) {
            Path parent = html.toAbsolutePath().getParent();
            if (Files.isDirectory(html) || parent == null || !Files.isDirectory(parent)) {
                throw usage("--html=" + html + " must be a file in an existing directory");
            }
        }
        return new Validated(workloads);
    }

    private ParameterException usage(String message) {
        return new ParameterException(commandSpec.commandLine(), message);
    }

    /** Sets the file's page cache the way {@code spec} needs it and says how it stood. */
    private static String prepareCache(BenchSpec spec) throws IOException {
        if (spec.direct() || spec.kind().write()) {
            PageCache.evict(spec.path());
            return spec.direct() ? "direct" : "cold";
        }
        PageCache.warm(spec.path());
        double resident = PageCache.residentFraction(spec.path());
        return resident >= 0.99 ? "hot" : String.format(Locale.ROOT, "%.0f%% hot", resident * 100);
    }

    /** Prints the report once: at the end of the run, or from the Ctrl-C hook with what finished. */
    private void report(boolean complete) {
        synchronized (reportLock) {
            if (reported) {
                return;
            }
            reported = true;
            if (machine == null) {
                return;
            }
            String command = "ringio " + String.join(" ", commandSpec.root().commandLine().getParseResult().originalArgs());
            BenchReport report = new BenchReport(machine, command.strip(), startedAt, fileBytes,
                    Summary.withRatios(rows, workloadThreads), notes, complete);
            PrintWriter out = commandSpec.commandLine().getOut();
            PrintWriter err = commandSpec.commandLine().getErr();
            try {
                if (json) {
                    out.println(JsonReport.render(report));
                } else {
                    out.println();
                    Table.print(report, out);
                }
                out.flush();
                if (html != null) {
                    HtmlReport.write(report, html);
                    err.println("ringio bench: wrote " + html);
                }
            } catch (IOException e) {
                err.println("ringio bench: could not write the report: " + e.getMessage());
            }
            err.flush();
        }
    }

    private void note(String text) {
        synchronized (reportLock) {
            notes.add(text);
        }
    }

    /** Writes {@code bytes} of data that does not compress, and forces it to the disk. */
    private static void fill(Path file, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            SplittableRandom random = new SplittableRandom(1);
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("ringio bench: could not remove " + file + ": " + e.getMessage());
        }
    }

    private static String seconds(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        return nanos < 1_000_000_000L ? nanos / 1_000_000 + " ms" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
