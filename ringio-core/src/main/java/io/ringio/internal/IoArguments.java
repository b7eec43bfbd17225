package io.ringio.internal;

import io.ringio.io.Io;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The argument checks every {@link Io} backend makes at submission, so that the three refuse the
 * same things with the same messages ({@code name=value} and the rule broken).
 */
public final class IoArguments {
    private IoArguments() {}

    /** The path as UTF-8, refused when empty, holding a NUL, or longer than {@link Io#PATH_BYTES_MAX}. */
    public static byte[] encodePath(String path, String name) {
        checkNotNull(path, name);
        if (path.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + "=" + path.replace("\0", "\\0") + " contains a NUL character");
        }
        byte[] encoded = path.getBytes(StandardCharsets.UTF_8);
        if (encoded.length > Io.PATH_BYTES_MAX) {
            throw new IllegalArgumentException(name + " is " + encoded.length + " bytes; at most " + Io.PATH_BYTES_MAX);
        }
        return encoded;
    }

    /**
     * Refuses heap or closed memory, buffers past {@code Integer.MAX_VALUE} bytes, and, when
     * {@code into} (the operation reads into it), read-only ones.
     */
    public static void checkBuffer(MemorySegment buf, String name, boolean into) {
        checkBuffer(buf, name, -1, into);
    }

    /**
     * {@link #checkBuffer(MemorySegment, String, boolean)} for {@code name[index]} (no index when
     * negative), named only when refused.
     */
    private static void checkBuffer(MemorySegment buf, String name, int index, boolean into) {
        if (buf == null) {
            throw new IllegalArgumentException(label(name, index) + "=null");
        }
        if (!buf.isNative()) {
            throw new IllegalArgumentException(label(name, index) + "=" + buf
                    + " is heap memory; I/O needs a native segment");
        }
        if (!buf.scope().isAlive()) {
            throw new IllegalArgumentException(label(name, index) + "=" + buf + " belongs to a closed arena");
        }
        if (buf.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(label(name, index) + ".byteSize()=" + buf.byteSize() + " exceeds "
                    + Integer.MAX_VALUE);
        }
        if (into && buf.isReadOnly()) {
            throw new IllegalArgumentException(label(name, index) + "=" + buf
                    + " is read-only and cannot be read into");
        }
    }

    /** A buffer's name in a message: built only when a check fails, so that a vectored operation allocates nothing. */
    private static String label(String name, int index) {
        return index < 0 ? name : name + "[" + index + "]";
    }

    /**
     * Checks the buffers of a vectored operation, and their count: 1 to {@link Io#VECTOR_MAX}.
     * Returns their total size, which is at most {@code Integer.MAX_VALUE} (a result is an int).
     */
    public static long checkBuffers(MemorySegment[] bufs, boolean into) {
        checkNotNull(bufs, "bufs");
        if (bufs.length < 1 || bufs.length > Io.VECTOR_MAX) {
            throw new IllegalArgumentException("bufs.length=" + bufs.length + " must be in [1, " + Io.VECTOR_MAX + "]");
        }
        long total = 0;
        for (int i = 0; i < bufs.length; i++) {
            checkBuffer(bufs[i], "bufs", i, into);
            total += bufs[i].byteSize();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bufs hold " + total + " bytes; at most " + Integer.MAX_VALUE);
        }
        return total;
    }

    /** Refuses null with IllegalArgumentException, as Io promises for every bad argument. */
    public static void checkNotNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + "=null");
        }
    }

    public static void checkOffset(long offset) {
        checkNonNegative(offset, "offset");
    }

    /** Permission bits: nothing outside 07777. */
    public static void checkMode(int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode) + " has bits outside 07777");
        }
    }

    public static void checkNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
        }
    }
}
