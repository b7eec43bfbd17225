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
 * @param eagerSubmit    io_uring only: each operation goes to the kernel as it is submitted (one
 *                       {@code io_uring_enter} each), instead of waiting in the SQ for the next
 *                       {@code poll} or {@code park} to send the batch. Off by default. On this
 *                       project's VM (virtio disk, mq-deadline), 32 random O_DIRECT reads kept in
 *                       flight from completion callbacks reached 0.98-1.04 of fio's IOPS with it
 *                       and 0.86-0.91 without, for about 1 µs more CPU per read (see the README).
 */
public record IoOptions(Choice backend, int capacity, int channelWorkers, boolean sqpoll, boolean singleIssuer,
                        boolean registeredFiles, boolean eagerSubmit) {
    /** A backend request. */
    public enum Choice { AUTO, URING, CHANNEL }

    public static final int CAPACITY_MAX = 1 << 15;
    public static final int CAPACITY_DEFAULT = 1024;
    public static final int WORKERS_MAX = 256;
    public static final int WORKERS_DEFAULT = 4;

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
    }

    /** The backend and capacity given; SQPOLL, SINGLE_ISSUER and eager submission off; registered files on. */
    public IoOptions(Choice backend, int capacity, int channelWorkers) {
        this(backend, capacity, channelWorkers, false, false, true, false);
    }

    /** Auto choice, default capacity and workers; SQPOLL, SINGLE_ISSUER and eager submission off; files registered. */
    public static IoOptions defaults() {
        return new IoOptions(Choice.AUTO, CAPACITY_DEFAULT, WORKERS_DEFAULT);
    }

    public IoOptions withBackend(Choice choice) {
        return new IoOptions(choice, capacity, channelWorkers, sqpoll, singleIssuer, registeredFiles, eagerSubmit);
    }

    public IoOptions withCapacity(int value) {
        return new IoOptions(backend, value, channelWorkers, sqpoll, singleIssuer, registeredFiles, eagerSubmit);
    }

    public IoOptions withChannelWorkers(int value) {
        return new IoOptions(backend, capacity, value, sqpoll, singleIssuer, registeredFiles, eagerSubmit);
    }

    public IoOptions withSqpoll(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, on, singleIssuer, registeredFiles, eagerSubmit);
    }

    public IoOptions withSingleIssuer(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, on, registeredFiles, eagerSubmit);
    }

    public IoOptions withRegisteredFiles(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, singleIssuer, on, eagerSubmit);
    }

    public IoOptions withEagerSubmit(boolean on) {
        return new IoOptions(backend, capacity, channelWorkers, sqpoll, singleIssuer, registeredFiles, on);
    }
}
