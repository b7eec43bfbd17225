package io.ringio.internal;

import io.ringio.io.Io;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The argument checks every {@link Io} backend makes at submission, so that the three refuse the
 * same things with the same messages ({@code name=value} and the rule broken).
 */
public final class IoArguments {
    private IoArguments() {}

    /** The path as UTF-8, refused when empty, holding a NUL, or longer than {@link Io#PATH_BYTES_MAX}. */
    public static byte[] encodePath(String path, String name) {
        Objects.requireNonNull(path, name);
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

    /** Refuses null, heap or closed memory, and buffers past {@code Integer.MAX_VALUE} bytes. */
    public static void checkBuffer(MemorySegment buf, String name) {
        Objects.requireNonNull(buf, name);
        if (!buf.isNative() || !buf.scope().isAlive()) {
            throw new IllegalArgumentException(name + " must be live native memory, was " + buf);
        }
        if (buf.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ".byteSize()=" + buf.byteSize() + " exceeds " + Integer.MAX_VALUE);
        }
    }

    /** Checks every buffer of a vectored operation, and their count: 1 to {@link Io#VECTOR_MAX}. */
    public static void checkBuffers(MemorySegment[] bufs) {
        Objects.requireNonNull(bufs, "bufs");
        if (bufs.length < 1 || bufs.length > Io.VECTOR_MAX) {
            throw new IllegalArgumentException("bufs.length=" + bufs.length + " must be in [1, " + Io.VECTOR_MAX + "]");
        }
        for (int i = 0; i < bufs.length; i++) {
            checkBuffer(bufs[i], "bufs[" + i + "]");
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
