package io.ringio.testkit.sim;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongPredicate;

/**
 * Blocking calls over an {@link Io}, for the simulator's tests: each submits one operation and
 * parks until its completion. Virtual time makes the wait instant; the bound on parks is there so
 * that a lost completion fails the test instead of hanging it.
 */
final class Blocking {
    private static final int PARKS_MAX = 100_000;
    private static final long PARK_NANOS = 1_000_000_000L;

    private final Io io;
    private final Arena arena;
    private long lastTag;
    private long awaited;
    private int result;
    private boolean done;

    Blocking(Io io, Arena arena) {
        this.io = io;
        this.arena = arena;
    }

    /** Submits with a fresh tag and returns the operation's result. */
    int exec(LongPredicate submission) {
        long tag = ++lastTag;
        if (!submission.test(tag)) {
            throw new AssertionError("submission refused: inFlight=" + io.inFlight() + " of " + io.capacity());
        }
        awaited = tag;
        done = false;
        for (int i = 0; i < PARKS_MAX && !done; i++) {
            io.park(PARK_NANOS, (t, r) -> {
                if (t == awaited) {
                    result = r;
                    done = true;
                }
            });
        }
        if (!done) {
            throw new AssertionError("tag " + tag + " never completed; inFlight=" + io.inFlight());
        }
        return result;
    }

    /** {@code result}, or an AssertionError naming the errno and what was being done. */
    static int ok(int result, String what) {
        if (result < 0) {
            throw new AssertionError(what + " failed: " + Errno.describe(-result));
        }
        return result;
    }

    int open(String path, int flags) {
        return ok(exec(t -> io.open(t, path, flags, 0644)), "open " + path);
    }

    void close(int file) {
        ok(exec(t -> io.close(t, file)), "close");
    }

    /** Writes all of {@code data} at {@code offset}, looping over short writes. */
    void writeFully(int file, byte[] data, long offset) {
        MemorySegment buf = segment(data);
        long done = 0;
        while (done < data.length) {
            MemorySegment rest = buf.asSlice(done);
            long at = offset + done;
            int n = ok(exec(t -> io.write(t, file, rest, at)), "write at " + at);
            if (n == 0) {
                throw new AssertionError("write at " + at + " made no progress");
            }
            done += n;
        }
    }

    /** Reads up to {@code length} bytes at {@code offset} in one operation; the result is the count or -errno. */
    int read(int file, MemorySegment into, long offset) {
        return exec(t -> io.read(t, file, into, offset));
    }

    /** All bytes of the file at {@code path}, or null when it does not exist. */
    byte[] contentOf(String path) {
        int file = exec(t -> io.open(t, path, OpenFlags.READ, 0));
        if (file == -Errno.ENOENT) {
            return null;
        }
        ok(file, "open " + path);
        FileStat stat = new FileStat();
        ok(exec(t -> io.stat(t, file, stat)), "stat " + path);
        byte[] content = new byte[(int) stat.size()];
        MemorySegment buf = arena.allocate(Math.max(1, content.length));
        int done = 0;
        while (done < content.length) {
            int n = ok(read(file, buf.asSlice(done, content.length - done), done), "read " + path);
            if (n == 0) {
                throw new AssertionError("read of " + path + " at " + done + " hit the end before size " + content.length);
            }
            done += n;
        }
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, content, 0, content.length);
        close(file);
        return content;
    }

    void sync(int file) {
        ok(exec(t -> io.sync(t, file, false)), "fsync");
    }

    /** Opens a directory, fsyncs it and closes it: its entries are durable. */
    void syncDirectory(String path) {
        int dir = open(path, OpenFlags.DIRECTORY);
        sync(dir);
        close(dir);
    }

    /** Creates {@code path} with {@code data}, fsyncs the file and its directory: durable in full. */
    void createDurably(String directory, String name, byte[] data) {
        int file = open(directory + "/" + name, OpenFlags.WRITE | OpenFlags.CREATE_NEW);
        writeFully(file, data, 0);
        sync(file);
        close(file);
        syncDirectory(directory);
    }

    boolean exists(String path) {
        int r = exec(t -> io.stat(t, path, new FileStat()));
        if (r == -Errno.ENOENT) {
            return false;
        }
        ok(r, "stat " + path);
        return true;
    }

    MemorySegment segment(byte[] data) {
        MemorySegment s = arena.allocate(Math.max(1, data.length)).asSlice(0, data.length);
        MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 0, data.length);
        return s;
    }

    static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        long x = seed * 0x9E37_79B9_7F4A_7C15L + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
        }
        return bytes;
    }
}
