package io.ringio.io;

/**
 * What {@link Io#stat} reports about a file, filled in by the backend before the operation's
 * completion is delivered. Mutable and reusable, so that asking allocates nothing; it belongs to
 * the operation until then.
 */
public final class FileStat {
    /** The kind of file. */
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    private long size;
    private int blockSize;
    private Type type = Type.OTHER;
    private long modifiedEpochNanos;

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** The file system's preferred I/O size for the file, in bytes. */
    public int blockSize() {
        return blockSize;
    }

    public Type type() {
        return type;
    }

    /** Last modification time, in nanoseconds since the epoch. */
    public long modifiedEpochNanos() {
        return modifiedEpochNanos;
    }

    /** Sets every field; for backends. */
    public void set(long size, int blockSize, Type type, long modifiedEpochNanos) {
        this.size = size;
        this.blockSize = blockSize;
        this.type = type;
        this.modifiedEpochNanos = modifiedEpochNanos;
    }

    @Override
    public String toString() {
        return "FileStat[size=" + size + ", blockSize=" + blockSize + ", type=" + type + ", modified="
                + modifiedEpochNanos + "ns]";
    }
}
