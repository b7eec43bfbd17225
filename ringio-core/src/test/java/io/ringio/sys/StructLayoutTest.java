// Written against the linux-libc-dev 6.1 UAPI headers with glibc 2.36 (Debian 12, x86_64).
package io.ringio.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks every hand-written struct layout and constant of {@code io.ringio.sys} against the C
 * headers installed on this machine.
 *
 * <p>Java cannot include a header, so ringio types each offset, size and flag in by hand. A
 * wrong one does not fail loudly: the kernel reads the wrong SQE field or gets the wrong flag
 * and the symptom shows up far away. So the C compiler is the reference here: the test writes a
 * C program that prints {@code sizeof}, {@code offsetof} and constant values, compiles it with
 * gcc, runs it, and compares each printed value with the Java one. The compiler targets the
 * machine the tests run on, so the architecture-dependent values (O_DIRECT and friends in
 * {@link Fcntl}) are checked for that architecture.
 *
 * <p>Each check is a {@link Row}: a C expression and ringio's value for it. Rows are grouped
 * by the Java class they cover, one test per group, and each test reports all of its
 * mismatches at once, each named by its C expression.
 */
class StructLayoutTest {

    /**
     * One check: a C expression, ringio's value for it (a number, or a string for
     * {@code strerror}), and whether the row is skipped when the installed header predates it.
     */
    private record Row(String c, Object java, boolean onlyIfDefined) {}

    private static Row size(String type, long java) {
        return new Row("sizeof(" + type + ")", java, false);
    }

    private static Row offset(String type, String member, long java) {
        return new Row("offsetof(" + type + ", " + member + ")", java, false);
    }

    private static Row value(String c, long java) {
        return new Row(c, java, false);
    }

    /** A macro the 6.1 header lacks: checked only when the installed header defines it. */
    private static Row newerThan61(String macro, long java) {
        return new Row(macro, java, true);
    }

    private static Row text(String c, String java) {
        return new Row(c, java, false);
    }

    private static final String SQE = "struct io_uring_sqe";
    private static final String PARAMS = "struct io_uring_params";

    private static final List<Row> SQE_ROWS = List.of(
            size(SQE, Sqe.BYTES),
            offset(SQE, "opcode", Sqe.OPCODE),
            offset(SQE, "flags", Sqe.FLAGS),
            offset(SQE, "ioprio", Sqe.IOPRIO),
            offset(SQE, "fd", Sqe.FD),
            offset(SQE, "off", Sqe.OFF),
            offset(SQE, "addr", Sqe.ADDR),
            offset(SQE, "len", Sqe.LEN),
            offset(SQE, "rw_flags", Sqe.OP_FLAGS),
            offset(SQE, "user_data", Sqe.USER_DATA),
            offset(SQE, "buf_index", Sqe.BUF_INDEX),
            offset(SQE, "personality", Sqe.PERSONALITY),
            offset(SQE, "file_index", Sqe.FILE_INDEX),
            offset(SQE, "addr3", Sqe.ADDR3),
            // Union members that ringio writes through the accessor of the first member.
            offset(SQE, "addr2", Sqe.OFF),
            offset(SQE, "fsync_flags", Sqe.OP_FLAGS),
            offset(SQE, "poll32_events", Sqe.OP_FLAGS),
            offset(SQE, "sync_range_flags", Sqe.OP_FLAGS),
            offset(SQE, "timeout_flags", Sqe.OP_FLAGS),
            offset(SQE, "cancel_flags", Sqe.OP_FLAGS),
            offset(SQE, "open_flags", Sqe.OP_FLAGS),
            offset(SQE, "statx_flags", Sqe.OP_FLAGS),
            offset(SQE, "fadvise_advice", Sqe.OP_FLAGS),
            offset(SQE, "rename_flags", Sqe.OP_FLAGS),
            offset(SQE, "unlink_flags", Sqe.OP_FLAGS),
            offset(SQE, "hardlink_flags", Sqe.OP_FLAGS),
            offset(SQE, "buf_group", Sqe.BUF_INDEX),
            offset(SQE, "splice_fd_in", Sqe.FILE_INDEX));

    private static final List<Row> CQE_ROWS = List.of(
            size("struct io_uring_cqe", Cqe.BYTES),
            offset("struct io_uring_cqe", "user_data", Cqe.USER_DATA),
            offset("struct io_uring_cqe", "res", Cqe.RES),
            offset("struct io_uring_cqe", "flags", Cqe.FLAGS));

    private static final List<Row> PARAMS_ROWS = List.of(
            size(PARAMS, IoUringParams.BYTES),
            size("struct io_sqring_offsets", IoUringParams.SQ_OFFSETS.byteSize()),
            size("struct io_cqring_offsets", IoUringParams.CQ_OFFSETS.byteSize()),
            offset(PARAMS, "sq_entries", IoUringParams.SQ_ENTRIES),
            offset(PARAMS, "cq_entries", IoUringParams.CQ_ENTRIES),
            offset(PARAMS, "flags", IoUringParams.FLAGS),
            offset(PARAMS, "sq_thread_cpu", IoUringParams.SQ_THREAD_CPU),
            offset(PARAMS, "sq_thread_idle", IoUringParams.SQ_THREAD_IDLE),
            offset(PARAMS, "features", IoUringParams.FEATURES),
            offset(PARAMS, "wq_fd", IoUringParams.WQ_FD),
            offset(PARAMS, "sq_off", IoUringParams.SQ_OFF),
            offset(PARAMS, "cq_off", IoUringParams.CQ_OFF),
            offset(PARAMS, "sq_off.head", IoUringParams.SQ_OFF_HEAD),
            offset(PARAMS, "sq_off.tail", IoUringParams.SQ_OFF_TAIL),
            offset(PARAMS, "sq_off.ring_mask", IoUringParams.SQ_OFF_RING_MASK),
            offset(PARAMS, "sq_off.ring_entries", IoUringParams.SQ_OFF_RING_ENTRIES),
            offset(PARAMS, "sq_off.flags", IoUringParams.SQ_OFF_FLAGS),
            offset(PARAMS, "sq_off.dropped", IoUringParams.SQ_OFF_DROPPED),
            offset(PARAMS, "sq_off.array", IoUringParams.SQ_OFF_ARRAY),
            offset(PARAMS, "cq_off.head", IoUringParams.CQ_OFF_HEAD),
            offset(PARAMS, "cq_off.tail", IoUringParams.CQ_OFF_TAIL),
            offset(PARAMS, "cq_off.ring_mask", IoUringParams.CQ_OFF_RING_MASK),
            offset(PARAMS, "cq_off.ring_entries", IoUringParams.CQ_OFF_RING_ENTRIES),
            offset(PARAMS, "cq_off.overflow", IoUringParams.CQ_OFF_OVERFLOW),
            offset(PARAMS, "cq_off.cqes", IoUringParams.CQ_OFF_CQES),
            offset(PARAMS, "cq_off.flags", IoUringParams.CQ_OFF_FLAGS));

    private static final List<Row> STATX_ROWS = List.of(
            size("struct statx", Statx.BYTES),
            size("struct statx_timestamp", Statx.TIMESTAMP.byteSize()),
            offset("struct statx", "stx_mask", Statx.MASK),
            offset("struct statx", "stx_blksize", Statx.BLKSIZE),
            offset("struct statx", "stx_mode", Statx.MODE),
            offset("struct statx", "stx_ino", Statx.INO),
            offset("struct statx", "stx_size", Statx.SIZE),
            offset("struct statx", "stx_blocks", Statx.BLOCKS),
            offset("struct statx", "stx_mtime", Statx.MTIME),
            offset("struct statx", "stx_mtime.tv_sec", Statx.MTIME_SEC),
            offset("struct statx", "stx_mtime.tv_nsec", Statx.MTIME_NSEC),
            offset("struct statx", "stx_dio_mem_align", Statx.DIO_MEM_ALIGN),
            offset("struct statx", "stx_dio_offset_align", Statx.DIO_OFFSET_ALIGN),
            value("STATX_TYPE", Statx.STATX_TYPE),
            value("STATX_MODE", Statx.STATX_MODE),
            value("STATX_MTIME", Statx.STATX_MTIME),
            value("STATX_SIZE", Statx.STATX_SIZE),
            value("STATX_BLOCKS", Statx.STATX_BLOCKS),
            value("STATX_BASIC_STATS", Statx.STATX_BASIC_STATS),
            value("STATX_DIOALIGN", Statx.STATX_DIOALIGN),
            value("S_IFMT", Statx.S_IFMT),
            value("S_IFDIR", Statx.S_IFDIR),
            value("S_IFREG", Statx.S_IFREG),
            value("S_IFLNK", Statx.S_IFLNK));

    private static final List<Row> IOVEC_ROWS = List.of(
            size("struct iovec", Iovec.BYTES),
            offset("struct iovec", "iov_base", Iovec.IOV_BASE),
            offset("struct iovec", "iov_len", Iovec.IOV_LEN));

    private static final List<Row> OPEN_HOW_ROWS = List.of(
            size("struct open_how", OpenHow.BYTES),
            offset("struct open_how", "flags", OpenHow.FLAGS),
            offset("struct open_how", "mode", OpenHow.MODE),
            offset("struct open_how", "resolve", OpenHow.RESOLVE));

    private static final List<Row> TIMESPEC_ROWS = List.of(
            size("struct __kernel_timespec", KernelTimespec.BYTES),
            offset("struct __kernel_timespec", "tv_sec", KernelTimespec.TV_SEC),
            offset("struct __kernel_timespec", "tv_nsec", KernelTimespec.TV_NSEC));

    private static final List<Row> GETEVENTS_ARG_ROWS = List.of(
            size("struct io_uring_getevents_arg", GeteventsArg.BYTES),
            offset("struct io_uring_getevents_arg", "sigmask", GeteventsArg.SIGMASK),
            offset("struct io_uring_getevents_arg", "sigmask_sz", GeteventsArg.SIGMASK_SZ),
            offset("struct io_uring_getevents_arg", "ts", GeteventsArg.TS));

    private static final List<Row> SYNC_CANCEL_ROWS = List.of(
            size("struct io_uring_sync_cancel_reg", SyncCancelReg.BYTES),
            offset("struct io_uring_sync_cancel_reg", "addr", SyncCancelReg.ADDR),
            offset("struct io_uring_sync_cancel_reg", "fd", SyncCancelReg.FD),
            offset("struct io_uring_sync_cancel_reg", "flags", SyncCancelReg.FLAGS),
            offset("struct io_uring_sync_cancel_reg", "timeout", SyncCancelReg.TIMEOUT));

    private static final List<Row> PROBE_ROWS = List.of(
            size("struct io_uring_probe", IoUringProbe.HEADER_BYTES),
            size("struct io_uring_probe_op", IoUringProbe.OP_BYTES),
            // IoUringProbe.BYTES is a probe with room for OPS_MAX entries.
            value("sizeof(struct io_uring_probe) + " + IoUringProbe.OPS_MAX + " * sizeof(struct io_uring_probe_op)",
                    IoUringProbe.BYTES),
            offset("struct io_uring_probe", "last_op", IoUringProbe.LAST_OP),
            offset("struct io_uring_probe", "ops_len", IoUringProbe.OPS_LEN),
            // ringio finds ops[i] at HEADER_BYTES + i * OP_BYTES.
            offset("struct io_uring_probe", "ops", IoUringProbe.HEADER_BYTES),
            offset("struct io_uring_probe_op", "op", IoUringProbe.OP_OP),
            offset("struct io_uring_probe_op", "flags", IoUringProbe.OP_FLAGS),
            value("IO_URING_OP_SUPPORTED", IoUring.IO_URING_OP_SUPPORTED));

    // RsrcUpdate is io_uring_files_update, which io_uring_rsrc_update replaced with the same bytes.
    private static final List<Row> RSRC_UPDATE_ROWS = List.of(
            size("struct io_uring_files_update", RsrcUpdate.BYTES),
            offset("struct io_uring_files_update", "offset", RsrcUpdate.OFFSET),
            // RsrcUpdate.set zeroes resv at OFFSET + 4.
            offset("struct io_uring_files_update", "resv", RsrcUpdate.OFFSET + Integer.BYTES),
            offset("struct io_uring_files_update", "fds", RsrcUpdate.DATA),
            size("struct io_uring_rsrc_update", RsrcUpdate.BYTES),
            offset("struct io_uring_rsrc_update", "offset", RsrcUpdate.OFFSET),
            offset("struct io_uring_rsrc_update", "data", RsrcUpdate.DATA));

    // IoUring.OP_FTRUNCATE (55, Linux 6.9) is not in the 6.1 enum: see opcodeNamesFollowKernelEnum.
    private static final List<Row> OPCODE_ROWS = List.of(
            value("IORING_OP_NOP", IoUring.OP_NOP),
            value("IORING_OP_READV", IoUring.OP_READV),
            value("IORING_OP_WRITEV", IoUring.OP_WRITEV),
            value("IORING_OP_FSYNC", IoUring.OP_FSYNC),
            value("IORING_OP_READ_FIXED", IoUring.OP_READ_FIXED),
            value("IORING_OP_WRITE_FIXED", IoUring.OP_WRITE_FIXED),
            value("IORING_OP_POLL_ADD", IoUring.OP_POLL_ADD),
            value("IORING_OP_POLL_REMOVE", IoUring.OP_POLL_REMOVE),
            value("IORING_OP_SYNC_FILE_RANGE", IoUring.OP_SYNC_FILE_RANGE),
            value("IORING_OP_TIMEOUT", IoUring.OP_TIMEOUT),
            value("IORING_OP_TIMEOUT_REMOVE", IoUring.OP_TIMEOUT_REMOVE),
            value("IORING_OP_ASYNC_CANCEL", IoUring.OP_ASYNC_CANCEL),
            value("IORING_OP_LINK_TIMEOUT", IoUring.OP_LINK_TIMEOUT),
            value("IORING_OP_FALLOCATE", IoUring.OP_FALLOCATE),
            value("IORING_OP_OPENAT", IoUring.OP_OPENAT),
            value("IORING_OP_CLOSE", IoUring.OP_CLOSE),
            value("IORING_OP_FILES_UPDATE", IoUring.OP_FILES_UPDATE),
            value("IORING_OP_STATX", IoUring.OP_STATX),
            value("IORING_OP_READ", IoUring.OP_READ),
            value("IORING_OP_WRITE", IoUring.OP_WRITE),
            value("IORING_OP_FADVISE", IoUring.OP_FADVISE),
            value("IORING_OP_OPENAT2", IoUring.OP_OPENAT2),
            value("IORING_OP_RENAMEAT", IoUring.OP_RENAMEAT),
            value("IORING_OP_UNLINKAT", IoUring.OP_UNLINKAT),
            value("IORING_OP_MKDIRAT", IoUring.OP_MKDIRAT),
            value("IORING_OP_SYMLINKAT", IoUring.OP_SYMLINKAT),
            value("IORING_OP_LINKAT", IoUring.OP_LINKAT));

    /** IORING_OP_LAST in the 6.1 header: opcodes 0 to 48 (SENDMSG_ZC) exist there. */
    private static final int OPCODES_IN_6_1_HEADER = 49;

    /** {@link IoUring#opName} must give the enum name for every opcode the 6.1 header has. */
    private static final List<Row> OPCODE_NAME_ROWS = Stream.iterate(0, op -> op < OPCODES_IN_6_1_HEADER, op -> op + 1)
            .map(op -> value("IORING_OP_" + IoUring.opName(op), op))
            .toList();

    private static final List<Row> IO_URING_FLAG_ROWS = List.of(
            value("IOSQE_FIXED_FILE", IoUring.IOSQE_FIXED_FILE),
            value("IOSQE_IO_DRAIN", IoUring.IOSQE_IO_DRAIN),
            value("IOSQE_IO_LINK", IoUring.IOSQE_IO_LINK),
            value("IOSQE_IO_HARDLINK", IoUring.IOSQE_IO_HARDLINK),
            value("IOSQE_ASYNC", IoUring.IOSQE_ASYNC),
            value("IOSQE_BUFFER_SELECT", IoUring.IOSQE_BUFFER_SELECT),
            value("IOSQE_CQE_SKIP_SUCCESS", IoUring.IOSQE_CQE_SKIP_SUCCESS),

            value("IORING_SETUP_IOPOLL", IoUring.SETUP_IOPOLL),
            value("IORING_SETUP_SQPOLL", IoUring.SETUP_SQPOLL),
            value("IORING_SETUP_SQ_AFF", IoUring.SETUP_SQ_AFF),
            value("IORING_SETUP_CQSIZE", IoUring.SETUP_CQSIZE),
            value("IORING_SETUP_CLAMP", IoUring.SETUP_CLAMP),
            value("IORING_SETUP_ATTACH_WQ", IoUring.SETUP_ATTACH_WQ),
            value("IORING_SETUP_R_DISABLED", IoUring.SETUP_R_DISABLED),
            value("IORING_SETUP_SUBMIT_ALL", IoUring.SETUP_SUBMIT_ALL),
            value("IORING_SETUP_COOP_TASKRUN", IoUring.SETUP_COOP_TASKRUN),
            value("IORING_SETUP_TASKRUN_FLAG", IoUring.SETUP_TASKRUN_FLAG),
            value("IORING_SETUP_SQE128", IoUring.SETUP_SQE128),
            value("IORING_SETUP_CQE32", IoUring.SETUP_CQE32),
            value("IORING_SETUP_SINGLE_ISSUER", IoUring.SETUP_SINGLE_ISSUER),
            value("IORING_SETUP_DEFER_TASKRUN", IoUring.SETUP_DEFER_TASKRUN),

            value("IORING_FEAT_SINGLE_MMAP", IoUring.FEAT_SINGLE_MMAP),
            value("IORING_FEAT_NODROP", IoUring.FEAT_NODROP),
            value("IORING_FEAT_SUBMIT_STABLE", IoUring.FEAT_SUBMIT_STABLE),
            value("IORING_FEAT_RW_CUR_POS", IoUring.FEAT_RW_CUR_POS),
            value("IORING_FEAT_CUR_PERSONALITY", IoUring.FEAT_CUR_PERSONALITY),
            value("IORING_FEAT_FAST_POLL", IoUring.FEAT_FAST_POLL),
            value("IORING_FEAT_POLL_32BITS", IoUring.FEAT_POLL_32BITS),
            value("IORING_FEAT_SQPOLL_NONFIXED", IoUring.FEAT_SQPOLL_NONFIXED),
            value("IORING_FEAT_EXT_ARG", IoUring.FEAT_EXT_ARG),
            value("IORING_FEAT_NATIVE_WORKERS", IoUring.FEAT_NATIVE_WORKERS),
            value("IORING_FEAT_RSRC_TAGS", IoUring.FEAT_RSRC_TAGS),
            value("IORING_FEAT_CQE_SKIP", IoUring.FEAT_CQE_SKIP),
            value("IORING_FEAT_LINKED_FILE", IoUring.FEAT_LINKED_FILE),
            newerThan61("IORING_FEAT_REG_REG_RING", IoUring.FEAT_REG_REG_RING),
            newerThan61("IORING_FEAT_RECVSEND_BUNDLE", IoUring.FEAT_RECVSEND_BUNDLE),
            newerThan61("IORING_FEAT_MIN_TIMEOUT", IoUring.FEAT_MIN_TIMEOUT),
            newerThan61("IORING_FEAT_RW_ATTR", IoUring.FEAT_RW_ATTR),
            newerThan61("IORING_FEAT_NO_IOWAIT", IoUring.FEAT_NO_IOWAIT),

            value("IORING_ENTER_GETEVENTS", IoUring.ENTER_GETEVENTS),
            value("IORING_ENTER_SQ_WAKEUP", IoUring.ENTER_SQ_WAKEUP),
            value("IORING_ENTER_SQ_WAIT", IoUring.ENTER_SQ_WAIT),
            value("IORING_ENTER_EXT_ARG", IoUring.ENTER_EXT_ARG),
            value("IORING_ENTER_REGISTERED_RING", IoUring.ENTER_REGISTERED_RING),

            value("IORING_SQ_NEED_WAKEUP", IoUring.SQ_NEED_WAKEUP),
            value("IORING_SQ_CQ_OVERFLOW", IoUring.SQ_CQ_OVERFLOW),
            value("IORING_SQ_TASKRUN", IoUring.SQ_TASKRUN),

            value("IORING_OFF_SQ_RING", IoUring.OFF_SQ_RING),
            value("IORING_OFF_CQ_RING", IoUring.OFF_CQ_RING),
            value("IORING_OFF_SQES", IoUring.OFF_SQES),

            value("IORING_REGISTER_BUFFERS", IoUring.REGISTER_BUFFERS),
            value("IORING_UNREGISTER_BUFFERS", IoUring.UNREGISTER_BUFFERS),
            value("IORING_REGISTER_FILES", IoUring.REGISTER_FILES),
            value("IORING_UNREGISTER_FILES", IoUring.UNREGISTER_FILES),
            value("IORING_REGISTER_EVENTFD", IoUring.REGISTER_EVENTFD),
            value("IORING_UNREGISTER_EVENTFD", IoUring.UNREGISTER_EVENTFD),
            value("IORING_REGISTER_FILES_UPDATE", IoUring.REGISTER_FILES_UPDATE),
            value("IORING_REGISTER_PROBE", IoUring.REGISTER_PROBE),
            value("IORING_REGISTER_ENABLE_RINGS", IoUring.REGISTER_ENABLE_RINGS),
            value("IORING_REGISTER_SYNC_CANCEL", IoUring.REGISTER_SYNC_CANCEL),
            value("IORING_REGISTER_FILES2", IoUring.REGISTER_FILES2),
            value("IORING_REGISTER_FILES_UPDATE2", IoUring.REGISTER_FILES_UPDATE2),
            value("IORING_RSRC_REGISTER_SPARSE", IoUring.RSRC_REGISTER_SPARSE),

            value("IORING_FSYNC_DATASYNC", IoUring.FSYNC_DATASYNC),
            value("IORING_TIMEOUT_ABS", IoUring.TIMEOUT_ABS),
            value("IORING_TIMEOUT_ETIME_SUCCESS", IoUring.TIMEOUT_ETIME_SUCCESS),
            value("IORING_ASYNC_CANCEL_ALL", IoUring.ASYNC_CANCEL_ALL),
            value("IORING_ASYNC_CANCEL_FD", IoUring.ASYNC_CANCEL_FD),
            value("IORING_ASYNC_CANCEL_ANY", IoUring.ASYNC_CANCEL_ANY),
            value("IORING_CQE_F_MORE", IoUring.CQE_F_MORE));

    private static final List<Row> SYSCALLS_ROWS = List.of(
            value("__NR_io_uring_setup", Syscalls.SYS_IO_URING_SETUP),
            value("__NR_io_uring_enter", Syscalls.SYS_IO_URING_ENTER),
            value("__NR_io_uring_register", Syscalls.SYS_IO_URING_REGISTER),
            value("PROT_READ", Syscalls.PROT_READ),
            value("PROT_WRITE", Syscalls.PROT_WRITE),
            value("MAP_SHARED", Syscalls.MAP_SHARED),
            value("MAP_POPULATE", Syscalls.MAP_POPULATE),
            value("EFD_CLOEXEC", Syscalls.EFD_CLOEXEC),
            value("EFD_NONBLOCK", Syscalls.EFD_NONBLOCK),
            value("O_CLOEXEC", Syscalls.O_CLOEXEC),
            value("O_NONBLOCK", Syscalls.O_NONBLOCK),
            value("RWF_NOWAIT", Syscalls.RWF_NOWAIT),
            value("RLIMIT_NOFILE", Syscalls.RLIMIT_NOFILE),
            size("struct rlimit", 2 * Long.BYTES),
            offset("struct rlimit", "rlim_cur", 0));

    private static final List<Row> FCNTL_ROWS = List.of(
            value("O_RDONLY", Fcntl.O_RDONLY),
            value("O_WRONLY", Fcntl.O_WRONLY),
            value("O_RDWR", Fcntl.O_RDWR),
            value("O_CREAT", Fcntl.O_CREAT),
            value("O_EXCL", Fcntl.O_EXCL),
            value("O_TRUNC", Fcntl.O_TRUNC),
            value("O_APPEND", Fcntl.O_APPEND),
            value("O_NONBLOCK", Fcntl.O_NONBLOCK),
            value("O_DSYNC", Fcntl.O_DSYNC),
            value("O_DIRECT", Fcntl.O_DIRECT),
            value("O_DIRECTORY", Fcntl.O_DIRECTORY),
            value("O_NOFOLLOW", Fcntl.O_NOFOLLOW),
            value("O_CLOEXEC", Fcntl.O_CLOEXEC),
            value("O_SYNC", Fcntl.O_SYNC),
            value("AT_FDCWD", Fcntl.AT_FDCWD),
            value("AT_REMOVEDIR", Fcntl.AT_REMOVEDIR),
            value("AT_EMPTY_PATH", Fcntl.AT_EMPTY_PATH),
            value("RENAME_NOREPLACE", Fcntl.RENAME_NOREPLACE),
            value("FALLOC_FL_KEEP_SIZE", Fcntl.FALLOC_FL_KEEP_SIZE),
            value("POLLIN", Fcntl.POLLIN),
            value("POLLOUT", Fcntl.POLLOUT));

    /** Every errno ringio names, with its C name. */
    private static final List<Map.Entry<String, Integer>> ERRNOS = List.of(
            Map.entry("EPERM", Errno.EPERM),
            Map.entry("ENOENT", Errno.ENOENT),
            Map.entry("ESRCH", Errno.ESRCH),
            Map.entry("EINTR", Errno.EINTR),
            Map.entry("EIO", Errno.EIO),
            Map.entry("ENXIO", Errno.ENXIO),
            Map.entry("E2BIG", Errno.E2BIG),
            Map.entry("ENOEXEC", Errno.ENOEXEC),
            Map.entry("EBADF", Errno.EBADF),
            Map.entry("ECHILD", Errno.ECHILD),
            Map.entry("EAGAIN", Errno.EAGAIN),
            Map.entry("ENOMEM", Errno.ENOMEM),
            Map.entry("EACCES", Errno.EACCES),
            Map.entry("EFAULT", Errno.EFAULT),
            Map.entry("EBUSY", Errno.EBUSY),
            Map.entry("EEXIST", Errno.EEXIST),
            Map.entry("EXDEV", Errno.EXDEV),
            Map.entry("ENODEV", Errno.ENODEV),
            Map.entry("ENOTDIR", Errno.ENOTDIR),
            Map.entry("EISDIR", Errno.EISDIR),
            Map.entry("EINVAL", Errno.EINVAL),
            Map.entry("ENFILE", Errno.ENFILE),
            Map.entry("EMFILE", Errno.EMFILE),
            Map.entry("ETXTBSY", Errno.ETXTBSY),
            Map.entry("EFBIG", Errno.EFBIG),
            Map.entry("ENOSPC", Errno.ENOSPC),
            Map.entry("ESPIPE", Errno.ESPIPE),
            Map.entry("EROFS", Errno.EROFS),
            Map.entry("EMLINK", Errno.EMLINK),
            Map.entry("EPIPE", Errno.EPIPE),
            Map.entry("ERANGE", Errno.ERANGE),
            Map.entry("EDEADLK", Errno.EDEADLK),
            Map.entry("ENAMETOOLONG", Errno.ENAMETOOLONG),
            Map.entry("ENOLCK", Errno.ENOLCK),
            Map.entry("ENOSYS", Errno.ENOSYS),
            Map.entry("ENOTEMPTY", Errno.ENOTEMPTY),
            Map.entry("ELOOP", Errno.ELOOP),
            Map.entry("ETIME", Errno.ETIME),
            Map.entry("EOVERFLOW", Errno.EOVERFLOW),
            Map.entry("EBADFD", Errno.EBADFD),
            Map.entry("EOPNOTSUPP", Errno.EOPNOTSUPP),
            Map.entry("EADDRINUSE", Errno.EADDRINUSE),
            Map.entry("ETIMEDOUT", Errno.ETIMEDOUT),
            Map.entry("EALREADY", Errno.EALREADY),
            Map.entry("EINPROGRESS", Errno.EINPROGRESS),
            Map.entry("ESTALE", Errno.ESTALE),
            Map.entry("EDQUOT", Errno.EDQUOT),
            Map.entry("ECANCELED", Errno.ECANCELED),
            Map.entry("EUCLEAN", Errno.EUCLEAN),
            Map.entry("EREMOTEIO", Errno.EREMOTEIO),
            Map.entry("ENODATA", Errno.ENODATA),
            Map.entry("ENOTSUP", Errno.ENOTSUP));

    /** Each errno's value, and its message against glibc's strerror (the C locale's English). */
    private static final List<Row> ERRNO_ROWS = ERRNOS.stream()
            .flatMap(e -> Stream.of(
                    value(e.getKey(), e.getValue()),
                    text("strerror(" + e.getKey() + ")", Errno.message(e.getValue()))))
            .toList();

    private static final List<Row> ALL_ROWS = Stream.of(
                    SQE_ROWS, CQE_ROWS, PARAMS_ROWS, STATX_ROWS, IOVEC_ROWS, OPEN_HOW_ROWS, TIMESPEC_ROWS,
                    GETEVENTS_ARG_ROWS, SYNC_CANCEL_ROWS, PROBE_ROWS, RSRC_UPDATE_ROWS, OPCODE_ROWS, OPCODE_NAME_ROWS,
                    IO_URING_FLAG_ROWS, SYSCALLS_ROWS, FCNTL_ROWS, ERRNO_ROWS)
            .flatMap(List::stream)
            .toList();

    private static final List<String> HEADERS = List.of(
            "errno.h", "fcntl.h", "poll.h", "stddef.h", "stdio.h", "string.h", "sys/eventfd.h", "sys/mman.h",
            "sys/resource.h", "sys/stat.h", "sys/syscall.h", "sys/uio.h", "linux/falloc.h", "linux/fs.h", "linux/io_uring.h",
            "linux/openat2.h", "linux/stat.h", "linux/time_types.h");

    /** What the compiled program printed: C expression to value. */
    private static Map<String, String> headerValues;

    @BeforeAll
    static void evaluateRowsWithTheCompiler(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("layout_probe.c");
        Path binary = dir.resolve("layout_probe");
        Files.writeString(source, cProgram(ALL_ROWS));

        ProcessResult compiled;
        try {
            compiled = run(dir, "gcc", "-std=gnu11", "-Wall", "-o", binary.toString(), source.toString());
        } catch (IOException e) {
            fail("gcc is not on the PATH, so the layouts cannot be checked against the C headers. "
                    + "Install gcc and linux-libc-dev (the CI script installs them). Cause: " + e.getMessage());
            return;
        }
        if (compiled.exitCode() != 0) {
            fail("gcc could not compile the layout probe (are linux-libc-dev and libc6-dev installed? "
                    + "does a row name something the headers lack?):\n" + compiled.output());
        }
        ProcessResult ran = run(dir, binary.toString());
        assertThat(ran.exitCode()).as("exit code of the layout probe; output:%n%s", ran.output()).isZero();
        headerValues = parse(ran.output());
    }

    @Test
    void sqeLayoutMatchesKernelHeader() {
        assertMatchesHeaders(SQE_ROWS);
    }

    @Test
    void cqeLayoutMatchesKernelHeader() {
        assertMatchesHeaders(CQE_ROWS);
    }

    @Test
    void ioUringParamsLayoutAndRingOffsetsMatchKernelHeader() {
        assertMatchesHeaders(PARAMS_ROWS);
    }

    @Test
    void statxLayoutAndMasksMatchKernelHeader() {
        assertMatchesHeaders(STATX_ROWS);
    }

    @Test
    void iovecLayoutMatchesLibcHeader() {
        assertMatchesHeaders(IOVEC_ROWS);
    }

    @Test
    void openHowLayoutMatchesKernelHeader() {
        assertMatchesHeaders(OPEN_HOW_ROWS);
    }

    @Test
    void kernelTimespecLayoutMatchesKernelHeader() {
        assertMatchesHeaders(TIMESPEC_ROWS);
    }

    @Test
    void geteventsArgLayoutMatchesKernelHeader() {
        assertMatchesHeaders(GETEVENTS_ARG_ROWS);
    }

    @Test
    void syncCancelRegLayoutMatchesKernelHeader() {
        assertMatchesHeaders(SYNC_CANCEL_ROWS);
    }

    @Test
    void probeLayoutMatchesKernelHeader() {
        assertMatchesHeaders(PROBE_ROWS);
    }

    @Test
    void rsrcUpdateLayoutMatchesKernelHeader() {
        assertMatchesHeaders(RSRC_UPDATE_ROWS);
    }

    @Test
    void opcodesMatchKernelEnum() {
        assertMatchesHeaders(OPCODE_ROWS);
    }

    @Test
    void opcodeNamesFollowKernelEnum() {
        assertMatchesHeaders(OPCODE_NAME_ROWS);
        // The 6.1 header has no IORING_OP_FTRUNCATE (added in Linux 6.9), so its value is checked
        // against the position of its name in ringio's table instead.
        assertThat(IoUring.opName(IoUring.OP_FTRUNCATE)).isEqualTo("FTRUNCATE");
        assertThat(IoUring.OP_FTRUNCATE).isEqualTo(55);
    }

    @Test
    void ioUringFlagsAndRegisterOpcodesMatchKernelHeader() {
        assertMatchesHeaders(IO_URING_FLAG_ROWS);
    }

    @Test
    void syscallNumbersAndMmapFlagsMatchLibcHeaders() {
        assertMatchesHeaders(SYSCALLS_ROWS);
    }

    @Test
    void fcntlConstantsMatchLibcHeaders() {
        assertMatchesHeaders(FCNTL_ROWS);
    }

    @Test
    void errnoValuesAndMessagesMatchLibc() {
        assertMatchesHeaders(ERRNO_ROWS);
    }

    @Test
    void errnoNamesAreTheSymbolicNames() {
        SoftAssertions.assertSoftly(softly -> {
            for (Map.Entry<String, Integer> e : ERRNOS) {
                String name = e.getKey();
                int errno = e.getValue();
                // ENOTSUP is EOPNOTSUPP on Linux, and one number has one name.
                String expected = name.equals("ENOTSUP") ? "EOPNOTSUPP" : name;
                softly.assertThat(Errno.name(errno)).as("Errno.name(%s)", name).isEqualTo(expected);
                softly.assertThat(Errno.name(-errno)).as("Errno.name(-%s)", name).isEqualTo(expected);
            }
        });
    }

    /** Soft assertions, so that one run lists every mismatch of the group. */
    private static void assertMatchesHeaders(List<Row> rows) {
        SoftAssertions.assertSoftly(softly -> {
            for (Row row : rows) {
                String header = headerValues.get(row.c());
                if (header == null && row.onlyIfDefined()) {
                    continue; // the installed header predates this constant
                }
                softly.assertThat(String.valueOf(row.java()))
                        .as("%s (actual: ringio, expected: C headers)", row.c())
                        .isEqualTo(header);
            }
        });
    }

    /** A C program printing one {@code expression<TAB>value} line per distinct row. */
    private static String cProgram(List<Row> rows) {
        StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n");
        HEADERS.forEach(h -> c.append("#include <").append(h).append(">\n"));
        c.append("\nint main(void) {\n");
        Set<String> seen = new LinkedHashSet<>();
        for (Row row : rows) {
            if (!seen.add(row.c())) {
                continue;
            }
            String label = row.c().replace("\\", "\\\\").replace("\"", "\\\"");
            String print = row.java() instanceof String
                    ? "    printf(\"%s\\t%s\\n\", \"" + label + "\", " + row.c() + ");\n"
                    : "    printf(\"%s\\t%lld\\n\", \"" + label + "\", (long long) (" + row.c() + "));\n";
            if (row.onlyIfDefined()) {
                c.append("#ifdef ").append(row.c()).append('\n').append(print).append("#endif\n");
            } else {
                c.append(print);
            }
        }
        return c.append("    return 0;\n}\n").toString();
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                values.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return values;
    }

    private record ProcessResult(int exitCode, String output) {}

    private static ProcessResult run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 2 minutes");
        }
        return new ProcessResult(process.exitValue(), output);
    }
}
