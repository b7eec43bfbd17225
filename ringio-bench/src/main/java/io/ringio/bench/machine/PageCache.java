package io.ringio.bench.machine;

import io.ringio.sys.Errno;
import io.ringio.sys.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * How much of a file the page cache holds, and how to fill or empty it, so that the bench can
 * say whether a run was hot or cold and make it one or the other. Nothing here needs root.
 *
 * <p>Every method throws an {@link IOException} when the file cannot be opened (a
 * {@link NoSuchFileException} when it does not exist) or a system call fails; the message names
 * the call, the file and the errno.
 */
public final class PageCache {
    /**
     * Bytes mapped at a time by {@link #residentFraction}, so that a file larger than the
     * address space the kernel will give us still works; a multiple of every page size.
     */
    static final long WINDOW_BYTES = 1L << 30;
    /** Bytes read at a time by {@link #warm}. */
    static final int WARM_BUFFER_BYTES = 1 << 20;
    /** Attempts of a call that failed with EINTR or EAGAIN before giving up. */
    private static final int RETRIES_MAX = 16;

    private PageCache() {}

    /**
     * The fraction of the file's pages that are in the page cache now, from 0.0 to 1.0; 1.0 for
     * an empty file. It maps the file read-only in windows of {@link #WINDOW_BYTES} and asks
     * {@code mincore(2)}, which touches no page and so changes nothing.
     *
     * <p>Since Linux 5.2, {@code mincore} reports the real state only when the caller owns the
     * file, may write it, or holds CAP_FOWNER; for other files it reports every page resident
     * ({@code mm/mincore.c}, {@code can_do_mincore}). Bench files are the bench's own.
     */
    public static double residentFraction(Path file) throws IOException {
        return residentFraction(file, WINDOW_BYTES);
    }

    /** {@link #residentFraction(Path)} with a smaller window, so that tests can cross windows. */
    static double residentFraction(Path file, long windowBytes) throws IOException {
        long pageBytes = Libc.pageSize();
        if (windowBytes <= 0 || windowBytes % pageBytes != 0) {
            throw new IllegalArgumentException("windowBytes=" + windowBytes + " must be a positive multiple of "
                    + "the page size " + pageBytes);
        }
        try (Arena arena = Arena.ofConfined(); OpenFile open = OpenFile.readOnly(file, arena)) {
            long sizeBytes = open.check("lseek", Libc.lseek(open.callState(), open.fd(), 0, Libc.SEEK_END));
            if (sizeBytes == 0) {
                return 1.0;
            }
            MemorySegment vec = arena.allocate(windowBytes / pageBytes);
            long residentPages = 0;
            for (long offset = 0; offset < sizeBytes; offset += windowBytes) {
                long lengthBytes = Math.min(windowBytes, sizeBytes - offset);
                residentPages += residentPagesOfWindow(open, offset, lengthBytes, vec, pageBytes);
            }
            long pages = Math.ceilDiv(sizeBytes, pageBytes);
            assert residentPages >= 0 && residentPages <= pages : "residentPages=" + residentPages + " pages=" + pages;
            return (double) residentPages / pages;
        }
    }

    private static long residentPagesOfWindow(OpenFile open, long offset, long lengthBytes, MemorySegment vec,
                                              long pageBytes) throws IOException {
        long address = open.check("mmap", Libc.mmapReadOnly(open.callState(), open.fd(), lengthBytes, offset));
        // The kernel has just mapped exactly this many bytes at this address.
        MemorySegment mapping = MemorySegment.ofAddress(address).reinterpret(lengthBytes);
        try {
            int r = Libc.mincore(open.callState(), mapping, lengthBytes, vec);
            // EAGAIN: "kernel is temporarily out of resources" (mincore(2)); worth another try.
            for (int attempt = 1; r == -Errno.EAGAIN && attempt < RETRIES_MAX; attempt++) {
                r = Libc.mincore(open.callState(), mapping, lengthBytes, vec);
            }
            // EFAULT, EINVAL and ENOMEM all mean a bad address or length: our bug, not the file's.
            assert r != -Errno.EFAULT && r != -Errno.EINVAL && r != -Errno.ENOMEM : "mincore: " + Errno.describe(r);
            open.check("mincore", r);
            long pages = Math.ceilDiv(lengthBytes, pageBytes);
            long resident = 0;
            for (long page = 0; page < pages; page++) {
                resident += vec.get(JAVA_BYTE, page) & 1;
            }
            return resident;
        } finally {
            int r = Syscalls.munmap(mapping);
            assert r == 0 : "munmap of our own mapping: " + Errno.describe(r);
        }
    }

    /**
     * Drops the file's pages from the page cache, so that the next read goes to the disk: it
     * writes dirty pages back with {@code fdatasync(2)} first, because
     * {@code POSIX_FADV_DONTNEED} only drops clean ones. Pages that another process has mapped or
     * locked stay, so afterwards {@link #residentFraction} is near 0 but not promised to be 0.
     */
    public static void evict(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); OpenFile open = OpenFile.readOnly(file, arena)) {
            // fdatasync on a read-only descriptor is allowed: it syncs the file, not the descriptor.
            open.check("fdatasync", Libc.fdatasync(open.callState(), open.fd()));
            // Offset 0 and length 0 mean the whole file, however long.
            int r = Libc.posixFadvise(open.fd(), 0, 0, Libc.POSIX_FADV_DONTNEED);
            // EBADF is ours; EINVAL can be the file's (one with no page cache mapping), ESPIPE too.
            assert r != -Errno.EBADF : "posix_fadvise of our own fd: " + Errno.describe(r);
            open.check("posix_fadvise", r);
        }
    }

    /**
     * Reads the whole file through the page cache, in {@link #WARM_BUFFER_BYTES} pieces, up to
     * the size it had when opened. Afterwards {@link #residentFraction} is about 1.0 when memory
     * allows; under memory pressure the kernel may already have dropped the first pages.
     */
    public static void warm(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(WARM_BUFFER_BYTES);
            long sizeBytes = channel.size();
            long position = 0;
            while (position < sizeBytes) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    break; // The file shrank since it was opened; what is left is warm.
                }
                position += read;
            }
        }
    }

    /** A file descriptor from {@code open(2)} with its call state, closed by try-with-resources. */
    private record OpenFile(Path path, MemorySegment callState, int fd) implements AutoCloseable {
        static OpenFile readOnly(Path path, Arena arena) throws IOException {
            MemorySegment callState = Syscalls.newCallState(arena);
            String name = path.toString();
            int r = Libc.open(callState, name, Libc.O_RDONLY | Syscalls.O_CLOEXEC);
            // open(2) of a regular file does not return EINTR, but one on NFS or FUSE may.
            for (int attempt = 1; r == -Errno.EINTR && attempt < RETRIES_MAX; attempt++) {
                r = Libc.open(callState, name, Libc.O_RDONLY | Syscalls.O_CLOEXEC);
            }
            if (r < 0) {
                throw failure(path, "open", -r);
            }
            return new OpenFile(path, callState, r);
        }

        /** Returns {@code result} when it is not negative; otherwise throws for {@code -result}. */
        long check(String call, long result) throws IOException {
            if (result < 0) {
                throw failure(path, call, (int) -result);
            }
            return result;
        }

        @Override
        public void close() throws IOException {
            // The descriptor is gone whatever close returns (close(2), on EINTR); an error is
            // still worth a report, since it can carry a delayed write-back failure.
            int r = Syscalls.close(fd);
            assert r != -Errno.EBADF : "close of our own fd=" + fd;
            check("close", r);
        }
    }

    private static IOException failure(Path path, String call, int errno) {
        String reason = call + " failed: " + Errno.describe(errno);
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFileException(path.toString(), null, reason);
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(path.toString(), null, reason);
            default -> new FileSystemException(path.toString(), null, reason);
        };
    }
}
