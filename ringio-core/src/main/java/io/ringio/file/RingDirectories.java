package io.ringio.file;

import io.ringio.io.ErrnoException;
import io.ringio.io.IoBackend;
import io.ringio.io.sim.SimIo;
import io.ringio.loop.EventLoop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Directory operations on one loop: create, delete, rename, list, and sync (fsync of the
 * directory itself, which makes the creation, removal and renaming of its entries durable; see
 * DESIGN.md). {@link #blocking()} has the twins that park the calling thread.
 */
public final class RingDirectories {
    /** Permission bits of a directory that {@link #create} makes (before the umask). */
    public static final int CREATE_MODE = 0755;

    private final EventLoop loop;
    private final BlockingDirectories blocking;

    private RingDirectories(EventLoop loop) {
        this.loop = loop;
        this.blocking = new BlockingDirectories(this);
    }

    /** Directory operations that run on {@code loop}. */
    public static RingDirectories on(EventLoop loop) {
        RingFile.checkNotNull(loop, "loop");
        return new RingDirectories(loop);
    }

    /** The blocking twins. */
    public BlockingDirectories blocking() {
        return blocking;
    }

    /** The loop the operations run on. */
    public EventLoop loop() {
        return loop;
    }

    /** Creates the directory {@code dir}; its parent must exist. Durable once the parent is synced. */
    public CompletableFuture<Void> create(Path dir) {
        FileOp<Void> op = createOp(dir, false);
        loop.submit(op);
        return op;
    }

    /** Removes a file, or an empty directory. Durable once the parent is synced. */
    public CompletableFuture<Void> delete(Path path) {
        FileOp<Void> op = deleteOp(path, false);
        loop.submit(op);
        return op;
    }

    /**
     * Renames {@code from} to {@code to}, atomically replacing {@code to} when {@code replace},
     * failing with {@link io.ringio.io.AlreadyExistsException} when not and it exists. Durable
     * once both parents are synced.
     */
    public CompletableFuture<Void> rename(Path from, Path to, boolean replace) {
        FileOp<Void> op = renameOp(from, to, replace, false);
        loop.submit(op);
        return op;
    }

    /** Opens the directory, fsyncs it and closes it: what it holds now is durable when this completes. */
    public CompletableFuture<Void> sync(Path dir) {
        FileOp<Void> op = syncOp(dir, false);
        loop.submit(op);
        return op;
    }

    /**
     * The names in {@code dir}, sorted. io_uring has no operation for reading a directory, so the
     * listing is {@code java.nio.file}'s, on a virtual thread; on the simulator it is the
     * simulator's own, on the loop.
     */
    public CompletableFuture<List<String>> list(Path dir) {
        RingFile.checkNotNull(dir, "dir");
        CompletableFuture<List<String>> listed = new CompletableFuture<>();
        if (loop.backend().kind() == IoBackend.Kind.SIM) {
            loop.execute(() -> {
                try {
                    listed.complete(((SimIo) loop.io()).list(dir.toString()));
                } catch (ErrnoException | RuntimeException e) {
                    listed.completeExceptionally(e);
                }
            });
        } else {
            Thread.ofVirtual().name("ringio-list").start(() -> {
                try {
                    listed.complete(listHost(dir));
                } catch (IOException | RuntimeException e) {
                    listed.completeExceptionally(e);
                }
            });
        }
        return listed;
    }

    static List<String> listHost(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new io.ringio.io.NoSuchFileException("list", dir.toString(), io.ringio.sys.Errno.ENOENT);
        } catch (java.nio.file.NotDirectoryException e) {
            throw new io.ringio.io.NotADirectoryException("list", dir.toString(), io.ringio.sys.Errno.ENOTDIR);
        }
        names.sort(null);
        return names;
    }

    FileOp<Void> createOp(Path dir, boolean blockingCall) {
        FileOp<Void> op = pathOp(FileOp.MKDIR, dir, "dir", blockingCall);
        op.mode = CREATE_MODE;
        return op;
    }

    FileOp<Void> deleteOp(Path path, boolean blockingCall) {
        return pathOp(FileOp.DELETE, path, "path", blockingCall);
    }

    FileOp<Void> renameOp(Path from, Path to, boolean replace, boolean blockingCall) {
        RingFile.checkNotNull(to, "to");
        FileOp<Void> op = pathOp(FileOp.RENAME, from, "from", blockingCall);
        op.path2 = to.toString();
        op.flags = replace ? 0 : 1;
        return op;
    }

    FileOp<Void> syncOp(Path dir, boolean blockingCall) {
        return pathOp(FileOp.SYNC_DIRECTORY, dir, "dir", blockingCall);
    }

    private FileOp<Void> pathOp(int code, Path path, String name, boolean blockingCall) {
        RingFile.checkNotNull(path, name);
        if (blockingCall) {
            loop.checkMayBlock();
        }
        FileOp<Void> op = new FileOp<>(code, null, blockingCall);
        op.path = path.toString();
        return op;
    }
}
