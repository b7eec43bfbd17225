package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopGroup;
import io.ringio.loop.LoopClosedException;
import io.ringio.loop.LoopFuture;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An open file on an {@link EventLoop}: every method returns a future completed on the loop
 * thread, and {@link #blocking()} has the twin of each that parks the calling thread (a virtual
 * thread unmounts; its carrier is not pinned).
 *
 * <h2>Memory</h2>
 * Native {@link MemorySegment}s and direct {@link ByteBuffer}s go to the kernel as they are: they
 * belong to the operation until it settles, and must stay alive and untouched until then (for a
 * cancelled future too, see {@link LoopFuture#isSettled()}). Heap buffers and arrays are copied
 * through the loop's {@link BufferPool}, at most {@link BufferPool#CLASS_MAX_BYTES} per
 * operation, so a single {@code readAt} or {@code writeAt} of a heap buffer may transfer less
 * than asked; {@code readFully} and {@code writeFully} loop until done. A {@code ByteBuffer}'s
 * position advances by the bytes transferred, as with {@link java.nio.channels.FileChannel}.
 * Files opened with {@code DIRECT} need block-aligned memory, offsets and lengths; pooled
 * buffers are 4 KiB-aligned.
 *
 * <h2>Failures</h2>
 * Bad arguments throw {@link IllegalArgumentException} at the call. Operations on a closed file
 * fail with {@link ClosedChannelException}; on a closed loop with {@link LoopClosedException}.
 * Kernel failures are the typed {@link io.ringio.io.ErrnoException}s, naming the operation, the
 * path and the errno; an operation whose timeout expired fails with
 * {@link io.ringio.io.TimedOutException}.
 *
 * <h2>Threads</h2>
 * A {@code RingFile} may be used from any number of threads at once. Operations on overlapping
 * ranges run in no particular order, as with io_uring; order them by waiting.
 */
public final class RingFile implements AutoCloseable {
    /** Permission bits of a file that {@code CREATE} or {@code CREATE_NEW} makes (before the umask). */
    public static final int CREATE_MODE = 0644;

    static {
        // Looked up here, on the thread that opens the first file, rather than by the first
        // operation: a virtual thread that waits for another's class initialization is pinned,
        // and the pinning test caught exactly that with the JFR event types.
        FileEvents.touch();
        // The same for the JDK's heap-segment classes, which the first heap transfer would
        // otherwise initialize on a virtual thread ("freeze failed" in jdk.VirtualThreadPinned).
        MemorySegment.copy(MemorySegment.ofArray(new byte[1]).asSlice(0, 1), 0,
                MemorySegment.ofBuffer(ByteBuffer.allocate(1)), 0, 1);
    }

    private final FileState state;
    private final long timeoutNanos;
    private final BlockingRingFile blocking;

    private RingFile(FileState state, long timeoutNanos) {
        this.state = state;
        this.timeoutNanos = timeoutNanos;
        this.blocking = new BlockingRingFile(this);
    }

    // ------------------------------------------------------------------ opening

    /** Opens {@code path} on the next loop of the {@link EventLoopGroup#common() common group}. */
    public static CompletableFuture<RingFile> open(Path path, OpenOption... options) {
        return open(EventLoopGroup.common().next(), path, optionSet(options));
    }

    /** Opens {@code path} on {@code loop}; the options as for {@link java.nio.channels.FileChannel#open}. */
    public static CompletableFuture<RingFile> open(EventLoop loop, Path path, OpenOption... options) {
        return open(loop, path, optionSet(options));
    }

    /**
     * Opens {@code path} on {@code loop}. Supported options: {@code READ}, {@code WRITE},
     * {@code APPEND}, {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code DSYNC}
     * and {@code ExtendedOpenOption.DIRECT}; the rest are refused with
     * {@link IllegalArgumentException}. Without {@code READ} or {@code WRITE} the file is opened
     * for reading.
     */
    public static CompletableFuture<RingFile> open(EventLoop loop, Path path, Set<? extends OpenOption> options) {
        FileOp<RingFile> op = openOp(loop, path, options, false);
        CompletableFuture<RingFile> opened = new CompletableFuture<>();
        loop.submit(op).whenComplete((ignored, failure) -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
            } else {
                RingFile file = new RingFile(new FileState(loop, (int) op.count, op.path, op.flags), 0);
                if (!opened.complete(file)) {
                    file.closeAsync(); // the caller gave up on the open: nobody else can close it
                }
            }
        });
        return opened;
    }

    /** The blocking twin of {@link #open(EventLoop, Path, Set)}. */
    public static RingFile openBlocking(EventLoop loop, Path path, OpenOption... options) throws java.io.IOException {
        FileOp<RingFile> op = openOp(loop, path, optionSet(options), true);
        int handle = (int) BlockingRingFile.run(loop, op);
        return new RingFile(new FileState(loop, handle, op.path, op.flags), 0);
    }

    /** The options as a set; repeats allowed, as FileChannel.open allows them. */
    private static Set<OpenOption> optionSet(OpenOption[] options) {
        checkNotNull(options, "options");
        return new java.util.HashSet<>(java.util.Arrays.asList(options));
    }

    private static FileOp<RingFile> openOp(EventLoop loop, Path path, Set<? extends OpenOption> options, boolean blocking) {
        Objects.requireNonNull(loop, "loop");
        checkNotNull(path, "path");
        checkNotNull(options, "options");
        FileOp<RingFile> op = new FileOp<>(FileOp.OPEN, null, blocking);
        op.path = path.toString();
        op.flags = OpenOptions.flags(options);
        op.mode = CREATE_MODE;
        return op;
    }

    // ------------------------------------------------------------------ views

    /** The path this file was opened with. */
    public String path() {
        return state.path;
    }

    /** The loop this file's operations run on. */
    public EventLoop loop() {
        return state.loop;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return !state.closed;
    }

    /** The blocking twins of this file's methods. */
    public BlockingRingFile blocking() {
        return blocking;
    }

    /**
     * A view of this file whose operations each fail with {@link io.ringio.io.TimedOutException}
     * if they have not completed {@code timeout} after they started (the loop cancels them; a
     * readFully or writeFully counts each of its steps). {@link Duration#ZERO} means none.
     */
    public RingFile withTimeout(Duration timeout) {
        checkNotNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        return new RingFile(state, timeout.toNanos());
    }

    // ------------------------------------------------------------------ reads

    /** Reads up to {@code dst.byteSize()} bytes at {@code position}; completes with the count, 0 at end of file. */
    public CompletableFuture<Integer> readAt(MemorySegment dst, long position) {
        return submit(transfer(FileOp.READ, dst, null, position, false, false));
    }

    /** Reads into {@code dst} from its position up to its limit, at {@code position}; advances its position by the count. */
    public CompletableFuture<Integer> readAt(ByteBuffer dst, long position) {
        return submit(transfer(FileOp.READ, null, dst, position, false, false));
    }

    /** Reads up to {@code length} bytes into {@code dst} from {@code offset}, at {@code position}. */
    public CompletableFuture<Integer> readAt(byte[] dst, int offset, int length, long position) {
        return submit(transfer(FileOp.READ, RingFileArrays.slice(dst, offset, length), null, position, false, false));
    }

    /** Fills {@code dst} from {@code position}; fails with {@link java.io.EOFException} if the file ends first. */
    public CompletableFuture<Void> readFully(MemorySegment dst, long position) {
        return submit(transfer(FileOp.READ, dst, null, position, true, false));
    }

    /** Fills {@code dst} up to its limit from {@code position}; see {@link #readFully(MemorySegment, long)}. */
    public CompletableFuture<Void> readFully(ByteBuffer dst, long position) {
        return submit(transfer(FileOp.READ, null, dst, position, true, false));
    }

    /** Fills {@code length} bytes of {@code dst} from {@code offset}; see {@link #readFully(MemorySegment, long)}. */
    public CompletableFuture<Void> readFully(byte[] dst, int offset, int length, long position) {
        return submit(transfer(FileOp.READ, RingFileArrays.slice(dst, offset, length), null, position, true, false));
    }

    /** Reads into {@code dsts} in order from {@code position} (native segments, 1 to {@link Io#VECTOR_MAX}); completes with the count. */
    public CompletableFuture<Integer> readv(MemorySegment[] dsts, long position) {
        return submit(vector(FileOp.READV, dsts, position, false));
    }

    // ------------------------------------------------------------------ writes

    /** Writes {@code src} at {@code position}; completes with the count written, which may be short. */
    public CompletableFuture<Integer> writeAt(MemorySegment src, long position) {
        return submit(transfer(FileOp.WRITE, src, null, position, false, false));
    }

    /** Writes {@code src} from its position up to its limit; advances its position by the count. */
    public CompletableFuture<Integer> writeAt(ByteBuffer src, long position) {
        return submit(transfer(FileOp.WRITE, null, src, position, false, false));
    }

    /** Writes {@code length} bytes of {@code src} from {@code offset}, at {@code position}. */
    public CompletableFuture<Integer> writeAt(byte[] src, int offset, int length, long position) {
        return submit(transfer(FileOp.WRITE, RingFileArrays.slice(src, offset, length), null, position, false, false));
    }

    /** Writes all of {@code src} at {@code position}, looping over short writes. */
    public CompletableFuture<Void> writeFully(MemorySegment src, long position) {
        return submit(transfer(FileOp.WRITE, src, null, position, true, false));
    }

    /** Writes {@code src} up to its limit at {@code position}, looping over short writes. */
    public CompletableFuture<Void> writeFully(ByteBuffer src, long position) {
        return submit(transfer(FileOp.WRITE, null, src, position, true, false));
    }

    /** Writes {@code length} bytes of {@code src} from {@code offset} at {@code position}, looping over short writes. */
    public CompletableFuture<Void> writeFully(byte[] src, int offset, int length, long position) {
        return submit(transfer(FileOp.WRITE, RingFileArrays.slice(src, offset, length), null, position, true, false));
    }

    /** Writes {@code srcs} in order from {@code position} (native segments, 1 to {@link Io#VECTOR_MAX}); completes with the count. */
    public CompletableFuture<Integer> writev(MemorySegment[] srcs, long position) {
        return submit(vector(FileOp.WRITEV, srcs, position, false));
    }

    // ------------------------------------------------------------------ the rest

    /**
     * fsync: completes once the file's data and metadata are durable. A failure is final (see
     * DESIGN.md): the kernel may have dropped the dirty pages, and a later sync that succeeds
     * proves nothing about them.
     */
    public CompletableFuture<Void> sync() {
        return submit(simple(FileOp.SYNC, false));
    }

    /** fdatasync: like {@link #sync()}, but metadata that reading the data does not need (mtime) may stay behind. */
    public CompletableFuture<Void> datasync() {
        return submit(simple(FileOp.DATASYNC, false));
    }

    /** The file's size in bytes. */
    public CompletableFuture<Long> size() {
        return submit(simple(FileOp.SIZE, false));
    }

    /** Sets the size to {@code length}, cutting or extending with zeros. */
    public CompletableFuture<Void> truncate(long length) {
        return submit(truncateOp(length, false));
    }

    /**
     * Reserves disk space for {@code [offset, offset + length)} (fallocate); with {@code keepSize}
     * the file's size stays as it is. The FileChannel backend cannot reserve, and only extends.
     */
    public CompletableFuture<Void> allocate(long offset, long length, boolean keepSize) {
        return submit(allocateOp(offset, length, keepSize, false));
    }

    /**
     * Closes the file once its operations in flight have completed; new operations are refused
     * from the call on. Idempotent: a second call completes at once.
     */
    public CompletableFuture<Void> closeAsync() {
        return closeOp(false);
    }

    /** Closes the file and waits: the blocking {@link #closeAsync()}. */
    @Override
    public void close() throws java.io.IOException {
        blocking.close();
    }

    @Override
    public String toString() {
        return "RingFile[" + state.path + (state.closed ? ", closed" : "") + " on " + state.loop.name() + "]";
    }

    // ------------------------------------------------------------------ building operations

    <T> FileOp<T> transfer(int code, MemorySegment mem, ByteBuffer bb, long position, boolean fully, boolean blockingCall) {
        checkPosition(position);
        boolean read = code == FileOp.READ;
        if (bb != null) {
            if (read && bb.isReadOnly()) {
                throw new IllegalArgumentException("dst is a read-only buffer");
            }
            mem = MemorySegment.ofBuffer(bb);
        } else {
            checkNotNull(mem, read ? "dst" : "src");
        }
        if (read && mem.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only segment");
        }
        FileOp<T> op = newOp(code, blockingCall);
        op.byteBuffer = bb;
        op.offset = position;
        op.fully = fully;
        op.length = mem.byteSize();
        if (mem.isNative()) {
            op.kernel = mem;
        } else {
            BufferPool pool = state.loop.buffers();
            long chunk = Math.min(mem.byteSize(), BufferPool.CLASS_MAX_BYTES);
            op.heap = mem;
            op.pool = pool;
            op.pooled = pool.acquire(Math.max(chunk, 1));
            op.kernel = op.pooled.asSlice(0, chunk);
            if (!read) {
                MemorySegment.copy(mem, 0, op.kernel, 0, chunk);
            }
        }
        return op;
    }

    <T> FileOp<T> vector(int code, MemorySegment[] segments, long position, boolean blockingCall) {
        checkPosition(position);
        checkNotNull(segments, code == FileOp.READV ? "dsts" : "srcs");
        MemorySegment[] vector = segments.clone();
        // At the call, as the class comment promises, not later on the loop thread.
        io.ringio.internal.IoArguments.checkBuffers(vector, code == FileOp.READV);
        FileOp<T> op = newOp(code, blockingCall);
        op.vector = vector;
        op.offset = position;
        return op;
    }

    <T> FileOp<T> simple(int code, boolean blockingCall) {
        FileOp<T> op = newOp(code, blockingCall);
        if (code == FileOp.SIZE) {
            op.stat = new FileStat();
        }
        return op;
    }

    <T> FileOp<T> truncateOp(long length, boolean blockingCall) {
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        FileOp<T> op = newOp(FileOp.TRUNCATE, blockingCall);
        op.length = length;
        return op;
    }

    <T> FileOp<T> allocateOp(long offset, long length, boolean keepSize, boolean blockingCall) {
        checkPosition(offset);
        if (length <= 0) {
            throw new IllegalArgumentException("length=" + length + " must be positive");
        }
        FileOp<T> op = newOp(FileOp.ALLOCATE, blockingCall);
        op.offset = offset;
        op.length = length;
        op.keepSize = keepSize;
        return op;
    }

    private <T> FileOp<T> newOp(int code, boolean blockingCall) {
        if (blockingCall) {
            // Before anything is taken from the pool: a refused call must not leak a buffer.
            state.loop.checkMayBlock();
        }
        FileOp<T> op = new FileOp<>(code, state, blockingCall);
        if (timeoutNanos > 0) {
            EventLoop.withTimeout(op, timeoutNanos);
        }
        return op;
    }

    /** Submits {@code op}, or fails it at once when the file is closed. */
    @SuppressWarnings("unchecked")
    <T, R> CompletableFuture<R> submit(FileOp<T> op) {
        if (state.closed) {
            op.rejectClosed();
            return (CompletableFuture<R>) op;
        }
        op.beginEvent();
        return (CompletableFuture<R>) state.loop.submit(op);
    }

    /** The close, shared by the two twins: returns the close operation's future, already submitted or waiting. */
    CompletableFuture<Void> closeOp(boolean blockingCall) {
        FileOp<Void> op = new FileOp<>(FileOp.CLOSE, state, blockingCall);
        synchronized (state) {
            if (state.closed) {
                op.alreadyClosed();
                return op;
            }
            state.closed = true;
        }
        try {
            state.loop.execute(() -> {
                if (state.cachedReads) {
                    // A cached read on a caller's thread holds the fd for a page-cache copy, a
                    // few microseconds: the fd number must not be freed under it.
                    CachedReads.awaitReaders(state.handle);
                }
                state.closeTaken = true;
                if (state.inFlight == 0) {
                    state.loop.submit(op);
                } else {
                    state.pendingClose = op;
                }
            });
        } catch (LoopClosedException e) {
            // The loop closed its Io, which closed the file with it.
            op.alreadyClosed();
        }
        return op;
    }

    FileState state() {
        return state;
    }

    static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position=" + position + " must not be negative");
        }
    }

    static void checkNotNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + "=null");
        }
    }
}
