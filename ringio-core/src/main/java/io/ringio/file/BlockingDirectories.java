package io.ringio.file;

import io.ringio.io.IoBackend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The blocking twins of {@link RingDirectories}; they wait as {@link BlockingRingFile}'s do. */
public final class BlockingDirectories {
    private final RingDirectories directories;

    BlockingDirectories(RingDirectories directories) {
        this.directories = directories;
    }

    /** @see RingDirectories#create(Path) */
    public void create(Path dir) throws IOException {
        BlockingRingFile.run(directories.loop(), directories.createOp(dir, true));
    }

    /** @see RingDirectories#delete(Path) */
    public void delete(Path path) throws IOException {
        BlockingRingFile.run(directories.loop(), directories.deleteOp(path, true));
    }

    /** @see RingDirectories#rename(Path, Path, boolean) */
    public void rename(Path from, Path to, boolean replace) throws IOException {
        BlockingRingFile.run(directories.loop(), directories.renameOp(from, to, replace, true));
    }

    /** @see RingDirectories#sync(Path) */
    public void sync(Path dir) throws IOException {
        BlockingRingFile.run(directories.loop(), directories.syncOp(dir, true));
    }

    /** @see RingDirectories#list(Path) */
    public List<String> list(Path dir) throws IOException {
        RingFile.checkNotNull(dir, "dir");
        if (directories.loop().backend().kind() != IoBackend.Kind.SIM) {
            return RingDirectories.listHost(dir);
        }
        var listed = directories.list(dir);
        if (directories.loop().isStepped() && directories.loop().inLoop()) {
            directories.loop().runUntil(listed::isDone);
        }
        try {
            return listed.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }
}
