package io.ringio.ring;

import io.ringio.sys.Errno;
import io.ringio.sys.IoUringParams;
import io.ringio.sys.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Probes once whether io_uring can be used from this JVM, and turns a refusal into a cause that
 * names the fix (in the manner of Netty's {@code IoUring.unavailabilityCause()}).
 */
final class RingSupport {
    private RingSupport() {}

    /**
     * The probe's answer: usable, or not and why. {@code linked} is false when ringio cannot call
     * native code at all (native access denied), so that {@code Ring.open} fails with the fix.
     */
    record Status(boolean available, String cause, boolean linked) {}

    /** The oldest kernel ringio supports: cancel-any (5.19) backs the promise that close waits. */
    static final int KERNEL_MAJOR_MIN = 5;
    static final int KERNEL_MINOR_MIN = 19;

    private static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final int PROBE_ENTRIES = 2;

    private static final class Holder {
        static final Status STATUS = probe();
    }

    static Status status() {
        return Holder.STATUS;
    }

    private static Status probe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Status(false, "io_uring exists only on Linux; this is " + os + " (use the FileChannel backend)", true);
        }
        String release = System.getProperty("os.version", "");
        if (!kernelAtLeast(release, KERNEL_MAJOR_MIN, KERNEL_MINOR_MIN)) {
            return new Status(false, "ringio needs Linux " + KERNEL_MAJOR_MIN + "." + KERNEL_MINOR_MIN
                    + " or newer for io_uring; this is " + release + ": upgrade the kernel or use the FileChannel backend", true);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Syscalls.newCallState(arena);
            MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
            int fd = Syscalls.ioUringSetup(callState, PROBE_ENTRIES, params);
            if (fd < 0) {
                return new Status(false, "io_uring_setup failed: " + Errno.describe(-fd) + ": " + fixFor(-fd, null), true);
            }
            Syscalls.close(fd);
            return new Status(true, null, true);
        } catch (IllegalCallerException e) {
            return new Status(false, nativeAccessFix() + " (" + e.getMessage() + ")", false);
        } catch (LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalCallerException) {
                return new Status(false, nativeAccessFix() + " (" + cause.getMessage() + ")", false);
            }
            return new Status(false, "cannot link to libc: " + cause, false);
        }
    }

    /** True when a release string such as {@code "6.18.44-foo"} is at least major.minor. */
    static boolean kernelAtLeast(String release, int major, int minor) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) {
            return true; // Unknown format: let io_uring_setup decide.
        }
        int maj = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        return maj > major || (maj == major && min >= minor);
    }

    static String nativeAccessFix() {
        Module module = RingSupport.class.getModule();
        String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        return "native access is not enabled for ringio: run java with --enable-native-access=" + name;
    }

    static String fixFor(int errno, RingOptions options) {
        return switch (errno) {
            case Errno.ENOSYS -> "this kernel has no io_uring (Linux 5.1+ built with CONFIG_IO_URING is needed; "
                    + "ringio is tested on 6.x): upgrade the kernel or use the FileChannel backend";
            case Errno.EPERM -> permissionFix();
            case Errno.ENOMEM -> "the kernel could not allocate the ring; on kernels before 5.12 ring memory counts "
                    + "against the locked-memory limit: raise 'ulimit -l' or use fewer entries";
            case Errno.EMFILE, Errno.ENFILE -> "no file descriptor left for the ring: raise 'ulimit -n' or close files";
            case Errno.EINVAL -> "the kernel rejected the setup flags" + (options == null ? "" : " " + options)
                    + "; an older kernel lacks some of them (SINGLE_ISSUER needs 6.0, DEFER_TASKRUN 6.1, "
                    + "COOP_TASKRUN 5.19)";
            default -> "unexpected error from io_uring_setup";
        };
    }

    private static String permissionFix() {
        String sysctl = readSysctl();
        if ("2".equals(sysctl)) {
            return "io_uring is disabled by sysctl kernel.io_uring_disabled=2: set it to 0 (sysctl -w kernel.io_uring_disabled=0)";
        }
        if ("1".equals(sysctl)) {
            return "io_uring is limited by sysctl kernel.io_uring_disabled=1 to members of kernel.io_uring_group: "
                    + "add this user to that group or set the sysctl to 0";
        }
        return "io_uring is blocked, most likely by a seccomp profile (Docker's and containerd's default profiles "
                + "block io_uring_setup): run with a profile that allows io_uring_setup, io_uring_enter and "
                + "io_uring_register, or use the FileChannel backend";
    }

    private static String readSysctl() {
        try {
            return Files.readString(IO_URING_DISABLED).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
