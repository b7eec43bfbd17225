package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec} ({@code sys/uio.h}) on a 64-bit ABI, used by READV, WRITEV and buffer
 * registration.
 *
 * <pre>
 *  0 iov_base pointer
 *  8 iov_len size_t
 * </pre>
 */
public final class Iovec {
    private Iovec() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long IOV_BASE = LAYOUT.byteOffset(groupElement("iov_base"));
    public static final long IOV_LEN = LAYOUT.byteOffset(groupElement("iov_len"));

    /** Points entry {@code index} of an iovec array at {@code buffer}. */
    public static void set(MemorySegment iovecs, int index, MemorySegment buffer) {
        set(iovecs, index, buffer.address(), buffer.byteSize());
    }

    public static void set(MemorySegment iovecs, int index, long base, long length) {
        long b = index * BYTES;
        iovecs.set(JAVA_LONG, b + IOV_BASE, base);
        iovecs.set(JAVA_LONG, b + IOV_LEN, length);
    }

    public static long base(MemorySegment iovecs, int index) {
        return iovecs.get(JAVA_LONG, index * BYTES + IOV_BASE);
    }

    public static long length(MemorySegment iovecs, int index) {
        return iovecs.get(JAVA_LONG, index * BYTES + IOV_LEN);
    }
}
