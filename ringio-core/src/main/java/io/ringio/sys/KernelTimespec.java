package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct __kernel_timespec} ({@code linux/time_types.h}): 64-bit seconds and nanoseconds
 * on every architecture, as TIMEOUT, LINK_TIMEOUT and {@code io_uring_getevents_arg} take it.
 *
 * <pre>
 *  0 tv_sec s64
 *  8 tv_nsec s64
 * </pre>
 */
public final class KernelTimespec {
    private KernelTimespec() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("__kernel_timespec");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long TV_SEC = LAYOUT.byteOffset(groupElement("tv_sec"));
    public static final long TV_NSEC = LAYOUT.byteOffset(groupElement("tv_nsec"));
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Stores a non-negative duration in nanoseconds as seconds and nanoseconds. */
    public static void setNanos(MemorySegment ts, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos=" + nanos + " must be >= 0");
        }
        ts.set(JAVA_LONG, TV_SEC, nanos / NANOS_PER_SECOND);
        ts.set(JAVA_LONG, TV_NSEC, nanos % NANOS_PER_SECOND);
    }

    public static long nanos(MemorySegment ts) {
        return ts.get(JAVA_LONG, TV_SEC) * NANOS_PER_SECOND + ts.get(JAVA_LONG, TV_NSEC);
    }
}
