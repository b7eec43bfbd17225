package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_files_update} (the same bytes as {@code io_uring_rsrc_update}), the
 * argument of {@code IORING_REGISTER_FILES_UPDATE}.
 *
 * <pre>
 *  0 offset u32 | resv u32
 *  8 data u64 (pointer to an array of s32 fds; -1 empties a slot)
 * </pre>
 */
public final class RsrcUpdate {
    private RsrcUpdate() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("resv"),
            JAVA_LONG.withName("data")).withName("io_uring_files_update");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long OFFSET = LAYOUT.byteOffset(groupElement("offset"));
    public static final long DATA = LAYOUT.byteOffset(groupElement("data"));

    public static void set(MemorySegment update, int offset, MemorySegment fds) {
        update.set(JAVA_INT, OFFSET, offset);
        update.set(JAVA_INT, OFFSET + Integer.BYTES, 0);
        update.set(JAVA_LONG, DATA, fds.address());
    }
}
