package io.ringio.io;

/**
 * Flags for {@link Io#open}: an access mode ({@link #READ}, {@link #WRITE} or both) plus any of
 * the others. Backends translate them; the values are ringio's own, not the kernel's.
 */
public final class OpenFlags {
    private OpenFlags() {}

    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int READ_WRITE = READ | WRITE;
    /** Create the file if it does not exist. */
    public static final int CREATE = 1 << 2;
    /** Create the file; fail with EEXIST if it exists. */
    public static final int CREATE_NEW = 1 << 3;
    /** Cut the file to zero length. */
    public static final int TRUNCATE = 1 << 4;
    /** Every write goes to the end of the file; the offset of a write is ignored. */
    public static final int APPEND = 1 << 5;
    /** Bypass the page cache (O_DIRECT): buffers, offsets and lengths must be block-aligned. */
    public static final int DIRECT = 1 << 6;
    /** Every write is durable when it completes (O_DSYNC). */
    public static final int DSYNC = 1 << 7;
    /** Open a directory, for {@link Io#sync} of its entries. */
    public static final int DIRECTORY = 1 << 8;

    static final int ALL = READ | WRITE | CREATE | CREATE_NEW | TRUNCATE | APPEND | DIRECT | DSYNC | DIRECTORY;

    /** Checks a flag set and returns it; {@link IllegalArgumentException} names what is wrong. */
    public static int check(int flags) {
        if ((flags & ~ALL) != 0) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags) + " has unknown bits");
        }
        if ((flags & DIRECTORY) != 0) {
            if ((flags & ~DIRECTORY & ~READ) != 0) {
                throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags)
                        + ": a directory is opened with READ only");
            }
            return flags;
        }
        if ((flags & READ_WRITE) == 0) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags) + " need READ, WRITE or both");
        }
        if ((flags & (CREATE | CREATE_NEW | TRUNCATE | APPEND)) != 0 && (flags & WRITE) == 0) {
            throw new IllegalArgumentException("flags=0x" + Integer.toHexString(flags)
                    + ": CREATE, CREATE_NEW, TRUNCATE and APPEND need WRITE");
        }
        return flags;
    }
}
