package io.ringio.io.channel;

import io.ringio.io.FileStat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file opened by a {@link ChannelIo}: what its handle names. Like a kernel file, it is
 * reference counted: the handle table holds one reference and every operation in flight on it
 * another, and its channels close when the last one goes. So {@code close(handle)} makes the
 * handle invalid at once, while operations submitted before it still finish on the open file, as
 * they would with io_uring.
 *
 * <h2>Channels</h2>
 * Usually one channel does everything. The JDK cannot open some flag sets that Linux can, so a
 * file may have up to three, each on the same path:
 * <ul>
 *   <li>{@link #reader}: reads; null when not opened for reading.</li>
 *   <li>{@link #writer}: writes; null when not opened for writing. With READ and APPEND it is a
 *       separate write-only channel in append mode, because FileChannel refuses READ + APPEND.</li>
 *   <li>{@link #sizer}: grows the file for truncate and allocate by writing one zero byte at the
 *       new end, which an O_DIRECT channel refuses (unaligned) and an APPEND channel would put in
 *       the wrong place. A plain write-only channel then; otherwise the writer.</li>
 * </ul>
 *
 * <p>The channels are set by the worker that opens the file, before the open completes; every
 * later use is ordered after that by the {@code ChannelIo} lock, so they need not be volatile.
 */
final class ChannelFile {
    final int handle;
    /** The table's reference and one per operation in flight on this file. */
    private final AtomicInteger refs = new AtomicInteger(1);
    /** Absolute; follows renames made through the same ChannelIo. */
    private volatile Path path;

    FileChannel reader;
    FileChannel writer;
    FileChannel sizer;
    FileStat.Type type = FileStat.Type.OTHER;
    int blockSize;
    /** Which file {@link #path} named when it was opened (device and inode), or null if unknown. */
    Object key;
    /** The modification time last read while {@link #path} still named this file. */
    volatile long mtimeNanos;

    ChannelFile(int handle, Path path) {
        this.handle = handle;
        this.path = path;
    }

    Path path() {
        return path;
    }

    void path(Path renamed) {
        path = renamed;
    }

    /** Whether the open has succeeded (the channels are set). */
    boolean isOpen() {
        return reader != null || writer != null;
    }

    /** A channel for what any open file can do: size, force, close. */
    FileChannel anyChannel() {
        return reader != null ? reader : writer;
    }

    void retain() {
        int before = refs.getAndIncrement();
        assert before > 0 : "retain of a released file, handle=" + handle;
    }

    /**
     * Drops a reference; true when it was the last, and the caller must {@link #closeChannels()}.
     * A caller that may close them at once, on its own thread, calls {@link #releaseAndCloseIfLast()}.
     */
    boolean release() {
        int after = refs.decrementAndGet();
        assert after >= 0 : "release below zero, handle=" + handle;
        return after == 0;
    }

    /**
     * Drops a reference and, when it was the last, closes the channels on the calling thread;
     * returns 0, or the negative errno of the first channel that failed to close.
     */
    int releaseAndCloseIfLast() {
        return release() ? closeChannels() : 0;
    }

    /** Closes every channel; returns 0, or the negative errno of the first that failed. */
    int closeChannels() {
        int result = 0;
        FileChannel[] channels = {reader, writer, sizer};
        for (int i = 0; i < channels.length; i++) {
            FileChannel channel = channels[i];
            if (channel == null || contains(channels, i, channel)) {
                continue;
            }
            try {
                channel.close();
            } catch (IOException e) {
                if (result == 0) {
                    result = -ChannelErrno.of(e);
                }
            }
        }
        return result;
    }

    /** Whether {@code channel} is among the first {@code count} of {@code channels} (closed already). */
    private static boolean contains(FileChannel[] channels, int count, FileChannel channel) {
        for (int i = 0; i < count; i++) {
            if (channels[i] == channel) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ChannelFile[handle=" + handle + ", path=" + path + "]";
    }
}
