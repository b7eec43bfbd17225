package io.ringio.sys;

/**
 * A control-plane system call failed. Carries the call's name and the errno; the message names
 * both, for example {@code "mmap failed: ENOMEM (Cannot allocate memory)"}.
 */
public class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public SyscallException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The system call that failed, such as {@code "io_uring_setup"}. */
    public String call() {
        return call;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, such as {@code "EPERM"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
