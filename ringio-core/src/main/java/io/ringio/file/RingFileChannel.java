package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.ErrnoException;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopGroup;
import io.ringio.loop.LoopClosedException;
import io.ringio.sys.Errno;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link FileChannel} over a {@link RingFile}: code written against {@code FileChannel} switches
 * by changing the line that opens it. Reads, writes, sizes, truncation and syncs are the
 * {@link BlockingRingFile blocking twins} of the file's operations, so they run on its
 * {@link EventLoop} (io_uring, or the FileChannel backend where io_uring is unavailable) while the
 * calling thread parks; a virtual thread unmounts and its carrier is not pinned.
 *
 * <p>What a caller sees is {@code FileChannel}'s contract as the JDK implements it on Linux:
 * return values, the channel position (relative operations use and advance it; positional ones
 * leave it alone; in {@code APPEND} mode writes go to the end and {@link #position()} is the
 * size), end of file as {@code -1}, and the unchecked exceptions
 * ({@link NonReadableChannelException}, {@link NonWritableChannelException},
 * {@link IllegalArgumentException}) in the JDK's order. Relative operations and position changes
 * are serialised by one lock, as in the JDK.
 *
 * <h2>How it differs from the JDK's FileChannel</h2>
 * <ul>
 *   <li><b>Interrupts do not close the channel.</b> An interrupt cancels the operation in flight
 *       and throws {@link InterruptedIOException} whose {@code bytesTransferred} says how many
 *       bytes moved before the cancel took hold (possibly all of them, when it came during the
 *       last step); a relative operation has advanced the position by exactly that many. The
 *       interrupt status stays set, so the next blocking call is likely to be cancelled too until
 *       the caller clears it. The JDK would close the channel and throw
 *       {@link java.nio.channels.ClosedByInterruptException}.</li>
 *   <li><b>Closing waits for operations in flight</b> instead of aborting them (a file operation
 *       is short); an operation that starts after the close fails with
 *       {@link ClosedChannelException} rather than its subclass
 *       {@link java.nio.channels.AsynchronousCloseException}.</li>
 *   <li><b>{@code map} and {@code lock} go to a second, plain {@code FileChannel}</b>, opened on
 *       the same path the first time one of them is called, with the access this channel has
 *       ({@code READ} and/or {@code WRITE}; never {@code CREATE} or {@code TRUNCATE_EXISTING}),
 *       and closed with this channel. If the path was renamed, removed or replaced since this
 *       channel was opened, they act on what the path names now, or fail. Mappings share the
 *       page cache with this channel's reads and writes, except for a file opened with
 *       {@code DIRECT}. A {@link FileLock} from this channel names this channel as
 *       {@link FileLock#channel()}; it is an fcntl lock on the file, so, as the JDK's
 *       {@link FileLock} warns for Linux, closing any channel of the file in this JVM may release
 *       it. {@link #lock} waits by trying ({@code tryLock}) every 1 to 50 ms, so it takes a
 *       lock that another process releases up to 50 ms late; an interrupt while it waits ends
 *       it with {@link java.nio.channels.FileLockInterruptionException} and leaves the second
 *       channel, and the locks taken through it, as they were (the JDK's own {@code lock} would
 *       close the channel, and release them all).</li>
 *   <li><b>Transfers copy</b> through a buffer of the loop's {@link BufferPool}, at most
 *       {@value #TRANSFER_BYTES_MAX} bytes per step, instead of sendfile or copy_file_range. The
 *       target's (or source's) writability (readability) is checked up front only when it is a
 *       {@code RingFileChannel}; any other channel refuses on its first write (read).</li>
 *   <li><b>Scattering and gathering</b> read or write one buffer after the other: another writer
 *       may come between two buffers. They take all the buffers, where the JDK stops at
 *       {@code IOV_MAX} (1024) per call.</li>
 *   <li><b>Failures</b> after the open are ringio's typed {@link ErrnoException}s (still
 *       {@link IOException}s); a closed loop fails operations with {@link LoopClosedException}, an
 *       unchecked exception. A blocking call made on the loop's own thread is refused with
 *       {@link IllegalStateException}. A file opened with {@code DIRECT} is not checked for
 *       alignment up front: a misaligned transfer fails with EINVAL from the kernel.</li>
 *   <li><b>Open options</b> are {@link RingFile#open(EventLoop, Path, Set)}'s: {@code SYNC},
 *       {@code DELETE_ON_CLOSE}, {@code SPARSE} and {@code NOFOLLOW_LINKS} are refused with
 *       {@link IllegalArgumentException}. Failures to open are translated to the JDK's
 *       {@link NoSuchFileException}, {@link FileAlreadyExistsException},
 *       {@link AccessDeniedException} or {@link FileSystemException}, with ringio's as cause.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * A direct buffer goes to the kernel as it is; a heap buffer is copied through the loop's pool
 * in chunks of at most {@link BufferPool#CLASS_MAX_BYTES}, and a read loops over chunks until the
 * buffer is full or the file ends, so that counts match the JDK's single {@code pread}. The
 * caller's buffers are never kept after a call returns.
 */
public final class RingFileChannel extends FileChannel {
    /** Most bytes one step of {@link #transferTo} or {@link #transferFrom} copies. */
    public static final int TRANSFER_BYTES_MAX = 64 * 1024;

    private final RingFile file;
    private final BlockingRingFile io;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;

    /** Serialises relative operations and position changes, as FileChannelImpl's positionLock does. */
    private final Object positionLock = new Object();
    /** The channel position; unused in append mode, where it is always the size. Guarded by positionLock. */
    private long position;

    private final Object delegateLock = new Object();
    /** The plain channel for map and lock, opened on first use. Guarded by delegateLock. */
    private FileChannel delegate;

    private RingFileChannel(RingFile file, Path path, boolean readable, boolean writable, boolean append) {
        this.file = file;
        this.io = file.blocking();
        this.path = path;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens {@code path} on the next loop of the {@link EventLoopGroup#common() common group}, with
     * {@link FileChannel#open(Path, OpenOption...)}'s options and defaults (see the class comment
     * for the few that are refused).
     *
     * @throws NoSuchFileException        if the file does not exist and is not to be created
     * @throws FileAlreadyExistsException with {@code CREATE_NEW}, if it exists
     * @throws AccessDeniedException      if the permissions forbid it
     * @throws IllegalArgumentException   for an invalid or unsupported combination of options
     */
    public static RingFileChannel open(Path path, OpenOption... options) throws IOException {
        return open(EventLoopGroup.common().next(), path, options);
    }

    /** Opens {@code path} on {@code loop}; see {@link #open(EventLoop, Path, Set)}. */
    public static RingFileChannel open(EventLoop loop, Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(options, "options");
        return open(loop, path, new LinkedHashSet<>(Arrays.asList(options)));
    }

    /**
     * Opens {@code path} on {@code loop}, waiting for the open. Without {@code READ},
     * {@code WRITE} or {@code APPEND} the channel is for reading; {@code APPEND} implies
     * {@code WRITE}. Failures as for {@link #open(Path, OpenOption...)}; on the loop's own thread
     * the call is refused with {@link IllegalStateException}.
     */
    public static RingFileChannel open(EventLoop loop, Path path, Set<? extends OpenOption> options) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        for (OpenOption option : options) {
            // FileChannel.open throws NullPointerException for a null option; RingFile would say IllegalArgumentException.
            Objects.requireNonNull(option, "options contains null");
        }
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean writable = append || options.contains(StandardOpenOption.WRITE);
        boolean readable = options.contains(StandardOpenOption.READ) || !writable;
        RingFile file;
        try {
            file = RingFile.openBlocking(loop, path, options.toArray(OpenOption[]::new));
        } catch (ErrnoException e) {
            throw openFailure(e, path);
        }
        return new RingFileChannel(file, path, readable, writable, append);
    }

    /** The JDK's exception for a failed open, as {@code UnixException.translateToIOException} makes it. */
    private static FileSystemException openFailure(ErrnoException e, Path path) {
        String file = path.toString();
        FileSystemException translated = switch (e.errno()) {
            case Errno.ENOENT -> new NoSuchFileException(file);
            case Errno.EEXIST -> new FileAlreadyExistsException(file);
            case Errno.EACCES -> new AccessDeniedException(file);
            default -> new FileSystemException(file, null, e.getMessage());
        };
        translated.initCause(e);
        return translated;
    }

    // ------------------------------------------------------------------ views

    /** The file under this channel. Its operations bypass the channel position; closing it closes this channel's I/O. */
    public RingFile ringFile() {
        return file;
    }

    // ------------------------------------------------------------------ reads

    /**
     * Reads into {@code dst} at the channel position and advances both by the count: the buffer
     * is filled unless the file ends first, or an I/O error comes after some bytes (then the
     * count says how far the read got, as a pread's does, and the next read meets the error).
     *
     * @return the count, 0 if {@code dst} has no room, -1 if the position is at or past the end
     * @throws NonReadableChannelException if the channel was not opened for reading
     * @throws IllegalArgumentException    if {@code dst} is read-only
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        checkReadable();
        checkWritableBuffer(dst);
        synchronized (positionLock) {
            return readRelative(dst);
        }
    }

    /**
     * Reads into {@code dsts[offset .. offset + length)} in order at the channel position, and
     * advances it by the count; each buffer is filled before the next unless the file ends (or
     * an I/O error comes after some bytes, as in {@link #read(ByteBuffer)}).
     *
     * @return the count, 0 if no buffer has room, -1 if the position is at or past the end
     * @throws IndexOutOfBoundsException   if the range does not lie within {@code dsts}
     * @throws NonReadableChannelException if the channel was not opened for reading
     * @throws IllegalArgumentException    if one of the buffers is read-only
     */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureOpen();
        checkReadable();
        for (int i = offset; i < offset + length; i++) {
            checkWritableBuffer(dsts[i]);
        }
        synchronized (positionLock) {
            long total = 0;
            try {
                for (int i = offset; i < offset + length; i++) {
                    ByteBuffer dst = dsts[i];
                    int asked = dst.remaining();
                    if (asked == 0) {
                        continue;
                    }
                    int n = readRelative(dst);
                    if (n < 0) {
                        return total == 0 ? -1 : total;
                    }
                    total += n;
                    if (n < asked) {
                        break;
                    }
                }
            } catch (InterruptedIOException e) {
                e.bytesTransferred = (int) Math.min(Integer.MAX_VALUE, total + e.bytesTransferred);
                throw e;
            } catch (IOException e) {
                // An I/O error at the start of a later buffer: the earlier ones' bytes are the
                // count, as in readUntilFullOrEnd.
                if (total == 0 || !FileOp.endsReadShort(e)) {
                    throw e;
                }
            }
            return total;
        }
    }

    /**
     * Reads into {@code dst} at {@code position}, leaving the channel position alone; the buffer
     * is filled unless the file ends first (or an I/O error comes after some bytes, as in
     * {@link #read(ByteBuffer)}).
     *
     * @return the count, 0 if {@code dst} has no room, -1 if {@code position} is at or past the end
     * @throws IllegalArgumentException    if {@code position} is negative or {@code dst} read-only
     * @throws NonReadableChannelException if the channel was not opened for reading
     */
    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        Objects.requireNonNull(dst, "dst");
        RingFile.checkPosition(position);
        ensureOpen();
        checkReadable();
        checkWritableBuffer(dst);
        return dst.hasRemaining() ? readUntilFullOrEnd(dst, position) : 0;
    }

    /** A relative read of one buffer; advances the position by what was read, even on failure. Holds positionLock. */
    private int readRelative(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int start = dst.position();
        try {
            return readUntilFullOrEnd(dst, position);
        } finally {
            position += dst.position() - start;
        }
    }

    /**
     * Reads into {@code dst} (which has room) at {@code at} until it is full or the file ends.
     * Returns the count, or -1 if the file ends at {@code at}. An I/O error after some bytes were
     * read ends the read short with them, as a pread's does; the next read meets it again. On an
     * interrupt the {@link InterruptedIOException} carries the bytes read before it.
     */
    private int readUntilFullOrEnd(ByteBuffer dst, long at) throws IOException {
        int start = dst.position();
        try {
            // Each pass fills dst, or one pooled chunk of a heap dst, or meets the end of the
            // file and stops: at most remaining / CLASS_MAX_BYTES + 1 passes.
            while (dst.hasRemaining()) {
                int asked = dst.isDirect() ? dst.remaining() : Math.min(dst.remaining(), BufferPool.CLASS_MAX_BYTES);
                int n = io.readAt(dst, at + (dst.position() - start));
                if (n < asked) {
                    // A regular file reads short only at its end (or at Linux's MAX_RW_COUNT,
                    // where FileChannel stops too); asking again would cost an operation to read 0.
                    break;
                }
            }
        } catch (InterruptedIOException e) {
            e.bytesTransferred = dst.position() - start;
            throw e;
        } catch (IOException e) {
            if (dst.position() == start || !FileOp.endsReadShort(e)) {
                throw e;
            }
        }
        int n = dst.position() - start;
        return n == 0 ? -1 : n;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Writes all of {@code src} at the channel position, and advances it by the count; in
     * {@code APPEND} mode at the end of the file, which becomes the position.
     *
     * @return the count: {@code src.remaining()}
     * @throws NonWritableChannelException if the channel was not opened for writing
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        checkWritable();
        Objects.requireNonNull(src, "src");
        synchronized (positionLock) {
            return writeRelative(src);
        }
    }

    /**
     * Writes all of {@code srcs[offset .. offset + length)} in order at the channel position,
     * and advances it by the count; in {@code APPEND} mode each buffer goes to the end.
     *
     * @return the count: the buffers' remaining bytes in all
     * @throws IndexOutOfBoundsException   if the range does not lie within {@code srcs}
     * @throws NonWritableChannelException if the channel was not opened for writing
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ensureOpen();
        checkWritable();
        for (int i = offset; i < offset + length; i++) {
            // As the JDK does, refuse a null before anything is written.
            Objects.requireNonNull(srcs[i], "srcs[" + i + "]");
        }
        synchronized (positionLock) {
            long total = 0;
            try {
                for (int i = offset; i < offset + length; i++) {
                    total += writeRelative(srcs[i]);
                }
            } catch (InterruptedIOException e) {
                e.bytesTransferred = (int) Math.min(Integer.MAX_VALUE, total + e.bytesTransferred);
                throw e;
            }
            return total;
        }
    }

    /**
     * Writes all of {@code src} at {@code position}, leaving the channel position alone; a
     * position past the end grows the file, the gap reading as zeros. In {@code APPEND} mode
     * Linux puts the bytes at the end whatever the position (pwrite(2), BUGS), as the JDK's
     * FileChannel does there.
     *
     * @return the count: {@code src.remaining()}
     * @throws IllegalArgumentException    if {@code position} is negative
     * @throws NonWritableChannelException if the channel was not opened for writing
     */
    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        Objects.requireNonNull(src, "src");
        RingFile.checkPosition(position);
        ensureOpen();
        checkWritable();
        return writeAll(src, position);
    }

    /** A relative write of one buffer; advances the position by what was written, even on failure. Holds positionLock. */
    private int writeRelative(ByteBuffer src) throws IOException {
        if (append) {
            // O_APPEND: the kernel writes at the end whatever offset it is given (pwrite(2),
            // BUGS; io_uring the same). The position is then the size, which position() reads.
            return writeAll(src, 0);
        }
        int start = src.position();
        try {
            return writeAll(src, position);
        } finally {
            position += src.position() - start;
        }
    }

    /** Writes all of {@code src} at {@code at}; returns the count. On an interrupt the exception carries the bytes written before it. */
    private int writeAll(ByteBuffer src, long at) throws IOException {
        int start = src.position();
        if (start == src.limit()) {
            // FileChannel makes no system call for an empty write; nor do we.
            return 0;
        }
        try {
            io.writeFully(src, at);
        } catch (InterruptedIOException e) {
            e.bytesTransferred = src.position() - start;
            throw e;
        }
        return src.position() - start;
    }

    // ------------------------------------------------------------------ position, size, truncate, force

    /**
     * The channel position: where the next relative read or write starts. In {@code APPEND}
     * mode it is the file's size, as in the JDK.
     */
    @Override
    public long position() throws IOException {
        ensureOpen();
        synchronized (positionLock) {
            return append ? io.size() : position;
        }
    }

    /**
     * Sets the channel position; past the end, a read then returns -1 and a write grows the
     * file. In {@code APPEND} mode it has no effect on where writes go.
     *
     * @throws IllegalArgumentException if {@code newPosition} is negative
     */
    @Override
    public RingFileChannel position(long newPosition) throws IOException {
        ensureOpen();
        RingFile.checkPosition(newPosition);
        synchronized (positionLock) {
            position = newPosition;
        }
        return this;
    }

    /** The file's current size in bytes. */
    @Override
    public long size() throws IOException {
        ensureOpen();
        return io.size();
    }

    /**
     * Cuts the file to {@code size} if it is larger; a larger {@code size} leaves the file as it
     * is. Either way a channel position past {@code size} moves back to it, as the JDK does.
     *
     * @throws IllegalArgumentException    if {@code size} is negative
     * @throws NonWritableChannelException if the channel was not opened for writing
     */
    @Override
    public RingFileChannel truncate(long size) throws IOException {
        ensureOpen();
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " must not be negative");
        }
        checkWritable();
        synchronized (positionLock) {
            if (size < io.size()) {
                io.truncate(size);
            }
            if (position > size) {
                position = size;
            }
        }
        return this;
    }

    /**
     * Waits until what was written through this file is durable: fsync with {@code metaData},
     * fdatasync without. A failure is final: the kernel may have dropped the dirty pages (see
     * {@link RingFile#sync()}). Writes through a mapping are not covered; force the
     * {@link MappedByteBuffer}.
     */
    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        if (metaData) {
            io.sync();
        } else {
            io.datasync();
        }
    }

    // ------------------------------------------------------------------ transfers

    /**
     * Copies up to {@code count} bytes from {@code position} of this file to {@code target}
     * (a relative write), leaving this channel's position alone.
     *
     * @return the count: less than {@code count} at the end of the file or when {@code target}
     *         takes less; 0 if {@code position} is past the end. A failure after some bytes moved
     *         is not thrown: the count says how far it got, and the next call meets it again.
     * @throws ClosedChannelException      if this channel or {@code target} is closed
     * @throws NonReadableChannelException if this channel was not opened for reading
     * @throws NonWritableChannelException if {@code target} is a {@code RingFileChannel} not opened for writing
     * @throws IllegalArgumentException    if {@code position} or {@code count} is negative
     */
    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        ensureOpen();
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        checkReadable();
        if (target instanceof RingFileChannel ring && !ring.writable) {
            throw new NonWritableChannelException();
        }
        checkTransfer(position, count);
        long size = io.size();
        if (position > size) {
            return 0;
        }
        long wanted = Math.min(count, size - position);
        if (wanted == 0) {
            return 0;
        }
        // Each pass moves a full chunk or ends the copy: at most wanted / chunk + 1 passes.
        return copyThroughPool(wanted, (buffer, moved) -> {
            int read = readUntilFullOrEnd(buffer, position + moved);
            if (read <= 0) {
                return -1;
            }
            buffer.flip();
            int written = target.write(buffer);
            return written == read ? written : -1 - written;
        });
    }

    /**
     * Copies up to {@code count} bytes read from {@code src} (a relative read) into this file at
     * {@code position}, leaving this channel's position alone; past the end the file grows.
     *
     * @return the count: less than {@code count} when {@code src} ends first. A failure after
     *         some bytes moved is not thrown, as in {@link #transferTo}.
     * @throws ClosedChannelException      if this channel or {@code src} is closed
     * @throws NonReadableChannelException if {@code src} is a {@code RingFileChannel} not opened for reading
     * @throws NonWritableChannelException if this channel was not opened for writing
     * @throws IllegalArgumentException    if {@code position} or {@code count} is negative
     */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ensureOpen();
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        if (src instanceof RingFileChannel ring && !ring.readable) {
            throw new NonReadableChannelException();
        }
        checkWritable();
        checkTransfer(position, count);
        if (count == 0) {
            return 0;
        }
        // Each pass moves what src gave, at least one byte, or ends the copy: at most count passes.
        return copyThroughPool(count, (buffer, moved) -> {
            int read = src.read(buffer);
            if (read <= 0) {
                return -1;
            }
            buffer.flip();
            return writeAll(buffer, position + moved);
        });
    }

    /** One pass of a copy: fills and drains {@code buffer}; returns the bytes moved, or {@code -1 - moved} to end the copy after them. */
    private interface CopyPass {
        long move(ByteBuffer buffer, long movedSoFar) throws IOException;
    }

    /**
     * Copies up to {@code count} bytes in passes through one pooled buffer. A failure after some
     * bytes moved is not thrown, as FileChannel's copy loops do: the count says how far it got.
     */
    private long copyThroughPool(long count, CopyPass pass) throws IOException {
        BufferPool pool = file.loop().buffers();
        int chunk = (int) Math.min(count, TRANSFER_BYTES_MAX);
        MemorySegment pooled = pool.acquire(chunk);
        try {
            ByteBuffer buffer = pooled.asByteBuffer();
            long moved = 0;
            try {
                while (moved < count) {
                    buffer.clear().limit((int) Math.min(count - moved, chunk));
                    long n = pass.move(buffer, moved);
                    if (n < 0) {
                        moved += -1 - n;
                        break;
                    }
                    moved += n;
                }
            } catch (IOException e) {
                if (moved > 0) {
                    return moved;
                }
                throw e;
            }
            return moved;
        } finally {
            pool.release(pooled);
        }
    }

    // ------------------------------------------------------------------ map and lock, delegated

    /**
     * Maps a region of the file, through the plain channel the class comment describes.
     * {@code READ_ONLY} needs a readable channel, the other modes a readable and writable one;
     * mapping {@code READ_WRITE} past the end grows the file.
     *
     * @throws NonReadableChannelException if the channel was not opened for reading
     * @throws NonWritableChannelException if the mode writes and the channel was not opened for writing
     * @throws IllegalArgumentException    if {@code position} or {@code size} is negative, or {@code size} exceeds {@link Integer#MAX_VALUE}
     */
    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size=" + size + " exceeds Integer.MAX_VALUE");
        }
        Objects.requireNonNull(mode, "mode");
        ensureOpen();
        checkRegion(position, size);
        checkMapMode(mode);
        return delegate().map(mode, position, size);
    }

    /**
     * Maps a region of the file as a segment of {@code arena}, through the plain channel the
     * class comment describes; the rules are those of {@link #map(MapMode, long, long)}, without
     * the size limit.
     */
    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(arena, "arena");
        checkRegion(offset, size);
        ensureOpen();
        checkMapMode(mode);
        return delegate().map(mode, offset, size, arena);
    }

    /**
     * Waits for a lock on {@code [position, position + size)} of the file (size 0: to the end of
     * any size), through the plain channel the class comment describes, trying every 1 to 50 ms.
     * The lock names this channel, and is released when it is. An interrupt while it waits ends
     * it and leaves the locks already held as they were.
     *
     * @throws java.nio.channels.FileLockInterruptionException if the calling thread is interrupted
     *                                            (its interrupt status stays set)
     * @throws NonReadableChannelException        if {@code shared} and the channel was not opened for reading
     * @throws NonWritableChannelException        if not {@code shared} and the channel was not opened for writing
     * @throws java.nio.channels.OverlappingFileLockException if this JVM holds or waits for an overlapping lock
     * @throws IllegalArgumentException           if {@code position} or {@code size} is negative
     */
    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        checkLock(shared);
        // Not the delegate's lock(), which an interrupt ends by closing the delegate, and every
        // lock taken through it with it: tries that do not wait, with the interrupt looked at
        // between them.
        long pauseNanos = LOCK_PAUSE_MIN_NANOS;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.nio.channels.FileLockInterruptionException();
            }
            FileLock lock = delegate().tryLock(position, size, shared);
            if (lock != null) {
                return new DelegatedLock(this, lock);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, LOCK_PAUSE_MAX_NANOS);
        }
    }

    /** How long {@link #lock} waits between tries: from this, doubling, up to {@link #LOCK_PAUSE_MAX_NANOS}. */
    private static final long LOCK_PAUSE_MIN_NANOS = 1_000_000;
    private static final long LOCK_PAUSE_MAX_NANOS = 50_000_000;

    /**
     * Takes a lock as {@link #lock(long, long, boolean)} does, or returns null at once if
     * another process holds an overlapping one.
     */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        checkLock(shared);
        FileLock lock = delegate().tryLock(position, size, shared);
        return lock == null ? null : new DelegatedLock(this, lock);
    }

    /** A lock taken through the delegate, reporting this channel as its channel. */
    private static final class DelegatedLock extends FileLock {
        private final FileLock lock;

        DelegatedLock(RingFileChannel channel, FileLock lock) {
            // The delegate's lock, not the arguments: size 0 became "to the end", as in the JDK.
            super(channel, lock.position(), lock.size(), lock.isShared());
            this.lock = lock;
        }

        @Override
        public boolean isValid() {
            return lock.isValid();
        }

        @Override
        public void release() throws IOException {
            if (!channel().isOpen()) {
                throw new ClosedChannelException();
            }
            if (lock.isValid()) {
                lock.release();
            }
        }
    }

    private void checkLock(boolean shared) throws ClosedChannelException {
        ensureOpen();
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
    }

    /** The plain channel for map and lock: opened on first use, and again if an interrupt closed it. */
    private FileChannel delegate() throws IOException {
        synchronized (delegateLock) {
            // implCloseChannel marks the channel closed before it takes delegateLock, so a
            // delegate is either refused here or closed there.
            ensureOpen();
            if (delegate == null || !delegate.isOpen()) {
                Set<OpenOption> options = new LinkedHashSet<>();
                if (readable) {
                    options.add(StandardOpenOption.READ);
                }
                if (writable) {
                    options.add(StandardOpenOption.WRITE);
                }
                delegate = FileChannel.open(path, options);
            }
            return delegate;
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the plain channel of map and lock if it was opened (releasing the locks), then the
     * file, waiting for its operations in flight. Called on the loop's own thread, the file's
     * close is begun and not waited for. The first failure is thrown, the second suppressed.
     */
    @Override
    protected void implCloseChannel() throws IOException {
        IOException failure = null;
        synchronized (delegateLock) {
            if (delegate != null) {
                try {
                    delegate.close();
                } catch (IOException e) {
                    failure = e;
                }
                delegate = null;
            }
        }
        try {
            EventLoop loop = file.loop();
            if (loop.inLoop() && !loop.isStepped()) {
                file.closeAsync();
            } else {
                file.close();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + path + (readable ? ", read" : "") + (writable ? ", write" : "")
                + (append ? ", append" : "") + (isOpen() ? "" : ", closed") + " on " + file.loop().name() + "]";
    }

    // ------------------------------------------------------------------ checks

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void checkReadable() {
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    private static void checkWritableBuffer(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only buffer");
        }
    }

    private static void checkTransfer(long position, long count) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position=" + position + " count=" + count + " must not be negative");
        }
    }

    private static void checkRegion(long position, long size) {
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException("position=" + position + " size=" + size
                    + " must not be negative, nor overflow together");
        }
    }

    private void checkMapMode(MapMode mode) {
        // jdk.nio.mapmode.ExtendedMapMode.READ_ONLY_SYNC only reads too; matched by name.
        boolean readOnly = mode == MapMode.READ_ONLY || "READ_ONLY_SYNC".equals(mode.toString());
        if (!readOnly && !writable) {
            throw new NonWritableChannelException();
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }
}
