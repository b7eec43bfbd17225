package io.ringio.file;

import io.ringio.sys.Iovec;
import io.ringio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The synchronous fast path of a blocking read: {@code preadv2(RWF_NOWAIT)} on the caller's
 * thread, which copies what the page cache holds without a trip through the loop, and answers
 * -EAGAIN when the data would have to come from the disk (then the read goes through the ring).
 * A plain pread is faster than io_uring for cached data on one thread; this keeps that.
 *
 * <p>Each call needs 16 bytes of iovec and a word for errno in native memory: they come from a
 * fixed set of scratch slots, claimed with a CAS from a point chosen by the thread id, so that
 * concurrent readers rarely meet. When every slot is busy the read simply takes the ring. The
 * claim holds the fd being read, which is what keeps a close from freeing the fd number under a
 * reader: the close sets the file's closed flag, then waits until no slot holds its fd
 * ({@link #awaitReaders}); a reader looks at the flag after its claim. One CAS per read. The
 * caller counts a read it takes in the loop's stats: a count short of the request may mean that
 * only part of the range was cached, and a caller may read the whole range through the ring
 * instead.
 */
final class CachedReads {
    private CachedReads() {}

    /** Scratch slots; more than the carriers of virtual threads on any machine this runs on. */
    static final int SLOTS = 256;
    private static final long SLOT_BYTES = 64;
    /** A free slot; a taken one holds the fd being read plus one. */
    private static final int FREE = 0;

    private static final MemorySegment SCRATCH = Arena.global().allocate(SLOTS * SLOT_BYTES, SLOT_BYTES);
    private static final AtomicIntegerArray STATE = new AtomicIntegerArray(SLOTS);
    private static final long CALL_STATE_OFFSET = 32;
    // Sliced once, so that a read allocates no segment.
    private static final MemorySegment[] IOVECS = new MemorySegment[SLOTS];
    private static final MemorySegment[] CALL_STATES = new MemorySegment[SLOTS];

    static {
        for (int i = 0; i < SLOTS; i++) {
            IOVECS[i] = SCRATCH.asSlice(i * SLOT_BYTES, Iovec.BYTES);
            CALL_STATES[i] = SCRATCH.asSlice(i * SLOT_BYTES + CALL_STATE_OFFSET, SLOT_BYTES - CALL_STATE_OFFSET);
        }
    }

    /** The answer when no scratch slot was free: treated like -EAGAIN, the ring takes the read. */
    static final long NO_SLOT = Long.MIN_VALUE;

    /**
     * Reads into {@code buf} at {@code offset} of {@code file} from the page cache: bytes read
     * (fewer than asked when only the first part is cached, or at the end of the file), -errno
     * (-EAGAIN: the first page is not cached), or {@link #NO_SLOT} (also when the file is closed).
     */
    static long read(FileState file, MemorySegment buf, long offset) {
        int claim = file.handle + 1;
        int start = (int) (Thread.currentThread().threadId() * 0x9E3779B9L >>> 24) & (SLOTS - 1);
        for (int probe = 0; probe < 4; probe++) {
            int slot = (start + probe) & (SLOTS - 1);
            if (STATE.compareAndSet(slot, FREE, claim)) {
                try {
                    // After the claim, which is a full fence: a close that set the flag earlier
                    // is seen here, and one that sets it later sees our claim and waits.
                    if (file.closed) {
                        return NO_SLOT;
                    }
                    MemorySegment iovec = IOVECS[slot];
                    Iovec.set(iovec, 0, buf);
                    return Syscalls.preadv2(CALL_STATES[slot], file.handle, iovec, 1, offset, Syscalls.RWF_NOWAIT);
                } finally {
                    // Released: the slot's scratch is free for the next reader only after this read.
                    STATE.setRelease(slot, FREE);
                }
            }
        }
        return NO_SLOT;
    }

    /**
     * Waits until no thread is inside a cached read of {@code fd}; call after setting the file's
     * closed flag. A read holds its slot for one page-cache copy, microseconds.
     */
    static void awaitReaders(int fd) {
        int claim = fd + 1;
        for (int slot = 0; slot < SLOTS; slot++) {
            while (STATE.get(slot) == claim) {
                Thread.onSpinWait();
            }
        }
    }
}
