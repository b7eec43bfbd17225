package io.ringio.bench.machine;

import io.ringio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls that {@link PageCache} needs and ringio-core's {@code Syscalls} does not have:
 * they only serve the bench, so they stay out of core. The pattern is core's: one
 * {@code static final} {@link MethodHandle} per function, {@code invokeExact}, errno through
 * {@link Linker.Option#captureCallState(String...)} into a call state segment from
 * {@code Syscalls.newCallState} (core's {@code close} and {@code munmap} serve as they are).
 *
 * <p>Convention, also core's: every method returns what the kernel returned, or {@code -errno}
 * when libc reports failure, and nothing here throws for an errno. None of the calls is marked
 * {@code critical}: {@code open}, {@code fdatasync} and {@code mincore} can block.
 */
// The bench's only native code besides what it calls in ringio-core (it runs on the class path
// with --enable-native-access=ALL-UNNAMED, which the ./ringio launcher and surefire pass).
@SuppressWarnings("restricted")
final class Libc {
    private Libc() {}

    // PROT_READ, MAP_SHARED and O_CLOEXEC are core's (Syscalls); these are the ones it lacks.
    static final int O_RDONLY = 0;
    static final int SEEK_END = 2;
    /** {@code posix_fadvise(2)}: the pages are not needed; clean ones leave the page cache. */
    static final int POSIX_FADV_DONTNEED = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // int open(const char *pathname, int flags, ... /* mode_t mode */): the mode is variadic and
    // read only with O_CREAT or O_TMPFILE; a variadic int is passed as an int.
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    // off_t lseek(int fd, off_t offset, int whence)
    private static final MethodHandle LSEEK = downcall("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), -1);
    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    // int mincore(void *addr, size_t length, unsigned char *vec)
    private static final MethodHandle MINCORE = downcall("mincore",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), -1);
    // int fdatasync(int fd)
    private static final MethodHandle FDATASYNC = downcall("fdatasync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    // int posix_fadvise(int fd, off_t offset, off_t len, int advice): returns the error number
    // itself and leaves errno alone (posix_fadvise(2), RETURN VALUE), so nothing is captured.
    private static final MethodHandle POSIX_FADVISE = LINKER.downcallHandle(symbol("posix_fadvise"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    // int getpagesize(void): cannot fail.
    private static final MethodHandle GETPAGESIZE = LINKER.downcallHandle(symbol("getpagesize"),
            FunctionDescriptor.of(JAVA_INT));

    // int clock_gettime(clockid_t clock, struct timespec *tp): cannot fail for the clocks used here.
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(symbol("clock_gettime"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    // long sysconf(int name): -1 for a name the system does not know.
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(symbol("sysconf"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    /** {@code _SC_CLK_TCK} in glibc's and musl's {@code unistd.h}. */
    static final int SC_CLK_TCK = 2;
    // int isatty(int fd): 1 or 0.
    private static final MethodHandle ISATTY = LINKER.downcallHandle(symbol("isatty"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, int firstVariadicArg) {
        return firstVariadicArg < 0
                ? LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO)
                : LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO,
                        Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    private static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** {@code open(2)} of {@code path} with {@code flags} (no {@code O_CREAT}): a new fd, or -errno. */
    static int open(MemorySegment callState, String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            int r = (int) OPEN.invokeExact(callState, cPath, flags, 0);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code lseek(2)}: the new offset (with {@link #SEEK_END} and 0, the file's size), or -errno. */
    static long lseek(MemorySegment callState, int fd, long offset, int whence) {
        try {
            long r = (long) LSEEK.invokeExact(callState, fd, offset, whence);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code mmap(2)} of {@code length} bytes of {@code fd} at {@code offset} (a multiple of the
     * page size), shared and read-only: the mapping's address, or -errno, as the raw system call
     * answers (user-space addresses are positive). The caller unmaps it.
     */
    static long mmapReadOnly(MemorySegment callState, int fd, long length, long offset) {
        try {
            MemorySegment addr = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length,
                    Syscalls.PROT_READ, Syscalls.MAP_SHARED, fd, offset);
            // MAP_FAILED is (void *) -1.
            return addr.address() == -1L ? -errno(callState) : addr.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code mincore(2)} of {@code length} bytes at {@code mapping}'s start: 0 with one byte per
     * page in {@code vec} (bit 0 set when resident), or -errno.
     */
    static int mincore(MemorySegment callState, MemorySegment mapping, long length, MemorySegment vec) {
        try {
            int r = (int) MINCORE.invokeExact(callState, mapping, length, vec);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code fdatasync(2)}: 0 or -errno. */
    static int fdatasync(MemorySegment callState, int fd) {
        try {
            int r = (int) FDATASYNC.invokeExact(callState, fd);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code posix_fadvise(2)}: 0 or -errno (libc returns the error number; this negates it). */
    static int posixFadvise(int fd, long offset, long length, int advice) {
        try {
            int r = (int) POSIX_FADVISE.invokeExact(fd, offset, length, advice);
            return -r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code getpagesize(2)}: the size of a page in bytes, 4096 on x86_64. */
    static int pageSize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code clock_gettime(2)} of {@code clock}, in nanoseconds; {@code timespec} is 16 scratch bytes. */
    static long clockNanos(int clock, MemorySegment timespec) {
        try {
            int r = (int) CLOCK_GETTIME.invokeExact(clock, timespec);
            if (r != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sysconf(3)} of {@code name}: its value, or -1 when the system does not know it. */
    static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code isatty(3)}: whether {@code fd} is a terminal. */
    static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
