package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_sync_cancel_reg}, the argument of {@code IORING_REGISTER_SYNC_CANCEL}
 * (Linux 6.0): a cancellation that bypasses the SQ and waits for the cancelled requests.
 *
 * <pre>
 *  0 addr u64 (user_data to match)
 *  8 fd s32 | flags u32 (IORING_ASYNC_CANCEL_*)
 * 16 timeout __kernel_timespec (-1, -1: wait without limit)
 * 32 pad u64[4]
 * </pre>
 */
public final class SyncCancelReg {
    private SyncCancelReg() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("fd"),
            JAVA_INT.withName("flags"),
            KernelTimespec.LAYOUT.withName("timeout"),
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("pad")).withName("io_uring_sync_cancel_reg");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long ADDR = LAYOUT.byteOffset(groupElement("addr"));
    public static final long FD = LAYOUT.byteOffset(groupElement("fd"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    public static final long TIMEOUT = LAYOUT.byteOffset(groupElement("timeout"));

    /** Cancel every request matching {@code flags} (with ANY: every request), waiting at most {@code timeoutNanos}. */
    public static void set(MemorySegment reg, int flags, long timeoutNanos) {
        reg.fill((byte) 0);
        reg.set(JAVA_LONG, ADDR, 0L);
        reg.set(JAVA_INT, FD, -1);
        reg.set(JAVA_INT, FLAGS, flags);
        KernelTimespec.setNanos(reg.asSlice(TIMEOUT, KernelTimespec.BYTES), timeoutNanos);
    }
}
