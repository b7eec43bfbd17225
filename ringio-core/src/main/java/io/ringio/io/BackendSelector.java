package io.ringio.io;

import io.ringio.io.channel.ChannelIo;
import io.ringio.io.uring.UringIo;
import io.ringio.ring.Ring;

import java.util.Locale;

/**
 * Chooses the backend for {@link Io#open}: the system property {@code ringio.backend}, then the
 * environment variable {@code RINGIO_BACKEND}, then the options; {@code auto} means io_uring when
 * it is usable and FileChannel otherwise. Forcing io_uring where it is unusable fails with the
 * cause.
 */
public final class BackendSelector {
    private BackendSelector() {}

    /** The system property that overrides the backend choice. */
    public static final String PROPERTY = "ringio.backend";
    /** The environment variable that overrides the backend choice (after the property). */
    public static final String ENVIRONMENT = "RINGIO_BACKEND";

    /** Which backend {@link Io#open} would choose for {@code options} on this machine, and why. */
    public static IoBackend choose(IoOptions options) {
        return choose(options.backend(), System.getProperty(PROPERTY), System.getenv(ENVIRONMENT),
                Ring.isAvailable(), Ring.unavailabilityCause());
    }

    /** The decision itself, from explicit inputs, for tests. */
    static IoBackend choose(IoOptions.Choice fromOptions, String property, String environment,
                            boolean uringUsable, String uringCause) {
        IoOptions.Choice choice = fromOptions;
        String source = "IoOptions";
        if (environment != null && !environment.isBlank()) {
            choice = parse(environment, ENVIRONMENT);
            source = ENVIRONMENT + "=" + environment.trim();
        }
        if (property != null && !property.isBlank()) {
            choice = parse(property, PROPERTY);
            source = "-D" + PROPERTY + "=" + property.trim();
        }
        return switch (choice) {
            case URING -> {
                if (!uringUsable) {
                    throw new IllegalStateException("io_uring was asked for (" + source + ") but is unusable: " + uringCause);
                }
                yield new IoBackend(IoBackend.Kind.URING, "io_uring asked for by " + source);
            }
            case CHANNEL -> new IoBackend(IoBackend.Kind.CHANNEL, "FileChannel asked for by " + source);
            case AUTO -> uringUsable
                    ? new IoBackend(IoBackend.Kind.URING, "io_uring is usable (auto, from " + source + ")")
                    : new IoBackend(IoBackend.Kind.CHANNEL, "io_uring is unusable: " + uringCause);
        };
    }

    static IoOptions.Choice parse(String value, String name) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "uring", "io_uring" -> IoOptions.Choice.URING;
            case "channel", "filechannel" -> IoOptions.Choice.CHANNEL;
            case "auto" -> IoOptions.Choice.AUTO;
            default -> throw new IllegalArgumentException(name + "=" + value + " must be uring, channel or auto");
        };
    }

    static Io open(IoOptions options) {
        IoBackend chosen = choose(options);
        return switch (chosen.kind()) {
            case URING -> UringIo.open(options, chosen.reason());
            case CHANNEL -> ChannelIo.open(options, chosen.reason());
            case SIM -> throw new AssertionError("the simulator is never chosen automatically");
        };
    }
}
