package io.ringio.io.channel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The file handles of a {@link ChannelIo}: slot {@code h} holds the file that handle {@code h}
 * names. A handle is reserved when its open is submitted (so the worker that opens the file can
 * complete with it), freed when the open fails or the file's close is submitted, and then reused,
 * lowest first, like a kernel's file descriptors. Grows as needed up to {@link #FILES_MAX}. Not
 * thread-safe: only the owner thread uses it.
 */
final class FileTable {
    /** Most files open at once; past it, open completes with EMFILE. */
    static final int FILES_MAX = 1 << 20;
    private static final int INITIAL_SLOTS = 16;

    private ChannelFile[] slots = new ChannelFile[INITIAL_SLOTS];
    /** No slot below this is free. */
    private int lowestFree;

    /** The file that {@code handle} names, or null when it names none. */
    ChannelFile get(int handle) {
        return handle >= 0 && handle < slots.length ? slots[handle] : null;
    }

    /** Reserves the lowest free handle for a file at {@code path}; null when {@link #FILES_MAX} are open. */
    ChannelFile reserve(Path path) {
        int handle = lowestFree;
        while (handle < slots.length && slots[handle] != null) {
            handle++;
        }
        if (handle == slots.length) {
            if (slots.length == FILES_MAX) {
                return null;
            }
            slots = Arrays.copyOf(slots, Math.min(FILES_MAX, slots.length * 2));
        }
        ChannelFile file = new ChannelFile(handle, path);
        slots[handle] = file;
        lowestFree = handle + 1;
        return file;
    }

    /** Frees {@code handle}, which must name {@code file}. */
    void remove(ChannelFile file) {
        assert slots[file.handle] == file : "handle " + file.handle + " names " + slots[file.handle] + ", not " + file;
        slots[file.handle] = null;
        lowestFree = Math.min(lowestFree, file.handle);
    }

    /** Calls {@code action} with every file; the table must not change meanwhile. */
    void forEach(Consumer<ChannelFile> action) {
        for (ChannelFile file : slots) {
            if (file != null) {
                action.accept(file);
            }
        }
    }

    void clear() {
        Arrays.fill(slots, null);
        lowestFree = 0;
    }
}
