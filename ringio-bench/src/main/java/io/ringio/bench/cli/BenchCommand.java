package io.ringio.bench.cli;

import io.ringio.bench.engine.BenchSpec;
import io.ringio.bench.engine.Engine;
import io.ringio.bench.engine.Engines;
import io.ringio.bench.engine.FioEngine;
import io.ringio.bench.engine.Sample;
import io.ringio.bench.engine.Workload;
import io.ringio.bench.machine.MachineInfo;
import io.ringio.bench.machine.PageCache;
import io.ringio.bench.report.BenchReport;
import io.ringio.bench.report.HtmlReport;
import io.ringio.bench.report.Machine;
import io.ringio.bench.report.Row;
import io.ringio.bench.report.Sizes;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringio bench}: workloads side by side on ringio, FileChannel, AsynchronousFileChannel
 * and fio, on one temporary file, in one run, with one table at the end.
 *
 * <p>Each measurement runs in a JVM of its own (see {@link Runner}): a warm-up, then the repeats,
 * the windows of a workload's engines interleaved round by round. Before each window the test
 * file's page cache is set the way the workload says (dropped for O_DIRECT and writes, loaded
 * for buffered reads) and the cache column reports what it was. Ctrl-C stops every worker,
 * prints the table of the measurements that finished, and removes the test file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures workloads side by side on ringio, FileChannel, AsynchronousFileChannel and fio (when on the "
                + "PATH), on a temporary file, and prints one table: IOPS, MB/s, latency percentiles, CPU per "
                + "operation, and the ratio to FileChannel.",
            "",
            "Workloads: " + "randread-qd1, randread-qd32, randread-hot, seqread, seqwrite, randwrite-sync.",
            "Engines: ringio-futures, ringio-futures-eager, ringio-futures-turn, ringio-blocking, ringio-blocking-spin, "
                + "ringio-blocking-loop, "
                + "filechannel, filechannel-threads, filechannel-virtual, async-filechannel, fio.",
            "Without --engine or --full, each workload runs the engines that answer its question "
                + "(about two minutes in all, on the default 1 GiB file).",
            ""
        })
public final class BenchCommand implements Callable<Integer> {
    static final long BLOCK_BYTES_MAX = 64L << 20;
    static final int DEPTH_MAX = 1024;
    /** Block size times operations in flight: the buffers one measurement holds. */
    static final long BYTES_IN_FLIGHT_MAX = 1L << 30;
    /** Shorter windows than this make the CPU and latency figures noise. */
    static final long DURATION_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long DURATION_MAX_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int REPEATS_MAX = 99;

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
            description = "Unmeasured time before each measurement, run as two halves (default: ${DEFAULT-VALUE}).")
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
    /** The finished measurements' rows by their place in the plan: rounds finish them in any order, the table keeps the plan's. */
    private final Map<Integer, Row> rows = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> workloadThreads = new LinkedHashMap<>();
    private boolean reported;
    private boolean failures;
    private volatile boolean stopping;
    private volatile Path file;
    private volatile Machine machine;
    private volatile String startedAt;

    @Override
    public Integer call() throws Exception {
        List<Measurement> plan = plan(validated());
        PrintWriter err = commandSpec.commandLine().getErr();
        Progress progress = new Progress(err, io.ringio.bench.machine.ThisProcess.stderrIsTerminal());
        Runner runner = new Runner(progress);
        Thread hook = new Thread(() -> {
            stopping = true;
            try {
                runner.stop();
                report(false);
            } finally {
                deleteQuietly(file);
            }
        }, "ringio-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            file = Files.createTempFile(dir, "ringio-bench-", ".dat");
            startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            machine = MachineInfo.describe(file);
            if (machine.disk().startsWith("no block device")) {
                note("the test file is on " + machine.disk() + ": O_DIRECT and dropping the page cache do not reach a "
                        + "disk there, so the figures are of memory");
            }
            long perMeasurement = warmupNanos + (long) repeats * durationNanos;
            progress.line(String.format(Locale.ROOT, "ringio bench: %d measurement%s, each in a JVM of its own: %s "
                    + "warm-up, then %d window%s of %s, interleaved round by round with the other engines of its "
                    + "workload; about %d s", plan.size(), plan.size() == 1 ? "" : "s", seconds(warmupNanos), repeats,
                    repeats == 1 ? "" : "s", seconds(durationNanos),
                    Math.round(plan.size() * (perMeasurement / 1e9 + 0.6) + 3)));
            progress.begin(Progress.numbered(0, plan.size(), "writing the " + Sizes.binary(fileBytes) + " test file in "
                    + dir));
            fill(file, fileBytes);
            for (int first = 0; first < plan.size() && !stopping; ) {
                Workload w = plan.get(first).workload();
                List<Measurement> workload = new ArrayList<>();
                for (int i = first; i < plan.size() && plan.get(i).workload() == w; i++) {
                    workload.add(plan.get(i).withFile(file));
                }
                progress.begin(Progress.numbered(first + 1, first + workload.size(), plan.size(), w.id()));
                runner.run(workload, new Rounds(progress, workload, first, plan.size()));
                first += workload.size();
            }
            return stopping ? 130 : report(true) && !failures ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            // What finished is still worth printing, with what stopped the run.
            note("the run stopped: " + e);
            report(false);
            throw e;
        } finally {
            if (!stopping) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C came in just now: the hook reports and removes the file.
                }
                deleteQuietly(file);
            }
        }
    }

    /**
     * What the bench does around one workload's windows: sets the page cache before each (another
     * engine ran since, and may have left it otherwise), and turns each finished measurement into
     * a row, or a failed one into a note.
     */
    private final class Rounds implements Runner.Listener {
        private final Progress progress;
        private final List<Measurement> workload;
        private final int first;
        private final int total;
        /** Each measurement's page cache before its windows: the one furthest from what the workload asks. */
        private final Map<Measurement, Double> worstCached = new HashMap<>();

        /** {@code workload} holds items {@code first + 1} onwards of the {@code total} measurements. */
        Rounds(Progress progress, List<Measurement> workload, int first, int total) {
            this.progress = progress;
            this.workload = workload;
            this.first = first;
            this.total = total;
        }

        @Override
        public void beforeWindow(Measurement m, int window) throws Runner.Failed {
            double cached;
            try {
                cached = prepareCache(m.spec());
            } catch (IOException e) {
                throw new Runner.Failed("failed: page cache: " + e);
            }
            if (window > 0) {
                worstCached.merge(m, cached, dropsCache(m.spec()) ? Math::max : Math::min);
            }
        }

        @Override
        public void finished(Measurement m, List<Sample> samples) {
            Row row = Summary.row(m, cacheState(m.spec(), worstCached.get(m)), samples);
            synchronized (reportLock) {
                rows.put(first + workload.indexOf(m), row);
            }
            progress.done(label(m), row);
        }

        @Override
        public void failed(Measurement m, String note) {
            progress.failed(label(m), note);
            note(m.label() + " " + note);
            failures = true;
        }

        private String label(Measurement m) {
            return Progress.numbered(first + workload.indexOf(m) + 1, total, m.label());
        }
    }

    /** The measurements to run, in order, for a file still to be named. */
    private List<Measurement> plan(Validated v) {
        List<Measurement> plan = new ArrayList<>();
        boolean fioSkipped = false;
        boolean fioSynced = false;
        for (Workload w : v.workloads) {
            Parameters p = parameters(w);
            int n = p.threads();
            BenchSpec spec = new BenchSpec(w.id(), "", fileBytes, p.blockBytes(), p.depth(), n, p.direct(), warmupNanos,
                    durationNanos, repeats);
            workloadThreads.put(w.id(), n);
            List<String> ids = v.engines != null ? v.engines
                    : full ? Engines.all().stream().map(Engine::id).filter(id -> !(n == 1 && id.equals("filechannel-threads"))).toList()
                    : Engines.representative(w);
            for (String id : ids) {
                if (id.equals("fio") && !FioEngine.available()) {
                    fioSkipped = true;
                    continue;
                }
                fioSynced |= id.equals("fio") && w.syncEach();
                plan.add(new Measurement(w, Engines.of(id), spec));
            }
        }
        if (fioSkipped) {
            note("fio is not on the PATH, so it was skipped; install it (apt-get install fio) to compare with it");
        }
        if (fioSynced) {
            note("fio's latencies with fdatasync after each write are of the write alone (fio reports the fdatasync "
                    + "apart); its IOPS count each write with its fdatasync, as the other engines do");
        }
        if (plan.stream().anyMatch(m -> m.engine().id().equals("fio"))) {
            note("fio's CPU is what fio reports for its job; the other engines' is their whole JVM's; fio's machine "
                    + "CPU is not measured, since its window lies inside a process of its own whose start-up cannot be "
                    + "told apart from outside");
        }
        if (plan.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), "nothing to run: no engine of " + engineIds
                    + " is available");
        }
        return plan;
    }

    /** The workloads, and the engines when --engine named them, each once, in the order given. */
    private record Validated(List<Workload> workloads, List<String> engines) {}

    /** A workload's parameters: the options where given, else the workload's defaults. */
    private record Parameters(int blockBytes, int depth, int threads, boolean direct) {}

    /** {@code w}'s parameters; --bs must have been checked to fit an int. */
    private Parameters parameters(Workload w) {
        int qd = depth != null ? depth : w.defaultDepth();
        return new Parameters(blockBytes != null ? blockBytes.intValue() : w.defaultBlockBytes(), qd,
                threads != null ? threads : qd, direct != null ? direct : w.defaultDirect());
    }

    /** Checks every option before anything runs; a bad one is a usage error. */
    private Validated validated() {
        if (full && engineIds != null) {
            throw usage("--full runs every engine; give either --full or --engine=" + String.join(",", engineIds));
        }
        List<Workload> workloads = new ArrayList<>();
        for (String id : distinct(workloadIds != null ? workloadIds : Workload.all().stream().map(Workload::id).toList())) {
            try {
                workloads.add(Workload.of(id));
            } catch (IllegalArgumentException e) {
                throw usage("--workload: " + e.getMessage());
            }
        }
        List<String> engines = engineIds == null ? null : distinct(engineIds);
        if (engines != null) {
            for (String id : engines) {
                try {
                    Engines.of(id);
                } catch (IllegalArgumentException e) {
                    throw usage("--engine: " + e.getMessage());
                }
            }
        }
        if (blockBytes != null && (blockBytes <= 0 || blockBytes > BLOCK_BYTES_MAX)) {
            throw usage("--bs=" + blockBytes + " must be between 1 and " + Sizes.binary(BLOCK_BYTES_MAX));
        }
        if (depth != null && (depth < 1 || depth > DEPTH_MAX)) {
            throw usage("--qd=" + depth + " must be between 1 and " + DEPTH_MAX);
        }
        if (threads != null && (threads < 1 || threads > DEPTH_MAX)) {
            throw usage("--threads=" + threads + " must be between 1 and " + DEPTH_MAX);
        }
        if (durationNanos < DURATION_MIN_NANOS || durationNanos > DURATION_MAX_NANOS) {
            throw usage("--duration=" + seconds(durationNanos) + " must be between " + seconds(DURATION_MIN_NANOS)
                    + " and 1 hour");
        }
        if (warmupNanos < 0 || warmupNanos > DURATION_MAX_NANOS) {
            throw usage("--warmup=" + seconds(warmupNanos) + " must be between 0 and 1 hour");
        }
        if (repeats < 1 || repeats > REPEATS_MAX) {
            throw usage("--repeat=" + repeats + " must be between 1 and " + REPEATS_MAX);
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
        long fsBlock = fileStoreBlockBytes(dir);
        for (Workload w : workloads) {
            Parameters p = parameters(w);
            long bs = p.blockBytes();
            int inFlight = Math.max(p.depth(), p.threads());
            if (p.direct() && bs % fsBlock != 0) {
                throw usage("--bs=" + bs + " must be a multiple of the file system's block size, " + fsBlock
                        + " bytes, for O_DIRECT (workload " + w.id() + ")");
            }
            if (fileBytes < bs) {
                throw usage("--size=" + fileBytes + " is too small for blocks of " + bs + " bytes (workload " + w.id() + ")");
            }
            if (bs * inFlight > BYTES_IN_FLIGHT_MAX) {
                throw usage("--bs=" + bs + " with " + inFlight + " in flight holds more than "
                        + Sizes.binary(BYTES_IN_FLIGHT_MAX) + " of buffers (workload " + w.id() + ")");
            }
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < fileBytes + (64L << 20)) {
                throw usage("--dir=" + dir + " has " + Sizes.binary(free) + " free, too little for a "
                        + Sizes.binary(fileBytes) + " test file");
            }
        } catch (IOException e) {
            throw usage("--dir=" + dir + ": " + e.getMessage());
        }
        if (html != null) {
            Path parent = html.toAbsolutePath().getParent();
            if (Files.isDirectory(html) || parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
                throw usage("--html=" + html + " must be a file in an existing, writable directory");
            }
        }
        return new Validated(workloads, engines);
    }

    private static List<String> distinct(List<String> ids) {
        return List.copyOf(new java.util.LinkedHashSet<>(ids.stream().map(String::strip).toList()));
    }

    /** The block size O_DIRECT needs in {@code dir}: the file store's, at least 512. */
    private static long fileStoreBlockBytes(Path dir) {
        try {
            return Math.max(512, Files.getFileStore(dir).getBlockSize());
        } catch (IOException | UnsupportedOperationException e) {
            return 4096;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(commandSpec.commandLine(), message);
    }

    /** Whether {@code spec} runs on a file out of the page cache: O_DIRECT and writes do, buffered reads the opposite. */
    private static boolean dropsCache(BenchSpec spec) {
        return spec.direct() || spec.kind().write();
    }

    /**
     * Sets the file's page cache the way {@code spec} needs it (dropped for O_DIRECT and writes,
     * loaded for buffered reads) and returns the fraction of the file cached after, as measured.
     * A file cached whole already is not read again: that is the common case, the window before
     * having read it hot, and reading a GiB from the cache still takes a good part of a second.
     */
    private static double prepareCache(BenchSpec spec) throws IOException {
        if (dropsCache(spec)) {
            PageCache.evict(spec.path());
            return PageCache.residentFraction(spec.path());
        }
        double cached = PageCache.residentFraction(spec.path());
        if (cached < 1.0) {
            PageCache.warm(spec.path());
            cached = PageCache.residentFraction(spec.path());
        }
        return cached;
    }

    /**
     * The cache column for a file of which {@code cached} was in the page cache: {@code direct}
     * or {@code cold} (at most 1% cached) where {@code spec} asks for it dropped, {@code hot} (at
     * least 99%), or the share cached.
     */
    private static String cacheState(BenchSpec spec, double cached) {
        if (dropsCache(spec) && cached <= 0.01) {
            return spec.direct() ? "direct" : "cold";
        }
        return cached >= 0.99 ? "hot" : String.format(Locale.ROOT, "%.0f%% hot", cached * 100);
    }

    /**
     * Prints the report once: at the end of the run, or from the Ctrl-C hook with what finished.
     * Returns whether it was printed and written where asked.
     */
    private boolean report(boolean complete) {
        synchronized (reportLock) {
            if (reported) {
                return true;
            }
            reported = true;
            if (machine == null) {
                return true;
            }
            List<Row> rated = Summary.withRatios(List.copyOf(rows.values()), workloadThreads);
            for (Map.Entry<String, Integer> w : workloadThreads.entrySet()) {
                boolean ran = rated.stream().anyMatch(r -> r.workload().equals(w.getKey()));
                if (ran && Summary.reference(rated, w.getKey(), w.getValue()) == null) {
                    notes.add(w.getKey() + " has no ratios: FileChannel on " + w.getValue() + " platform thread"
                            + (w.getValue() == 1 ? "" : "s") + " did not run");
                }
            }
            String command = "ringio " + String.join(" ", commandSpec.root().commandLine().getParseResult().originalArgs());
            BenchReport report = new BenchReport(machine, command.strip(), startedAt, fileBytes, rated, notes, complete);
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
                err.flush();
                return false;
            }
            err.flush();
            return true;
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
        if (file == null) {
            return;
        }
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
