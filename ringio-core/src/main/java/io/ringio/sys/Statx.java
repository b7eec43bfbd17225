package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct statx} ({@code linux/stat.h}), 256 bytes, filled by {@code statx(2)} and
 * IORING_OP_STATX.
 *
 * <pre>
 *   0 stx_mask u32 | stx_blksize u32
 *   8 stx_attributes u64
 *  16 stx_nlink u32 | stx_uid u32
 *  24 stx_gid u32 | stx_mode u16 | spare u16
 *  32 stx_ino | stx_size | stx_blocks | stx_attributes_mask (u64 each)
 *  64 stx_atime | stx_btime | stx_ctime | stx_mtime (statx_timestamp: s64 sec, u32 nsec, s32 pad)
 * 128 stx_rdev_major | stx_rdev_minor | stx_dev_major | stx_dev_minor (u32 each)
 * 144 stx_mnt_id u64
 * 152 stx_dio_mem_align u32 | stx_dio_offset_align u32
 * 160 spare u64[12]
 * </pre>
 */
public final class Statx {
    private Statx() {}

    public static final StructLayout TIMESTAMP = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_INT.withName("tv_nsec"),
            JAVA_INT.withName("reserved")).withName("statx_timestamp");

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("stx_mask"),
            JAVA_INT.withName("stx_blksize"),
            JAVA_LONG.withName("stx_attributes"),
            JAVA_INT.withName("stx_nlink"),
            JAVA_INT.withName("stx_uid"),
            JAVA_INT.withName("stx_gid"),
            JAVA_SHORT.withName("stx_mode"),
            JAVA_SHORT.withName("spare0"),
            JAVA_LONG.withName("stx_ino"),
            JAVA_LONG.withName("stx_size"),
            JAVA_LONG.withName("stx_blocks"),
            JAVA_LONG.withName("stx_attributes_mask"),
            TIMESTAMP.withName("stx_atime"),
            TIMESTAMP.withName("stx_btime"),
            TIMESTAMP.withName("stx_ctime"),
            TIMESTAMP.withName("stx_mtime"),
            JAVA_INT.withName("stx_rdev_major"),
            JAVA_INT.withName("stx_rdev_minor"),
            JAVA_INT.withName("stx_dev_major"),
            JAVA_INT.withName("stx_dev_minor"),
            JAVA_LONG.withName("stx_mnt_id"),
            JAVA_INT.withName("stx_dio_mem_align"),
            JAVA_INT.withName("stx_dio_offset_align"),
            MemoryLayout.sequenceLayout(12, JAVA_LONG).withName("spare3")).withName("statx");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long MASK = offset("stx_mask");
    public static final long BLKSIZE = offset("stx_blksize");
    public static final long MODE = offset("stx_mode");
    public static final long INO = offset("stx_ino");
    public static final long SIZE = offset("stx_size");
    public static final long BLOCKS = offset("stx_blocks");
    public static final long MTIME = offset("stx_mtime");
    public static final long MTIME_SEC = MTIME + TIMESTAMP.byteOffset(groupElement("tv_sec"));
    public static final long MTIME_NSEC = MTIME + TIMESTAMP.byteOffset(groupElement("tv_nsec"));
    public static final long DIO_MEM_ALIGN = offset("stx_dio_mem_align");
    public static final long DIO_OFFSET_ALIGN = offset("stx_dio_offset_align");

    /** Want or got the file type in stx_mode. */
    public static final int STATX_TYPE = 0x1;
    /** Want or got the permission bits in stx_mode. */
    public static final int STATX_MODE = 0x2;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BLOCKS = 0x400;
    /** What stat(2) returns. */
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_DIOALIGN = 0x2000;

    /** File type mask and types in stx_mode ({@code sys/stat.h}). */
    public static final int S_IFMT = 0xF000;
    public static final int S_IFDIR = 0x4000;
    public static final int S_IFREG = 0x8000;
    public static final int S_IFLNK = 0xA000;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    public static int mask(MemorySegment stx) {
        return stx.get(JAVA_INT, MASK);
    }

    public static int blockSize(MemorySegment stx) {
        return stx.get(JAVA_INT, BLKSIZE);
    }

    public static int mode(MemorySegment stx) {
        return Short.toUnsignedInt(stx.get(JAVA_SHORT, MODE));
    }

    public static long size(MemorySegment stx) {
        return stx.get(JAVA_LONG, SIZE);
    }

    public static long blocks(MemorySegment stx) {
        return stx.get(JAVA_LONG, BLOCKS);
    }

    public static long mtimeSeconds(MemorySegment stx) {
        return stx.get(JAVA_LONG, MTIME_SEC);
    }

    public static int mtimeNanos(MemorySegment stx) {
        return stx.get(JAVA_INT, MTIME_NSEC);
    }
}
