package io.ringio.bench.machine;

import io.ringio.bench.report.Machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a benchmark runs: CPU, memory, kernel, JDK, and the file system and disk under the test
 * file, read from {@code /proc} and {@code /sys}. Best-effort throughout: what cannot be read is
 * reported as {@code "unknown"} (or 0 bytes of memory), never as an exception.
 */
public final class MachineInfo {
    /** What a field says when the machine would not tell. */
    public static final String UNKNOWN = "unknown";

    private static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
    private static final Path PROC_OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final long KIB = 1024;

    private MachineInfo() {}

    /**
     * Describes this machine and the storage under {@code fileOrDir}. The path need not exist
     * yet: the bench may describe the machine before it creates its file, so the nearest
     * existing directory above it stands in for it.
     */
    public static Machine describe(Path fileOrDir) {
        Path existing = nearestExisting(fileOrDir.toAbsolutePath());
        String fileSystem = fileSystemType(existing);
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), memoryBytes(), kernel(), jdk(),
                BlockDevices.ofThisMachine().describe(existing, fileSystem), fileSystem);
    }

    /** The first "model name" of {@code /proc/cpuinfo}, such as {@code "AMD EPYC 9454"}. */
    static String cpuModel() {
        // arm64 kernels print no "model name"; lscpu decodes the MIDR instead, which is not worth it here.
        return field(PROC_CPUINFO, "model name").orElse(UNKNOWN);
    }

    /** MemTotal of {@code /proc/meminfo} in bytes (the kernel prints kB, meaning KiB), or 0 when unknown. */
    static long memoryBytes() {
        return field(PROC_MEMINFO, "MemTotal")
                .map(value -> value.split("\\s+")[0])
                .flatMap(BlockDevices::parseLong)
                .map(kib -> kib * KIB)
                .orElse(0L);
    }

    /** The kernel release, such as {@code "6.18.44"}. */
    static String kernel() {
        String osVersion = System.getProperty("os.version");
        if (osVersion != null && !osVersion.isBlank()) {
            return osVersion;
        }
        return BlockDevices.firstLine(PROC_OSRELEASE).orElse(UNKNOWN);
    }

    /** The running JDK's version and vendor, such as {@code "25.0.3+9-LTS (Eclipse Adoptium)"}. */
    static String jdk() {
        String vendor = System.getProperty("java.vendor");
        return Runtime.version() + (vendor == null || vendor.isBlank() ? "" : " (" + vendor + ")");
    }

    /** The file system type of the store holding {@code path}, such as {@code "ext4"}. */
    static String fileSystemType(Path path) {
        try {
            String type = Files.getFileStore(path).type();
            return type == null || type.isBlank() ? UNKNOWN : type;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** {@code path} when it exists, else its nearest existing ancestor (the root at worst). */
    static Path nearestExisting(Path absolutePath) {
        Path candidate = absolutePath;
        // Bounded by the path's depth: each step removes one name.
        while (candidate.getParent() != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate;
    }

    /** The value after {@code name:} on the first line of a /proc file that starts with {@code name}. */
    private static Optional<String> field(Path procFile, String name) {
        try (Stream<String> lines = Files.lines(procFile)) {
            return lines.filter(line -> line.startsWith(name) && line.indexOf(':') > 0)
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(value -> !value.isEmpty())
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
