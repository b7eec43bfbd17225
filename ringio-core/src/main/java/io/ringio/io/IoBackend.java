package io.ringio.io;

/**
 * Which backend an {@link Io} runs on and why it was chosen, for logs and {@code ringio probe}.
 *
 * @param kind   the backend
 * @param reason one sentence: why this backend (and, when io_uring was passed over, why)
 */
public record IoBackend(Kind kind, String reason) {
    /** The backends ringio has. */
    public enum Kind {
        /** Linux io_uring through {@code Ring}. */
        URING,
        /** FileChannel and java.nio.file on a small pool of worker threads; runs anywhere. */
        CHANNEL,
        /** The deterministic simulator. */
        SIM
    }

    public IoBackend {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(reason, "reason");
    }
}
