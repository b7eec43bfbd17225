package io.ringio.sys;

/**
 * Constants of {@code linux/io_uring.h}: opcodes, SQE flags, setup, enter, feature and register
 * values, and per-opcode flags. Values after the 6.1 header (the oldest the tests compile
 * against) are marked with the kernel that added them.
 */
public final class IoUring {
    private IoUring() {}

    // enum io_uring_op
    public static final int OP_NOP = 0;
    public static final int OP_READV = 1;
    public static final int OP_WRITEV = 2;
    public static final int OP_FSYNC = 3;
    public static final int OP_READ_FIXED = 4;
    public static final int OP_WRITE_FIXED = 5;
    public static final int OP_POLL_ADD = 6;
    public static final int OP_POLL_REMOVE = 7;
    public static final int OP_SYNC_FILE_RANGE = 8;
    public static final int OP_TIMEOUT = 11;
    public static final int OP_TIMEOUT_REMOVE = 12;
    public static final int OP_ASYNC_CANCEL = 14;
    public static final int OP_LINK_TIMEOUT = 15;
    public static final int OP_FALLOCATE = 17;
    public static final int OP_OPENAT = 18;
    public static final int OP_CLOSE = 19;
    public static final int OP_FILES_UPDATE = 20;
    public static final int OP_STATX = 21;
    public static final int OP_READ = 22;
    public static final int OP_WRITE = 23;
    public static final int OP_FADVISE = 24;
    public static final int OP_OPENAT2 = 28;
    public static final int OP_RENAMEAT = 35;
    public static final int OP_UNLINKAT = 36;
    public static final int OP_MKDIRAT = 37;
    public static final int OP_SYMLINKAT = 38;
    public static final int OP_LINKAT = 39;
    /** Linux 6.9. */
    public static final int OP_FTRUNCATE = 55;

    /** Opcode names by value, for the probe and messages; index past the end means unknown. */
    private static final String[] OP_NAMES = {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
        "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
        "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV",
        "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT", "READV_FIXED",
        "WRITEV_FIXED", "PIPE",
    };

    /** The opcode's name without the {@code IORING_OP_} prefix, or {@code "OP_n"}. */
    public static String opName(int opcode) {
        return opcode >= 0 && opcode < OP_NAMES.length ? OP_NAMES[opcode] : "OP_" + opcode;
    }

    // sqe->flags
    public static final int IOSQE_FIXED_FILE = 1 << 0;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    // io_uring_setup flags
    public static final int SETUP_IOPOLL = 1 << 0;
    public static final int SETUP_SQPOLL = 1 << 1;
    public static final int SETUP_SQ_AFF = 1 << 2;
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_ATTACH_WQ = 1 << 5;
    public static final int SETUP_R_DISABLED = 1 << 6;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int SETUP_SQE128 = 1 << 10;
    public static final int SETUP_CQE32 = 1 << 11;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // params->features
    public static final int FEAT_SINGLE_MMAP = 1 << 0;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_RW_CUR_POS = 1 << 3;
    public static final int FEAT_CUR_PERSONALITY = 1 << 4;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_POLL_32BITS = 1 << 6;
    public static final int FEAT_SQPOLL_NONFIXED = 1 << 7;
    public static final int FEAT_EXT_ARG = 1 << 8;
    public static final int FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int FEAT_RSRC_TAGS = 1 << 10;
    public static final int FEAT_CQE_SKIP = 1 << 11;
    public static final int FEAT_LINKED_FILE = 1 << 12;
    /** Linux 6.3. */
    public static final int FEAT_REG_REG_RING = 1 << 13;
    /** Linux 6.12. */
    public static final int FEAT_RECVSEND_BUNDLE = 1 << 14;
    /** Linux 6.12. */
    public static final int FEAT_MIN_TIMEOUT = 1 << 15;
    /** Linux 6.13. */
    public static final int FEAT_RW_ATTR = 1 << 16;
    /** Linux 6.15. */
    public static final int FEAT_NO_IOWAIT = 1 << 17;

    private static final String[] FEAT_NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    /** The names of the feature bits set in {@code features}, unknown bits as {@code "bit n"}. */
    public static java.util.List<String> featureNames(int features) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int bit = 0; bit < Integer.SIZE; bit++) {
            if ((features & (1 << bit)) != 0) {
                names.add(bit < FEAT_NAMES.length ? FEAT_NAMES[bit] : "bit " + bit);
            }
        }
        return names;
    }

    // io_uring_enter flags
    public static final int ENTER_GETEVENTS = 1 << 0;
    public static final int ENTER_SQ_WAKEUP = 1 << 1;
    public static final int ENTER_SQ_WAIT = 1 << 2;
    public static final int ENTER_EXT_ARG = 1 << 3;
    public static final int ENTER_REGISTERED_RING = 1 << 4;

    // sq_ring->flags
    public static final int SQ_NEED_WAKEUP = 1 << 0;
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int SQ_TASKRUN = 1 << 2;

    // mmap offsets
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    // io_uring_register opcodes
    public static final int REGISTER_BUFFERS = 0;
    public static final int UNREGISTER_BUFFERS = 1;
    public static final int REGISTER_FILES = 2;
    public static final int UNREGISTER_FILES = 3;
    public static final int REGISTER_EVENTFD = 4;
    public static final int UNREGISTER_EVENTFD = 5;
    public static final int REGISTER_FILES_UPDATE = 6;
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    public static final int REGISTER_FILES2 = 13;
    public static final int REGISTER_FILES_UPDATE2 = 14;
    /** Linux 6.0. */
    public static final int REGISTER_SYNC_CANCEL = 24;

    /** In {@code io_uring_rsrc_register.flags}: a table of empty slots (Linux 5.19). */
    public static final int RSRC_REGISTER_SPARSE = 1;
    /** In {@code io_uring_probe_op.flags}. */
    public static final int IO_URING_OP_SUPPORTED = 1;

    // per-opcode flags
    public static final int FSYNC_DATASYNC = 1;
    public static final int TIMEOUT_ABS = 1 << 0;
    public static final int TIMEOUT_ETIME_SUCCESS = 1 << 5;
    public static final int ASYNC_CANCEL_ALL = 1 << 0;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;

    // io_uring_cqe flags
    public static final int CQE_F_MORE = 1 << 1;
}
