package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe}, the 64-byte submission queue entry ({@code linux/io_uring.h}).
 * Accessors take the SQE array and an entry index; there is no object per SQE.
 *
 * <pre>
 *  0 opcode u8 | flags u8 | ioprio u16 | fd s32
 *  8 off / addr2 u64
 * 16 addr u64
 * 24 len u32 | op_flags u32 (rw_flags, fsync_flags, timeout_flags, open_flags, ...)
 * 32 user_data u64
 * 40 buf_index u16 | personality u16 | file_index / splice_fd_in u32
 * 48 addr3 u64
 * 56 pad u64
 * </pre>
 *
 * Only the first union member of each union is named in {@link #LAYOUT}; the others share its
 * offset and are set through the same accessor.
 */
public final class Sqe {
    private Sqe() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            JAVA_LONG.withName("off"),
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("op_flags"),
            JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_index"),
            JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("file_index"),
            JAVA_LONG.withName("addr3"),
            JAVA_LONG.withName("pad2")).withName("io_uring_sqe");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long OPCODE = offset("opcode");
    public static final long FLAGS = offset("flags");
    public static final long IOPRIO = offset("ioprio");
    public static final long FD = offset("fd");
    public static final long OFF = offset("off");
    public static final long ADDR = offset("addr");
    public static final long LEN = offset("len");
    public static final long OP_FLAGS = offset("op_flags");
    public static final long USER_DATA = offset("user_data");
    public static final long BUF_INDEX = offset("buf_index");
    public static final long PERSONALITY = offset("personality");
    public static final long FILE_INDEX = offset("file_index");
    public static final long ADDR3 = offset("addr3");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private static long base(int index) {
        return index * BYTES;
    }

    /** Zeroes entry {@code index}: every field of a reused SQE must start from zero. */
    public static void clear(MemorySegment sqes, int index) {
        long b = base(index);
        for (long o = 0; o < BYTES; o += Long.BYTES) {
            sqes.set(JAVA_LONG, b + o, 0L);
        }
    }

    /**
     * Sets the fields shared by most operations (liburing's {@code io_uring_prep_rw}); the entry
     * must have been {@link #clear cleared} first.
     */
    public static void prepRw(MemorySegment sqes, int index, int opcode, int fd, long addr, int len, long off) {
        long b = base(index);
        sqes.set(JAVA_BYTE, b + OPCODE, (byte) opcode);
        sqes.set(JAVA_INT, b + FD, fd);
        sqes.set(JAVA_LONG, b + OFF, off);
        sqes.set(JAVA_LONG, b + ADDR, addr);
        sqes.set(JAVA_INT, b + LEN, len);
    }

    public static int opcode(MemorySegment sqes, int index) {
        return Byte.toUnsignedInt(sqes.get(JAVA_BYTE, base(index) + OPCODE));
    }

    public static int flags(MemorySegment sqes, int index) {
        return Byte.toUnsignedInt(sqes.get(JAVA_BYTE, base(index) + FLAGS));
    }

    public static void setFlags(MemorySegment sqes, int index, int flags) {
        sqes.set(JAVA_BYTE, base(index) + FLAGS, (byte) flags);
    }

    public static int fd(MemorySegment sqes, int index) {
        return sqes.get(JAVA_INT, base(index) + FD);
    }

    public static long off(MemorySegment sqes, int index) {
        return sqes.get(JAVA_LONG, base(index) + OFF);
    }

    public static long addr(MemorySegment sqes, int index) {
        return sqes.get(JAVA_LONG, base(index) + ADDR);
    }

    public static int len(MemorySegment sqes, int index) {
        return sqes.get(JAVA_INT, base(index) + LEN);
    }

    /** The per-opcode flags word: rw_flags, fsync_flags, timeout_flags, open_flags, and so on. */
    public static void setOpFlags(MemorySegment sqes, int index, int flags) {
        sqes.set(JAVA_INT, base(index) + OP_FLAGS, flags);
    }

    public static int opFlags(MemorySegment sqes, int index) {
        return sqes.get(JAVA_INT, base(index) + OP_FLAGS);
    }

    public static void setUserData(MemorySegment sqes, int index, long userData) {
        sqes.set(JAVA_LONG, base(index) + USER_DATA, userData);
    }

    public static long userData(MemorySegment sqes, int index) {
        return sqes.get(JAVA_LONG, base(index) + USER_DATA);
    }

    public static void setBufIndex(MemorySegment sqes, int index, int bufIndex) {
        sqes.set(JAVA_SHORT, base(index) + BUF_INDEX, (short) bufIndex);
    }

    public static int bufIndex(MemorySegment sqes, int index) {
        return Short.toUnsignedInt(sqes.get(JAVA_SHORT, base(index) + BUF_INDEX));
    }

    public static void setFileIndex(MemorySegment sqes, int index, int fileIndex) {
        sqes.set(JAVA_INT, base(index) + FILE_INDEX, fileIndex);
    }

    public static void setOff(MemorySegment sqes, int index, long off) {
        sqes.set(JAVA_LONG, base(index) + OFF, off);
    }

    public static void setAddr3(MemorySegment sqes, int index, long addr3) {
        sqes.set(JAVA_LONG, base(index) + ADDR3, addr3);
    }
}
