package io.ringio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The only place in ringio that calls native code. Every downcall is a {@code static final}
 * {@link MethodHandle} invoked with {@code invokeExact}; errno is captured through
 * {@link Linker.Option#captureCallState(String...)} into a caller-supplied "call state" segment,
 * so that hot-path calls ({@link #ioUringEnter}) allocate nothing.
 *
 * <p>Convention: every method returns what the kernel returned, or {@code -errno} when libc
 * reports failure, exactly like a raw syscall. Nothing here throws for an errno; callers map
 * codes to meaning. A call state segment is not thread-safe: one per thread or per owner.
 *
 * <p>None of these calls is marked {@code critical}: {@code io_uring_enter}, {@code close} and
 * the rest can block, and a critical call must not.
 */
// This class is the one place allowed to use restricted FFM methods (DESIGN.md, sys layer).
@SuppressWarnings("restricted")
public final class Syscalls {
    private Syscalls() {}

    /** {@code __NR_io_uring_setup}: the same number on every architecture (asm-generic). */
    public static final long SYS_IO_URING_SETUP = 425;
    /** {@code __NR_io_uring_enter}. */
    public static final long SYS_IO_URING_ENTER = 426;
    /** {@code __NR_io_uring_register}. */
    public static final long SYS_IO_URING_REGISTER = 427;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // long syscall(long number, ...): the io_uring calls have no glibc wrapper. Variadic
    // arguments are passed as 64-bit values, which is what the kernel reads from registers.
    private static final MethodHandle SYSCALL_SETUP = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), 1);
    private static final MethodHandle SYSCALL_ENTER = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL_REGISTER = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);
    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    // int munmap(void *addr, size_t length)
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);
    // int eventfd(unsigned int initval, int flags)
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    // int eventfd_write(int fd, eventfd_t value): glibc's wrapper, which takes the value itself,
    // so that any thread can signal without native scratch memory. Its errno is not captured: it
    // fails only for a bad fd or a counter at its maximum, which callers rule out.
    private static final MethodHandle EVENTFD_WRITE = LINKER.downcallHandle(
            LIBC.find("eventfd_write").orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol eventfd_write")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    // int close(int fd)
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    // int pipe2(int pipefd[2], int flags)
    private static final MethodHandle PIPE2 = downcall("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    // ssize_t read(int fd, void *buf, size_t count)
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    // ssize_t write(int fd, const void *buf, size_t count)
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);

    // ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)
    private static final MethodHandle PREADV2 = downcall("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT), -1);

    // int getrlimit(int resource, struct rlimit *rlim)
    private static final MethodHandle GETRLIMIT = downcall("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), -1);

    // int ftruncate(int fd, off_t length)
    private static final MethodHandle FTRUNCATE = downcall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), -1);

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, int firstVariadicArg) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return firstVariadicArg < 0
                ? LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO)
                : LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    /** Allocates a segment that receives errno after each call; one per thread or per owner. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    private static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** {@code io_uring_setup(2)}: the ring's fd, or -errno. {@code params} is read and written. */
    public static int ioUringSetup(MemorySegment callState, int entries, MemorySegment params) {
        try {
            long r = (long) SYSCALL_SETUP.invokeExact(callState, SYS_IO_URING_SETUP, (long) entries, params);
            return r < 0 ? -errno(callState) : (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter(2)}: SQEs consumed (or 0 when only waiting), or -errno. {@code arg} is
     * a sigset or, with {@code IORING_ENTER_EXT_ARG}, an {@code io_uring_getevents_arg}; pass
     * {@link MemorySegment#NULL} and 0 for neither.
     */
    public static int ioUringEnter(MemorySegment callState, int ringFd, int toSubmit, int minComplete, int flags,
                                   MemorySegment arg, long argSize) {
        try {
            long r = (long) SYSCALL_ENTER.invokeExact(callState, SYS_IO_URING_ENTER, (long) ringFd,
                    (long) toSubmit, (long) minComplete, (long) flags, arg, argSize);
            return r < 0 ? -errno(callState) : (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code io_uring_register(2)}: its non-negative result, or -errno. */
    public static int ioUringRegister(MemorySegment callState, int ringFd, int opcode, MemorySegment arg, int nrArgs) {
        try {
            long r = (long) SYSCALL_REGISTER.invokeExact(callState, SYS_IO_URING_REGISTER, (long) ringFd,
                    (long) opcode, arg, (long) nrArgs);
            return r < 0 ? -errno(callState) : (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code mmap(2)} of {@code length} bytes of {@code fd} at {@code offset}, shared and
     * read-write. Returns a segment of exactly {@code length} bytes, or throws
     * {@link SyscallException} with the errno. The segment must be released with
     * {@link #munmap(MemorySegment)}; nothing else frees it.
     */
    public static MemorySegment mmapShared(int fd, long length, long offset, boolean populate) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = newCallState(arena);
            int flags = MAP_SHARED | (populate ? MAP_POPULATE : 0);
            MemorySegment addr = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, flags, fd, offset);
            if (addr.address() == -1L) {
                throw new SyscallException("mmap", errno(callState));
            }
            // One of two reinterprets in ringio (Segments.anyThreadView is the other): the kernel
            // has just mapped exactly this many bytes.
            return addr.reinterpret(length);
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap(2)} of a segment returned by {@link #mmapShared}: 0 or -errno. */
    public static int munmap(MemorySegment mapping) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = newCallState(arena);
            int r = (int) MUNMAP.invokeExact(callState, mapping, mapping.byteSize());
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code eventfd(2)}: a new fd, or -errno. */
    public static int eventfd(int initialValue, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = newCallState(arena);
            int r = (int) EVENTFD.invokeExact(callState, initialValue, flags);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code eventfd_write(3)}: adds {@code value} to an eventfd's counter. Returns 0, or -1 when
     * the fd is not an eventfd or the counter is full. Safe from any thread.
     */
    public static int eventfdWrite(int fd, long value) {
        try {
            return (int) EVENTFD_WRITE.invokeExact(fd, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close(2)}: 0 or -errno. The fd is gone either way (see close(2) on EINTR). */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = newCallState(arena);
            int r = (int) CLOSE.invokeExact(callState, fd);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code pipe2(2)}: 0 with the read end in {@code fds[0]} and the write end in {@code fds[1]}, or -errno. */
    public static int pipe2(int[] fds, int flags) {
        if (fds.length != 2) {
            throw new IllegalArgumentException("fds.length=" + fds.length + " must be 2");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = newCallState(arena);
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int r = (int) PIPE2.invokeExact(callState, pair, flags);
            if (r < 0) {
                return -errno(callState);
            }
            fds[0] = pair.getAtIndex(JAVA_INT, 0);
            fds[1] = pair.getAtIndex(JAVA_INT, 1);
            return 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read(2)} into the whole of {@code buf}: bytes read, or -errno. */
    public static long read(MemorySegment callState, int fd, MemorySegment buf) {
        try {
            long r = (long) READ.invokeExact(callState, fd, buf, buf.byteSize());
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write(2)} of the whole of {@code buf}: bytes written, or -errno. */
    public static long write(MemorySegment callState, int fd, MemorySegment buf) {
        try {
            long r = (long) WRITE.invokeExact(callState, fd, buf, buf.byteSize());
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** preadv2's flag: fail with EAGAIN rather than wait for the disk (Linux 4.14). */
    public static final int RWF_NOWAIT = 0x8;

    /**
     * {@code preadv2(2)} of {@code count} iovecs at {@code offset} with {@code flags}: bytes read,
     * or -errno. With {@link #RWF_NOWAIT} on a buffered file it copies from the page cache, or
     * answers -EAGAIN when the data is not there, without blocking on the disk.
     */
    public static long preadv2(MemorySegment callState, int fd, MemorySegment iovecs, int count, long offset, int flags) {
        try {
            long r = (long) PREADV2.invokeExact(callState, fd, iovecs, count, offset, flags);
            return r < 0 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code RLIMIT_NOFILE}: one more than the highest fd this process may open. */
    public static final int RLIMIT_NOFILE = 7;

    /**
     * The soft limit of {@code resource} from {@code getrlimit(2)}: {@link Long#MAX_VALUE} for
     * RLIM_INFINITY, or -errno.
     */
    public static long softLimit(int resource) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment callState = newCallState(tmp);
            // struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; }, rlim_t an unsigned long.
            MemorySegment rlimit = tmp.allocate(2 * Long.BYTES, Long.BYTES);
            int r = (int) GETRLIMIT.invokeExact(callState, resource, rlimit);
            if (r < 0) {
                return -errno(callState);
            }
            long soft = rlimit.get(JAVA_LONG, 0);
            return soft < 0 ? Long.MAX_VALUE : soft; // RLIM_INFINITY is all ones
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ftruncate(2)}: 0 or -errno. For kernels whose io_uring has no FTRUNCATE (before 6.9). */
    public static int ftruncate(MemorySegment callState, int fd, long length) {
        try {
            int r = (int) FTRUNCATE.invokeExact(callState, fd, length);
            return r < 0 ? -errno(callState) : r;
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
