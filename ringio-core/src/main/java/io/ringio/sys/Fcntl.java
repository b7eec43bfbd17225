package io.ringio.sys;

/**
 * Open flags and {@code *at} constants ({@code fcntl.h}, {@code linux/fs.h},
 * {@code linux/falloc.h}, {@code poll.h}). O_DIRECT, O_DIRECTORY and O_NOFOLLOW differ on
 * aarch64, so those three are chosen by architecture.
 */
public final class Fcntl {
    private Fcntl() {}

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DSYNC = 0x1000;
    public static final int O_DIRECT = AARCH64 ? 0x10000 : 0x4000;
    public static final int O_DIRECTORY = AARCH64 ? 0x4000 : 0x10000;
    public static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;
    public static final int O_CLOEXEC = 0x80000;
    /** O_SYNC includes O_DSYNC. */
    public static final int O_SYNC = 0x101000;

    /** "Relative to the current directory" for the {@code *at} calls. */
    public static final int AT_FDCWD = -100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int RENAME_NOREPLACE = 1;
    public static final int FALLOC_FL_KEEP_SIZE = 1;
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;
}
