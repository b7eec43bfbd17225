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
 */
public record IoOptions(Choice backend, int capacity, int channelWorkers) {
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
    }

    /** Auto choice, default capacity and workers. */
    public static IoOptions defaults() {
        return new IoOptions(Choice.AUTO, CAPACITY_DEFAULT, WORKERS_DEFAULT);
    }

    public IoOptions withBackend(Choice choice) {
        return new IoOptions(choice, capacity, channelWorkers);
    }

    public IoOptions withCapacity(int value) {
        return new IoOptions(backend, value, channelWorkers);
    }

    public IoOptions withChannelWorkers(int value) {
        return new IoOptions(backend, capacity, value);
    }
}
