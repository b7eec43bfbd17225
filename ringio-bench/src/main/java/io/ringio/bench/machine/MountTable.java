package io.ringio.bench.machine;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts that {@code /proc/self/mountinfo} lists, and which of them holds a path. A line
 * reads (proc(5), /proc/pid/mountinfo):
 * <pre>
 * 27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
 * |  | |     | | |           | |    |        super options
 * |  | |     | | |           | |    source
 * |  | |     | | |           | file system type
 * |  | |     | | |           separator after zero or more optional fields
 * |  | |     | | mount options
 * |  | |     | mount point
 * |  | |     root of the mount within its file system
 * |  | major:minor of st_dev
 * |  parent id
 * mount id
 * </pre>
 * Paths escape space, tab, newline and backslash as octal ({@code \040}).
 */
final class MountTable {
    /** Lines read from a mountinfo; a container with more mounts than this is not a bench machine. */
    static final int MOUNTS_MAX = 100_000;

    /**
     * One mount.
     *
     * @param device     major:minor as the kernel reports st_dev for files on it
     * @param mountPoint where it is mounted
     * @param type       the file system type, such as {@code ext4}
     * @param source     what was mounted, such as {@code /dev/vda}, or a name such as {@code tmpfs}
     */
    record Mount(String device, Path mountPoint, String type, String source) {}

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** The mounts of a mountinfo text; lines that do not parse are left out. */
    static MountTable parse(String mountInfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountInfo.lines().limit(MOUNTS_MAX).toList()) {
            parseLine(line).ifPresent(mounts::add);
        }
        return new MountTable(mounts);
    }

    private static Optional<Mount> parseLine(String line) {
        int separator = line.indexOf(" - ");
        if (separator < 0) {
            return Optional.empty();
        }
        String[] before = line.substring(0, separator).split(" ");
        String[] after = line.substring(separator + 3).split(" ");
        if (before.length < 5 || after.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Mount(before[2], Path.of(unescape(before[4])), after[0], unescape(after[1])));
        } catch (InvalidPathException e) {
            // A mount point this JVM cannot name (a byte its file-name encoding lacks, a NUL).
            return Optional.empty();
        }
    }

    /** Undoes the kernel's octal escapes ({@code fs/proc_namespace.c}, {@code mangle}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String field, int from) {
        for (int i = from; i < from + 3; i++) {
            if (field.charAt(i) < '0' || field.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * The mount that holds {@code realPath} (absolute, symbolic links resolved): the one with the
     * longest mount point above it and, among mounts on the same point, the last, which hides
     * the others.
     */
    Optional<Mount> containing(Path realPath) {
        Mount best = null;
        for (Mount mount : mounts) {
            if (realPath.startsWith(mount.mountPoint())
                    && (best == null || mount.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = mount;
            }
        }
        return Optional.ofNullable(best);
    }
}
