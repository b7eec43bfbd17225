package io.ringio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_getevents_arg}: what {@code io_uring_enter(2)} reads with
 * {@code IORING_ENTER_EXT_ARG}, a wait timeout without a TIMEOUT SQE.
 *
 * <pre>
 *  0 sigmask u64
 *  8 sigmask_sz u32 | pad u32
 * 16 ts u64 (pointer to a __kernel_timespec)
 * </pre>
 */
public final class GeteventsArg {
    private GeteventsArg() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_INT.withName("sigmask_sz"),
            JAVA_INT.withName("pad"),
            JAVA_LONG.withName("ts")).withName("io_uring_getevents_arg");

    public static final long BYTES = LAYOUT.byteSize();
    public static final long SIGMASK = LAYOUT.byteOffset(groupElement("sigmask"));
    public static final long SIGMASK_SZ = LAYOUT.byteOffset(groupElement("sigmask_sz"));
    public static final long TS = LAYOUT.byteOffset(groupElement("ts"));

    /** No signal mask; wait at most as long as {@code timespec} says. */
    public static void setTimeout(MemorySegment arg, MemorySegment timespec) {
        arg.set(JAVA_LONG, SIGMASK, 0L);
        arg.set(JAVA_INT, SIGMASK_SZ, 0);
        arg.set(JAVA_LONG, TS, timespec.address());
    }
}
