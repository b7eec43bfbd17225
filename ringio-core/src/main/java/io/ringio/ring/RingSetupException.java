package io.ringio.ring;

import io.ringio.sys.Errno;
import io.ringio.sys.SyscallException;

/**
 * {@code io_uring_setup(2)} refused to create a ring. The message names the errno and what to do
 * about it: an old kernel, io_uring disabled by sysctl or blocked by seccomp, a locked-memory
 * limit, or options this kernel does not know.
 */
public final class RingSetupException extends SyscallException {
    private static final long serialVersionUID = 1L;

    private final String fix;

    RingSetupException(int errno, RingOptions options) {
        super("io_uring_setup", errno);
        this.fix = RingSupport.fixFor(errno, options);
    }

    /** What to do about it, in one sentence. */
    public String fix() {
        return fix;
    }

    @Override
    public String getMessage() {
        return "io_uring_setup failed: " + Errno.describe(errno()) + ": " + fix;
    }
}
