package io.ringio.sys;

import java.lang.foreign.MemorySegment;

/**
 * Views of native memory for code that hands a caller's buffer to another thread, the way the
 * kernel is handed a buffer's address. A confined segment refuses access from any thread but its
 * owner ({@link WrongThreadException}), yet io_uring reads and writes it from the kernel without
 * asking; a backend that does the I/O on worker threads needs the same freedom.
 */
public final class Segments {
    private Segments() {}

    /**
     * A segment over the same native memory as {@code segment}, of the same size, that any thread
     * may access and no arena closes. It does not keep {@code segment} alive: the caller must, for
     * as long as the view is used (an {@code Io} operation's buffer belongs to the operation until
     * its completion is delivered, so this holds for one operation).
     *
     * @throws IllegalArgumentException if {@code segment} is not native
     */
    @SuppressWarnings("restricted")
    public static MemorySegment anyThreadView(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("segment=" + segment + " is not native");
        }
        // The second reinterpret in ringio (Syscalls.mmapShared has the other): same address and
        // size as a segment the caller already holds, only without its owner thread.
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }
}
