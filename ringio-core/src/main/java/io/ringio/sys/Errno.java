package io.ringio.sys;

/**
 * Linux errno values (x86_64 and the generic ABI share them) with their symbolic names and
 * glibc's messages. The kernel and ringio's hot paths report failures as {@code -errno}; this
 * class turns a code into words for messages and exceptions.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int EBADFD = 77;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ETIMEDOUT = 110;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ESTALE = 116;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;
    public static final int EUCLEAN = 117;
    public static final int EREMOTEIO = 121;
    public static final int ENODATA = 61;
    /** io_uring reports completions lost under memory pressure with it. */
    public static final int EBADR = 53;
    /** Same value as {@link #EOPNOTSUPP} on Linux. */
    public static final int ENOTSUP = EOPNOTSUPP;

    /** Largest errno the tables below hold; larger values print as {@code "errno N"}. */
    private static final int ERRNO_MAX = 133;
    private static final String[] NAMES = new String[ERRNO_MAX + 1];
    private static final String[] MESSAGES = new String[ERRNO_MAX + 1];

    static {
        put(EPERM, "EPERM", "Operation not permitted");
        put(ENOENT, "ENOENT", "No such file or directory");
        put(ESRCH, "ESRCH", "No such process");
        put(EINTR, "EINTR", "Interrupted system call");
        put(EIO, "EIO", "Input/output error");
        put(ENXIO, "ENXIO", "No such device or address");
        put(E2BIG, "E2BIG", "Argument list too long");
        put(ENOEXEC, "ENOEXEC", "Exec format error");
        put(EBADF, "EBADF", "Bad file descriptor");
        put(ECHILD, "ECHILD", "No child processes");
        put(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        put(ENOMEM, "ENOMEM", "Cannot allocate memory");
        put(EACCES, "EACCES", "Permission denied");
        put(EFAULT, "EFAULT", "Bad address");
        put(EBUSY, "EBUSY", "Device or resource busy");
        put(EEXIST, "EEXIST", "File exists");
        put(EXDEV, "EXDEV", "Invalid cross-device link");
        put(ENODEV, "ENODEV", "No such device");
        put(ENOTDIR, "ENOTDIR", "Not a directory");
        put(EISDIR, "EISDIR", "Is a directory");
        put(EINVAL, "EINVAL", "Invalid argument");
        put(ENFILE, "ENFILE", "Too many open files in system");
        put(EMFILE, "EMFILE", "Too many open files");
        put(ETXTBSY, "ETXTBSY", "Text file busy");
        put(EFBIG, "EFBIG", "File too large");
        put(ENOSPC, "ENOSPC", "No space left on device");
        put(ESPIPE, "ESPIPE", "Illegal seek");
        put(EROFS, "EROFS", "Read-only file system");
        put(EMLINK, "EMLINK", "Too many links");
        put(EPIPE, "EPIPE", "Broken pipe");
        put(ERANGE, "ERANGE", "Numerical result out of range");
        put(EDEADLK, "EDEADLK", "Resource deadlock avoided");
        put(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        put(ENOLCK, "ENOLCK", "No locks available");
        put(ENOSYS, "ENOSYS", "Function not implemented");
        put(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        put(ELOOP, "ELOOP", "Too many levels of symbolic links");
        put(ETIME, "ETIME", "Timer expired");
        put(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        put(EBADFD, "EBADFD", "File descriptor in bad state");
        put(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        put(EADDRINUSE, "EADDRINUSE", "Address already in use");
        put(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        put(EALREADY, "EALREADY", "Operation already in progress");
        put(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
        put(ESTALE, "ESTALE", "Stale file handle");
        put(EDQUOT, "EDQUOT", "Disk quota exceeded");
        put(ECANCELED, "ECANCELED", "Operation canceled");
        put(EUCLEAN, "EUCLEAN", "Structure needs cleaning");
        put(EREMOTEIO, "EREMOTEIO", "Remote I/O error");
        put(ENODATA, "ENODATA", "No data available");
        put(EBADR, "EBADR", "Invalid request descriptor");
    }

    private static void put(int errno, String name, String message) {
        NAMES[errno] = name;
        MESSAGES[errno] = message;
    }

    /**
     * The symbolic name of a positive errno, or of a negative kernel result ({@code -errno}),
     * such as {@code "ENOENT"}; {@code "errno N"} for a value this table does not know.
     */
    public static String name(int errno) {
        int e = Math.abs(errno);
        return e <= ERRNO_MAX && NAMES[e] != null ? NAMES[e] : "errno " + e;
    }

    /** glibc's message for the errno, such as {@code "No such file or directory"}. */
    public static String message(int errno) {
        int e = Math.abs(errno);
        return e <= ERRNO_MAX && MESSAGES[e] != null ? MESSAGES[e] : "Unknown error " + e;
    }

    /** Name and message together, such as {@code "ENOENT (No such file or directory)"}. */
    public static String describe(int errno) {
        return name(errno) + " (" + message(errno) + ")";
    }
}
