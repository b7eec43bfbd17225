package io.ringio.io.sim;

import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated namespace: a tree of {@link SimDirectory} and {@link SimFile} from one root, with
 * Linux's answers to open, mkdir, rmdir, unlink and rename, including their errno values. Paths
 * are absolute; a relative one is taken from the root. There are no symbolic links and no
 * permission checks (the simulated process is root). Methods return 0 or a node on success and
 * {@code -errno} on failure; {@code now} is the virtual time, for modification times.
 *
 * <p>Namespace operations are numbered in the order they happen. Of those not yet durable, a
 * crash keeps a prefix, as a journaling file system (ext4, XFS) that commits metadata in order
 * would; so a rename within one directory survives whole or not at all, and a chain of renames
 * never leaves a file under two names. Syncing a directory makes only its own entries durable,
 * as POSIX promises: a new directory needs its parent synced too, and a rename between two
 * directories needs both synced (with only one synced, a crash may show the file under both
 * names, or, when only the source was synced, under neither).
 */
final class SimFileSystem {
    /** NAME_MAX: the longest name of one path component, in bytes. */
    static final int NAME_BYTES_MAX = 255;
    private static final int MODE_ROOT = 0755;

    final SimDirectory root;
    /** The number the next namespace operation gets. */
    private long nextSeq;
    /** Namespace operations not yet durable in every directory they touched: number to parts pending. */
    private final TreeMap<Long, Integer> pendingSeqs = new TreeMap<>();

    SimFileSystem() {
        this(new SimDirectory(MODE_ROOT, 0, null));
    }

    private SimFileSystem(SimDirectory root) {
        this.root = root;
    }

    /** Where a path leads: the directory that holds its last component, that name, and the node if any. */
    static final class Walk {
        SimDirectory parent;
        /** The last component; null when the path names the root, or ends in "." or "..". */
        String name;
        SimNode node;
        /** Whether the path ends in "/": it must then name a directory. */
        boolean trailingSlash;
    }

    /** Walks {@code path}; returns 0 and fills {@code out}, or -errno when a component is missing or not a directory. */
    int walk(String path, Walk out) {
        String[] parts = path.split("/");
        SimDirectory dir = root;
        int last = parts.length - 1;
        while (last >= 0 && parts[last].isEmpty()) {
            last--;
        }
        for (int i = 0; i < last; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (tooLong(part)) {
                return -Errno.ENAMETOOLONG;
            }
            if (part.equals("..")) {
                dir = dir.parent;
                continue;
            }
            SimNode next = dir.entries.get(part);
            if (next == null) {
                return -Errno.ENOENT;
            }
            if (!(next instanceof SimDirectory d)) {
                return -Errno.ENOTDIR;
            }
            dir = d;
        }
        out.parent = dir;
        if (last < 0 || parts[last].equals(".")) {
            out.name = null;
            out.node = dir;
        } else if (parts[last].equals("..")) {
            out.name = null;
            out.node = dir.parent;
        } else if (tooLong(parts[last])) {
            return -Errno.ENAMETOOLONG;
        } else {
            out.name = parts[last];
            out.node = dir.entries.get(out.name);
        }
        out.trailingSlash = path.endsWith("/");
        return 0;
    }

    /** Like {@link #walk}, and ENOENT when the last component does not exist. */
    private int walkToExisting(String path, Walk out) {
        int r = walk(path, out);
        return r == 0 && out.node == null ? -Errno.ENOENT : r;
    }

    private static boolean tooLong(String name) {
        return name.length() > NAME_BYTES_MAX / 3 && name.getBytes(StandardCharsets.UTF_8).length > NAME_BYTES_MAX;
    }

    /** The node at {@code path}, or null with the errno in {@code errno[0]}. */
    SimNode lookup(String path, int[] errno) {
        Walk w = new Walk();
        int r = walkToExisting(path, w);
        if (r == 0 && w.trailingSlash && w.node instanceof SimFile) {
            r = -Errno.ENOTDIR;
        }
        errno[0] = r;
        return r == 0 ? w.node : null;
    }

    /** open(2) with ringio's {@link OpenFlags}: the node opened, or null with the errno in {@code errno[0]}. */
    SimNode open(String path, int flags, int mode, long now, int[] errno) {
        Walk w = new Walk();
        int r = walk(path, w);
        SimNode node = w.node;
        boolean creating = (flags & (OpenFlags.CREATE | OpenFlags.CREATE_NEW)) != 0;
        if (r == 0) {
            if (node == null && !creating) {
                r = -Errno.ENOENT;
            } else if (node == null && (w.name == null || w.trailingSlash)) {
                r = -Errno.EISDIR; // open(2): "pathname ... ends in a slash" with O_CREAT
            } else if (node instanceof SimFile && w.trailingSlash) {
                r = -Errno.ENOTDIR;
            } else if (node != null && (flags & OpenFlags.CREATE_NEW) != 0) {
                r = -Errno.EEXIST;
            } else if (node instanceof SimDirectory && (flags & OpenFlags.WRITE) != 0) {
                r = -Errno.EISDIR;
            } else if (node instanceof SimFile && (flags & OpenFlags.DIRECTORY) != 0) {
                r = -Errno.ENOTDIR;
            }
        }
        errno[0] = r;
        if (r != 0) {
            return null;
        }
        if (node == null) {
            SimFile created = new SimFile(mode, now);
            w.parent.put(w.name, created, begin(1), now);
            return created;
        }
        if (node instanceof SimFile file && (flags & OpenFlags.TRUNCATE) != 0) {
            file.resize(0, now);
        }
        return node;
    }

    int mkdir(String path, int mode, long now) {
        Walk w = new Walk();
        int r = walk(path, w);
        if (r != 0) {
            return r;
        }
        if (w.node != null) {
            return -Errno.EEXIST;
        }
        w.parent.put(w.name, new SimDirectory(mode, now, w.parent), begin(1), now);
        return 0;
    }

    int rmdir(String path, long now) {
        Walk w = new Walk();
        int r = walkToExisting(path, w);
        if (r != 0) {
            return r;
        }
        if (!(w.node instanceof SimDirectory d)) {
            return -Errno.ENOTDIR;
        }
        if (w.name == null) {
            // rmdir(2): EBUSY for the root, EINVAL for ".", ENOTEMPTY for "..".
            return d == root ? -Errno.EBUSY : path.replaceAll("/+$", "").endsWith("..") ? -Errno.ENOTEMPTY
                    : -Errno.EINVAL;
        }
        if (!d.entries.isEmpty()) {
            return -Errno.ENOTEMPTY;
        }
        w.parent.remove(w.name, begin(1), now);
        return 0;
    }

    int unlink(String path, long now) {
        Walk w = new Walk();
        int r = walkToExisting(path, w);
        if (r != 0) {
            return r;
        }
        if (w.node instanceof SimDirectory) {
            return -Errno.EISDIR;
        }
        if (w.trailingSlash) {
            return -Errno.ENOTDIR;
        }
        w.parent.remove(w.name, begin(1), now);
        return 0;
    }

    /** rename(2), or renameat2(2) with RENAME_NOREPLACE when {@code noReplace}. */
    int rename(String fromPath, String toPath, boolean noReplace, long now) {
        Walk from = new Walk();
        int r = walk(fromPath, from);
        if (r != 0) {
            return r;
        }
        Walk to = new Walk();
        r = walk(toPath, to);
        if (r != 0) {
            return r;
        }
        // do_renameat2: a last component that is not a name ("/", "." or "..") is refused before
        // anything is looked up.
        if (from.name == null) {
            return -Errno.EBUSY;
        }
        if (to.name == null) {
            return noReplace ? -Errno.EEXIST : -Errno.EBUSY;
        }
        SimNode moving = from.node;
        if (moving == null) {
            return -Errno.ENOENT;
        }
        if (moving instanceof SimFile && (from.trailingSlash || to.trailingSlash)) {
            return -Errno.ENOTDIR;
        }
        if (to.node != null) {
            if (noReplace) {
                return -Errno.EEXIST;
            }
            if (to.node == moving) {
                return 0; // rename(2): "If oldpath and newpath are ... the same file, rename() does nothing"
            }
            if (moving instanceof SimDirectory && to.node instanceof SimFile) {
                return -Errno.ENOTDIR;
            }
            if (moving instanceof SimFile && to.node instanceof SimDirectory) {
                return -Errno.EISDIR;
            }
            if (to.node instanceof SimDirectory target && !target.entries.isEmpty()) {
                return -Errno.ENOTEMPTY;
            }
        }
        if (moving instanceof SimDirectory movingDir && to.parent.isWithin(movingDir)) {
            return -Errno.EINVAL; // a directory cannot become a subdirectory of itself
        }
        long seq = begin(2);
        from.parent.remove(from.name, seq, now);
        to.parent.put(to.name, moving, seq, now);
        return 0;
    }

    /** Numbers a new namespace operation that changes {@code parts} directory entries. */
    private long begin(int parts) {
        long seq = nextSeq++;
        pendingSeqs.put(seq, parts);
        return seq;
    }

    /** fsync of a directory: its entries become durable, and its parts of namespace operations stop pending. */
    void syncDirectory(SimDirectory dir) {
        for (SimDirectory.EntryChange c : dir.pending) {
            pendingSeqs.computeIfPresent(c.seq(), (seq, parts) -> parts == 1 ? null : parts - 1);
        }
        dir.sync();
    }

    /** Creates {@code path} and its missing parents as directories whose entries are all durable already. */
    void createDurableDirectories(String path, int mode) {
        SimDirectory dir = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || tooLong(part)) {
                throw new IllegalArgumentException("path=" + path + " has a component " + part
                        + " that cannot be created");
            }
            SimNode next = dir.entries.get(part);
            if (next == null) {
                SimDirectory made = new SimDirectory(mode, 0, dir);
                dir.entries.put(part, made);
                dir.durable.put(part, made);
                next = made;
            }
            if (!(next instanceof SimDirectory d)) {
                throw new IllegalArgumentException("path=" + path + " runs through the file " + part);
            }
            dir = d;
        }
    }

    /**
     * The namespace as the disk shows it after a power cut: each directory's durable entries,
     * then its pending entry changes, in order, up to a cut drawn from {@code random} among the
     * namespace operations still pending (a prefix of them survives); files as {@link SimFile#afterCrash}
     * leaves them. What no surviving entry reaches is gone. A directory reached a second time is
     * dropped there, as fsck would (a directory renamed between two directories of which only one
     * was synced can be reached twice).
     */
    SimFileSystem afterCrash(SimRandom random) {
        // The cut falls before the first pending operation, after the last, or between two.
        int kept = random.nextInt(pendingSeqs.size() + 1);
        long cut = -1;
        for (long seq : pendingSeqs.keySet()) {
            if (kept-- == 0) {
                break;
            }
            cut = seq;
        }
        SimFileSystem after = new SimFileSystem(rebuild(root, null, cut, random, new IdentityHashMap<>()));
        after.nextSeq = nextSeq;
        return after;
    }

    private static SimDirectory rebuild(SimDirectory old, SimDirectory newParent, long cut, SimRandom random,
            Map<SimNode, SimNode> rebuilt) {
        TreeMap<String, SimNode> survivors = new TreeMap<>(old.durable);
        for (SimDirectory.EntryChange change : old.pending) {
            if (change.seq() <= cut) {
                if (change.node() == null) {
                    survivors.remove(change.name());
                } else {
                    survivors.put(change.name(), change.node());
                }
            }
        }
        SimDirectory dir = new SimDirectory(old.mode, old.modifiedNanos, newParent);
        rebuilt.put(old, dir);
        for (Map.Entry<String, SimNode> e : survivors.entrySet()) {
            SimNode child = e.getValue();
            SimNode copy = rebuilt.get(child);
            if (child instanceof SimDirectory childDir) {
                if (copy != null) {
                    continue;
                }
                copy = rebuild(childDir, dir, cut, random, rebuilt);
            } else if (copy == null) {
                copy = ((SimFile) child).afterCrash(random);
                rebuilt.put(child, copy);
            }
            dir.entries.put(e.getKey(), copy);
        }
        dir.durable = new TreeMap<>(dir.entries);
        return dir;
    }
}
