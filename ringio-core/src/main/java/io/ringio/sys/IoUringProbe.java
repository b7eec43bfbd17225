package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe} with its trailing {@code io_uring_probe_op} array, as filled by
 * {@code IORING_REGISTER_PROBE}.
 *
 * <pre>
 *  0 last_op u8 | ops_len u8 | resv u16 | resv2 u32[3]
 * 16 ops[]: op u8 | resv u8 | flags u16 | resv2 u32    (8 bytes each)
 * </pre>
 */
public final class IoUringProbe {
    private IoUringProbe() {}

    public static final StructLayout OP_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2")).withName("io_uring_probe_op");

    public static final StructLayout HEADER_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2")).withName("io_uring_probe");

    /** The probe reports at most 256 opcodes: {@code ops_len} is a byte. */
    public static final int OPS_MAX = 256;
    public static final long HEADER_BYTES = HEADER_LAYOUT.byteSize();
    public static final long OP_BYTES = OP_LAYOUT.byteSize();
    public static final long BYTES = HEADER_BYTES + OPS_MAX * OP_BYTES;
    public static final long LAST_OP = HEADER_LAYOUT.byteOffset(groupElement("last_op"));
    public static final long OPS_LEN = HEADER_LAYOUT.byteOffset(groupElement("ops_len"));
    public static final long OP_OP = OP_LAYOUT.byteOffset(groupElement("op"));
    public static final long OP_FLAGS = OP_LAYOUT.byteOffset(groupElement("flags"));

    public static int lastOp(MemorySegment probe) {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, LAST_OP));
    }

    public static int opsLen(MemorySegment probe) {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, OPS_LEN));
    }

    public static int op(MemorySegment probe, int i) {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, HEADER_BYTES + i * OP_BYTES + OP_OP));
    }

    public static boolean supported(MemorySegment probe, int i) {
        int flags = Short.toUnsignedInt(probe.get(JAVA_SHORT, HEADER_BYTES + i * OP_BYTES + OP_FLAGS));
        return (flags & IoUring.IO_URING_OP_SUPPORTED) != 0;
    }
}
