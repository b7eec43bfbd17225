package io.ringio.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What limits this process's locked memory, which is what io_uring charges registered buffers
 * against: RLIMIT_MEMLOCK ("Max locked memory" in {@code /proc/self/limits}), unless the process
 * holds CAP_IPC_LOCK, in which case the kernel does not account the pages at all
 * ({@code io_uring_register(2)}, IORING_REGISTER_BUFFERS).
 */
final class LockedMemory {
    /** A limit of "unlimited". */
    static final long UNLIMITED = -1;
    /** CAP_IPC_LOCK's bit in the capability sets of {@code /proc/self/status} (linux/capability.h). */
    static final int CAP_IPC_LOCK_BIT = 14;

    private static final Path PROC_LIMITS = Path.of("/proc/self/limits");
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final String LIMIT_ROW = "Max locked memory";
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private LockedMemory() {}

    /** The soft and hard RLIMIT_MEMLOCK in bytes, each {@link #UNLIMITED} when unlimited. */
    record Limit(long softBytes, long hardBytes) {
        /** "soft 8 MiB, hard 8 MiB" or "unlimited" when both are. */
        String describe() {
            if (softBytes == UNLIMITED && hardBytes == UNLIMITED) {
                return "unlimited";
            }
            return "soft " + bytesOrUnlimited(softBytes) + ", hard " + bytesOrUnlimited(hardBytes);
        }
    }

    /** The limit of this process, or empty when {@code /proc/self/limits} cannot be read or parsed. */
    static Optional<Limit> currentLimit() {
        try {
            return parseLimit(Files.readString(PROC_LIMITS));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses the "Max locked memory" row of {@code /proc/<pid>/limits}, whose columns are the
     * soft limit, the hard limit and the unit: {@code Max locked memory  8388608  8388608  bytes}.
     */
    static Optional<Limit> parseLimit(String procLimits) {
        for (String row : procLimits.split("\\R")) {
            if (!row.startsWith(LIMIT_ROW)) {
                continue;
            }
            String[] columns = row.substring(LIMIT_ROW.length()).trim().split("\\s+");
            if (columns.length < 2) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Limit(parseValue(columns[0]), parseValue(columns[1])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static long parseValue(String column) {
        return column.equals("unlimited") ? UNLIMITED : Long.parseLong(column);
    }

    /** True when this process's effective capabilities include CAP_IPC_LOCK. */
    static boolean holdsIpcLock() {
        return statusField("CapEff:")
                .map(hex -> (Long.parseUnsignedLong(hex, 16) & (1L << CAP_IPC_LOCK_BIT)) != 0)
                .orElse(false);
    }

    /** True when this process runs with effective user id 0. */
    static boolean isRoot() {
        // "Uid:" lists the real, effective, saved and filesystem uids.
        return statusField("Uid:").map(uids -> uids.split("\\s+")[1].equals("0")).orElse(false);
    }

    private static Optional<String> statusField(String name) {
        try {
            for (String row : Files.readAllLines(PROC_STATUS)) {
                if (row.startsWith(name)) {
                    return Optional.of(row.substring(name.length()).trim());
                }
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A byte count in KiB or MiB ("64 KiB", "8 MiB", "1.5 MiB"), or in bytes below 1 KiB. */
    static String formatBytes(long bytes) {
        if (bytes >= MIB) {
            return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%.1f MiB", (double) bytes / MIB);
        }
        if (bytes >= KIB) {
            return bytes % KIB == 0 ? bytes / KIB + " KiB" : String.format(Locale.ROOT, "%.1f KiB", (double) bytes / KIB);
        }
        return bytes + " bytes";
    }

    private static String bytesOrUnlimited(long bytes) {
        return bytes == UNLIMITED ? "unlimited" : formatBytes(bytes);
    }
}
