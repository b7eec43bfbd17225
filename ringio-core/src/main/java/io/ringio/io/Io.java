package io.ringio.io;

import java.lang.foreign.MemorySegment;

/**
 * Completion-based file I/O: the seam between storage engines and kernels. The same engine code
 * runs on io_uring ({@code UringIo}), on FileChannel ({@code ChannelIo}) and on the simulator.
 *
 * <h2>Model</h2>
 * Each operation is submitted with a caller's {@code long tag} and later completes as a
 * {@code (tag, result)} pair handed to an {@link IoHandler} by {@link #poll} or {@link #park}:
 * a non-negative result on success, {@code -errno} on failure (see {@link io.ringio.sys.Errno};
 * {@link ErrnoException#of} turns one into a typed exception). Completions may arrive in any
 * order, as the kernel's do. Every submitted operation completes exactly once, cancelled ones
 * with {@code -ECANCELED}. Tags must be unique among the operations in flight: reusing one is an
 * {@link IllegalArgumentException}. {@code EINTR} and {@code EAGAIN} are retried inside and never
 * reported. Short reads and writes are reported as they are (the result is the byte count); the
 * caller loops.
 *
 * <h2>Submitting</h2>
 * A submission method returns {@code true} when the operation was accepted and {@code false}
 * when the backend is at {@link #capacity()}: poll or park for completions, then submit again.
 * Accepted operations may wait in the backend until the next {@code poll} or {@code park},
 * which hand them to the kernel (or workers) in one batch. Arguments are checked at submission
 * and refused with {@link IllegalArgumentException} (negative offsets, lengths past a buffer,
 * heap memory, closed segments, unknown flags); using a closed {@code Io} is an
 * {@link IllegalStateException}.
 *
 * <h2>Memory</h2>
 * Buffers must be native {@link MemorySegment}s (the kernel needs memory that does not move). A
 * buffer, and an array of buffers, belongs to the operation from submission until its completion
 * has been delivered: keep it alive and untouched. {@link #close()} waits for every operation, so
 * memory may be freed once close has returned.
 *
 * <h2>Files</h2>
 * {@link #open} completes with a file handle: an {@code int} that names the open file to this
 * {@code Io} only (a kernel fd for io_uring, a table slot elsewhere). Paths are strings, encoded
 * as UTF-8, of at most {@link #PATH_BYTES_MAX} bytes.
 *
 * <h2>Links</h2>
 * {@link #linkNext()} links the next operation submitted to the one after it: the second starts
 * only after the first has completed in full. If the first fails, or transfers fewer bytes than
 * asked, the second (and the rest of the chain) completes with {@code -ECANCELED} and did not
 * run. This is how a write and the fdatasync that must cover it are ordered.
 *
 * <h2>Threads</h2>
 * An {@code Io} is used by one thread at a time; it is not thread-safe, except for
 * {@link #wakeup()}.
 */
public interface Io extends AutoCloseable {
    /** Longest path accepted, in UTF-8 bytes (PATH_MAX less the terminating NUL). */
    int PATH_BYTES_MAX = 4095;
    /** Most operations in one chain of {@link #linkNext()} calls. */
    int CHAIN_MAX = 32;
    /** Most buffers in one {@link #readv} or {@link #writev} (UIO_MAXIOV). */
    int VECTOR_MAX = 1024;

    /** Opens {@code path} with {@link OpenFlags} and permission bits {@code mode} (used when creating); completes with a file handle. */
    boolean open(long tag, String path, int flags, int mode);

    /**
     * Closes a file handle; completes with 0. The handle is invalid from submission on.
     * Operations on it submitted earlier finish on the open file when they are linked ahead of
     * the close ({@link #linkNext()}) or have completed; unlinked ones have no order on io_uring
     * and may run after the close and fail with EBADF. A close that is cancelled (behind a failed
     * link, say) still closes the file.
     */
    boolean close(long tag, int file);

    /** Reads up to {@code buf.byteSize()} bytes at {@code offset}; completes with the count, 0 at end of file. */
    boolean read(long tag, int file, MemorySegment buf, long offset);

    /** Writes {@code buf} at {@code offset}; completes with the count written, which may be short. */
    boolean write(long tag, int file, MemorySegment buf, long offset);

    /** Reads into {@code bufs} in order from {@code offset}; 1 to {@link #VECTOR_MAX} buffers, empty ones allowed. */
    boolean readv(long tag, int file, MemorySegment[] bufs, long offset);

    /** Writes {@code bufs} in order from {@code offset}; 1 to {@link #VECTOR_MAX} buffers, empty ones allowed. */
    boolean writev(long tag, int file, MemorySegment[] bufs, long offset);

    /**
     * fsync, or fdatasync when {@code dataOnly}: completes with 0 once the file's data (and with
     * fsync its metadata) is durable. A failure is final for the file (see DESIGN.md): its dirty
     * data may already be lost, and a later sync that succeeds proves nothing.
     */
    boolean sync(long tag, int file, boolean dataOnly);

    /** Fills {@code out} with the size, block size, type and modification time of an open file; completes with 0. */
    boolean stat(long tag, int file, FileStat out);

    /** Like {@link #stat(long, int, FileStat)} for a path, following symbolic links. */
    boolean stat(long tag, String path, FileStat out);

    /** Renames {@code from} to {@code to}; with {@code noReplace} an existing {@code to} is EEXIST. */
    boolean rename(long tag, String from, String to, boolean noReplace);

    /** Removes a file (not a directory). */
    boolean unlink(long tag, String path);

    /** Removes an empty directory. */
    boolean rmdir(long tag, String path);

    /** Creates a directory with permission bits {@code mode}. */
    boolean mkdir(long tag, String path, int mode);

    /** Allocates disk space for {@code [offset, offset + length)}; with {@code keepSize} the file size stays as it is. */
    boolean allocate(long tag, int file, long offset, long length, boolean keepSize);

    /** Sets the file's size to {@code length}, cutting or extending with zeros. */
    boolean truncate(long tag, int file, long length);

    /** Does nothing; completes with 0. */
    boolean nop(long tag);

    /** Completes with 0 after {@code nanos}, or with {@code -ECANCELED} if cancelled first. */
    boolean timeout(long tag, long nanos);

    /**
     * Cancels the operation in flight with {@code targetTag}: it completes with -ECANCELED unless
     * it had already started or finished. This operation completes with 0 when the target was
     * cancelled, {@code -ENOENT} when no such operation was in flight, {@code -EALREADY} when it
     * could not be stopped (it still completes, with its own result).
     */
    boolean cancel(long tag, long targetTag);

    /**
     * Links the next operation submitted to the one after it (see the class comment). Returns
     * false, and links nothing, when there is no room for a chain of {@link #CHAIN_MAX}
     * operations (or of {@link #capacity()}, if smaller): poll, then try again. A chain ends at
     * the first operation submitted without a preceding {@code linkNext()}, or at the next
     * {@code poll} or {@code park}; a chain longer than {@link #CHAIN_MAX} or than the capacity
     * is refused with {@link IllegalStateException}.
     */
    boolean linkNext();

    /**
     * Hands waiting submissions to the kernel, then delivers the completions that are ready,
     * without blocking. Returns how many were delivered. If the handler throws, the remaining
     * ready completions are still delivered, then the first exception is rethrown.
     */
    int poll(IoHandler handler);

    /**
     * Like {@link #poll}, but first waits until at least one completion is ready or
     * {@code timeoutNanos} has passed (0: do not wait). Returns how many were delivered.
     */
    int park(long timeoutNanos, IoHandler handler);

    /**
     * Makes a {@link #park} in progress return early, or the next one if none is in progress,
     * with whatever completions are ready. The one method that any thread may call, at any time,
     * also after {@link #close()} (then it does nothing). An event loop calls it when another
     * thread hands it work while it is parked.
     */
    void wakeup();

    /**
     * Opens the backend {@link BackendSelector} chooses: io_uring when it is usable, FileChannel
     * otherwise, unless {@code -Dringio.backend} or {@code RINGIO_BACKEND} says otherwise. The
     * choice and its reason are in {@link #backend()}.
     */
    static Io open(IoOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return BackendSelector.open(options);
    }

    /** Operations submitted and not yet delivered. */
    int inFlight();

    /** The most operations this {@code Io} holds in flight; past it, submissions return false. */
    int capacity();

    /** Which backend this is, and why it was chosen. */
    IoBackend backend();

    /**
     * Cancels whatever is in flight and waits for all of it, then releases the backend. Pending
     * completions are dropped: poll first to see them. Idempotent.
     */
    @Override
    void close();
}
