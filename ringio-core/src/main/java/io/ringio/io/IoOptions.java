package io.ringio.io;

/**
 * How to open an {@link Io}.
 *
 * @param backend        which backend to use: {@code AUTO} picks io_uring when it is usable and
 *                       FileChannel otherwise. The system property {@code ringio.backend} and then
 *                       the environment variable {@code RINGIO_BACKEND} ({@code uring},
 *                       {@code channel}, {@code auto}) override it.
 * @param capacity       most operations in flight, 1 to {@link #CAPACITY_MAX}
 * @param channelWorkers worker threads of the FileChannel backend, 1 to {@link #WORKERS_MAX}
 * @param sqpoll         io_uring only: a kernel thread polls the submission queue
 *                       (IORING_SETUP_SQPOLL), which saves the {@code io_uring_enter} of a
 *                       submission but keeps a core busy while there is work and for a second
 *                       after. On a machine with few cores that core costs more than the system
 *                       calls it saves, so it is off by default.
 * @param singleIssuer   io_uring only: one thread, the first to submit, does all submitting and
 *                       waiting (IORING_SETUP_SINGLE_ISSUER with DEFER_TASKRUN, Linux 6.1), which
 *                       lets the kernel skip locking and run completion work only when that thread
 *                       waits. Used where the kernel has it, ignored where it does not. An
 *                       {@code Io} passed between threads must leave it off.
 * @param registeredFiles io_uring only: each file it opens also goes into the ring's table of
 *                       registered files, and operations on it name the table's entry
 *                       (IOSQE_FIXED_FILE), which spares the kernel taking and dropping a
 *                       reference to the file on every operation. Handles stay kernel fds. On by
 *                       default; where the kernel refuses the table, files are used unregistered.
 * @param submitBatch    io_uring only: once at least this many operations wait in the SQ (looked at
 *                       after each operation, or after the last of a chain, which is never split),
 *                       they go to the kernel together at once, in one {@code io_uring_enter};
 *                       what is left goes with the next {@code poll} or {@code park}. 1 sends each
 *                       operation as it is submitted; 0 waits for {@code poll} or {@code park}, so
 *                       that an event loop makes one {@code io_uring_enter} per turn. Default
 *                       {@link #SUBMIT_BATCH_DEFAULT}. On this project's VM (virtio disk,
 *                       mq-deadline), 32 random O_DIRECT reads kept in flight from completion
 *                       callbacks reached about 0.87 of fio's IOPS with 0, and 0.97-1.0 with 1, 2
 *                       or 4, 4 costing the least CPU of those (see the README): a turn that holds
 *                       back its reads until its end leaves the disk short of work.
 */
public record IoOptions(Choice backend, int capacity, int channelWorkers, boolean sqpoll, boolean singleIssuer,
                        boolean registeredFiles, int submitBatch) {
    /** A backend request. */
    public enum Choice { AUTO, URING, CHANNEL }

    public static final int CAPACITY_MAX = 1 << 15;
    public static final int CAPACITY_DEFAULT = 1024;
    public static final int WORKERS_MAX = 256;
    public static final int WORKERS_DEFAULT = 4;
    /** The default {@link #submitBatch}. */
    public static final int SUBMIT_BATCH_DEFAULT = 4;

    public IoOptions {
        java.util.Objects.requireNonNull(backend, "backend");
        if (capacity < 1 || capacity > CAPACITY_MAX) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + CAPACITY_MAX + "]");
        }
        if (channelWorkers < 1 || channelWorkers > WORKERS_MAX) {
            throw new IllegalArgumentException("channelWorkers=" + channelWorkers + " must be in [1, " + WORKERS_MAX + "]");
        }
        if (sqpoll && singleIssuer) {
            throw new IllegalArgumentException("sqpoll=true and singleIssuer=true cannot be combined: "
                    + "with SQPOLL the kernel's thread does the submitting");
        }
        if (submitBatch < 0 || submitBatch > CAPACITY_MAX) {
            throw new IllegalArgumentException("submitBatch=" + submitBatch + " must be in [0, " + CAPACITY_MAX
                    + "] (0: at poll and park only)");
        }
    }

    /** The backend and capacity given; SQPOLL and SINGLE_ISSUER off; registered files on; the default submit batch. */
    public IoOptions(Choice backend, int capacity, int channelWorkers) {
        this(backend, capacity, channelWorkers, false, false, true, SUBMIT_BATCH_DEFAULT);
    }

    /** Auto choice, default capacity, workers and submit batch; SQPOLL and SINGLE_ISSUER off; files registered. */
    public static IoOptions defaults() {
        return new IoOptions(Choice.AUTO, CAPACITY_DEFAULT, WORKERS_DEFAULT);
    }

    public IoOptions withBackend(Choice choice) {
        return new IoOptions(choice, capacity, channelWorkers, sqpoll, singleIssuer, registeredFiles, submitBatch);
    }

    public IoOptions withCapacity(int value) {
        return new IoOptions(backend, value, channelWorkers, sqpoll, singleIssuer, registeredFiles, submitBatch);
    }

    public IoOptions withChannelWorkers(int value) {
        return new IoOptions(backend, capacity, value, sqpoll, singleIssuer, registeredFiles, submitBatch);
    }

    public IoOptions withSqpoll(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, on, singleIssuer, registeredFiles, submitBatch);
    }

    public IoOptions withSingleIssuer(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, on, registeredFiles, submitBatch);
    }

    public IoOptions withRegisteredFiles(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, singleIssuer, on, submitBatch);
    }

    public IoOptions withSubmitBatch(int value) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, singleIssuer, registeredFiles, value);
    }
}
