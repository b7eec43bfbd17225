package io.ringio.io.channel;

import io.ringio.io.FileStat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code stat} reports about a path, read with one {@code stat(2)} where the file system has
 * the {@code "unix"} attribute view (Linux, macOS) and through {@link BasicFileAttributes}
 * elsewhere.
 *
 * <p>The block size is the file store's ({@code Files.getFileStore(path).getBlockSize()}, which is
 * {@code statvfs}'s {@code f_frsize} on Linux, and also the alignment the JDK demands of O_DIRECT
 * transfers). Finding a path's file store reads the mount table, about a hundred times dearer
 * than the stat itself, so block sizes are kept per device (per root elsewhere).
 *
 * @param size        bytes
 * @param type        the kind of file
 * @param mtimeNanos  last modification, nanoseconds since the epoch
 * @param key         identifies the file while it exists (device and inode on Unix), or null
 * @param blockSize   the file store's block size
 */
record FileAttributes(long size, FileStat.Type type, long mtimeNanos, Object key, int blockSize) {
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,mode,dev,ino";
    private static final LinkOption[] FOLLOW = {};
    /** The file type bits of {@code st_mode} ({@code S_IFMT}) and three of their values. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** A device and inode: which file a path names, on Unix. */
    private record Inode(long dev, long ino) {}

    /** Block sizes by device (Unix) or by root (elsewhere); shared by every ChannelIo. */
    private static final Map<Object, Integer> BLOCK_SIZES = new ConcurrentHashMap<>();

    /** Reads the attributes of {@code path}, following symbolic links. */
    static FileAttributes read(Path path) throws IOException {
        if (UNIX) {
            Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, FOLLOW);
            long dev = (Long) a.get("dev");
            int mode = (Integer) a.get("mode");
            return new FileAttributes((Long) a.get("size"), typeOfMode(mode), nanos((FileTime) a.get("lastModifiedTime")),
                    new Inode(dev, (Long) a.get("ino")), blockSize(dev, path));
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, FOLLOW);
        FileStat.Type type = a.isRegularFile() ? FileStat.Type.FILE
                : a.isDirectory() ? FileStat.Type.DIRECTORY
                : a.isSymbolicLink() ? FileStat.Type.SYMLINK
                : FileStat.Type.OTHER;
        Path root = path.toAbsolutePath().getRoot();
        return new FileAttributes(a.size(), type, nanos(a.lastModifiedTime()), a.fileKey(), blockSize(root, path));
    }

    /** Fills {@code out} with these attributes. */
    void fill(FileStat out) {
        out.set(size, blockSize, type, mtimeNanos);
    }

    private static FileStat.Type typeOfMode(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> FileStat.Type.FILE;
            case S_IFDIR -> FileStat.Type.DIRECTORY;
            case S_IFLNK -> FileStat.Type.SYMLINK;
            default -> FileStat.Type.OTHER;
        };
    }

    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
    }

    private static int blockSize(Object storeKey, Path path) throws IOException {
        Integer known = BLOCK_SIZES.get(storeKey);
        if (known != null) {
            return known;
        }
        long size = Files.getFileStore(path).getBlockSize();
        int blockSize = (int) Math.min(Integer.MAX_VALUE, size);
        BLOCK_SIZES.put(storeKey, blockSize);
        return blockSize;
    }
}
