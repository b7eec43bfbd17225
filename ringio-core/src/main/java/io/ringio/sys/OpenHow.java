package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct open_how} ({@code linux/openat2.h}), the argument of {@code openat2(2)} and
 * IORING_OP_OPENAT2.
 *
 * <pre>
 *  0 flags u64
 *  8 mode u64
 * 16 resolve u64
 * </pre>
 */
public final class OpenHow {
    private OpenHow() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("mode"),
            JAVA_LONG.withName("resolve")).withName("open_how");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    public static final long MODE = LAYOUT.byteOffset(groupElement("mode"));
    public static final long RESOLVE = LAYOUT.byteOffset(groupElement("resolve"));

    public static void set(MemorySegment how, long flags, long mode, long resolve) {
        how.set(JAVA_LONG, FLAGS, flags);
        how.set(JAVA_LONG, MODE, mode);
        how.set(JAVA_LONG, RESOLVE, resolve);
    }
}
