package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_cqe}, the 16-byte completion queue entry (rings without
 * {@code IORING_SETUP_CQE32}).
 *
 * <pre>
 *  0 user_data u64
 *  8 res s32 | flags u32
 * </pre>
 */
public final class Cqe {
    private Cqe() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"),
            JAVA_INT.withName("res"),
            JAVA_INT.withName("flags")).withName("io_uring_cqe");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long USER_DATA = LAYOUT.byteOffset(groupElement("user_data"));
    public static final long RES = LAYOUT.byteOffset(groupElement("res"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));

    /** {@code cqes} is the CQE array; {@code index} is already masked. */
    public static long userData(MemorySegment cqes, int index) {
        return cqes.get(JAVA_LONG, index * BYTES + USER_DATA);
    }

    public static int res(MemorySegment cqes, int index) {
        return cqes.get(JAVA_INT, index * BYTES + RES);
    }

    public static int flags(MemorySegment cqes, int index) {
        return cqes.get(JAVA_INT, index * BYTES + FLAGS);
    }
}
