package io.ringio.file;

import io.ringio.io.OpenFlags;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Turns {@code java.nio.file} open options into {@link OpenFlags}, refusing what ringio cannot honour. */
final class OpenOptions {
    private OpenOptions() {}

    static int flags(Set<? extends OpenOption> options) {
        int flags = 0;
        for (OpenOption option : options) {
            if (option == null) {
                throw new IllegalArgumentException("options contains null");
            }
            if (option instanceof StandardOpenOption standard) {
                flags |= switch (standard) {
                    case READ -> OpenFlags.READ;
                    case WRITE -> OpenFlags.WRITE;
                    case APPEND -> OpenFlags.WRITE | OpenFlags.APPEND;
                    case CREATE -> OpenFlags.CREATE;
                    case CREATE_NEW -> OpenFlags.CREATE_NEW;
                    case TRUNCATE_EXISTING -> OpenFlags.TRUNCATE;
                    case DSYNC -> OpenFlags.DSYNC;
                    case SYNC -> throw new IllegalArgumentException("option=SYNC is not supported: "
                            + "open with DSYNC and call sync() where metadata must be durable too");
                    case DELETE_ON_CLOSE, SPARSE -> throw new IllegalArgumentException("option=" + standard
                            + " is not supported");
                };
            } else if ("DIRECT".equals(option.toString())) {
                // com.sun.nio.file.ExtendedOpenOption.DIRECT, matched by name.
                flags |= OpenFlags.DIRECT;
            } else if (option == LinkOption.NOFOLLOW_LINKS) {
                throw new IllegalArgumentException("option=NOFOLLOW_LINKS is not supported");
            } else {
                throw new IllegalArgumentException("option=" + option + " is not supported");
            }
        }
        if ((flags & OpenFlags.READ_WRITE) == 0) {
            flags |= OpenFlags.READ;
        }
        if ((flags & OpenFlags.WRITE) == 0) {
            // As FileChannel.open does: without WRITE, CREATE, CREATE_NEW and TRUNCATE_EXISTING are ignored.
            flags &= ~(OpenFlags.CREATE | OpenFlags.CREATE_NEW | OpenFlags.TRUNCATE);
        }
        if ((flags & OpenFlags.APPEND) != 0 && (flags & OpenFlags.TRUNCATE) != 0) {
            throw new IllegalArgumentException("options APPEND and TRUNCATE_EXISTING cannot be combined");
        }
        if ((flags & OpenFlags.APPEND) != 0 && (flags & OpenFlags.READ) != 0) {
            throw new IllegalArgumentException("options APPEND and READ cannot be combined");
        }
        return OpenFlags.check(flags);
    }
}
