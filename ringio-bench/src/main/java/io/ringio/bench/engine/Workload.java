package io.ringio.bench.engine;

import java.util.Arrays;
import java.util.List;

/**
 * What the operations of a measurement are: the access pattern, reads or writes, whether each
 * write is followed by fdatasync, and the defaults for block size, depth and caching. The
 * command line may override the block size, depth, threads and caching of any of them.
 */
public enum Workload {
    RANDREAD_QD1("randread-qd1", "4 KiB random reads, O_DIRECT, 1 in flight", false, false, false, 4096, 1, true),
    RANDREAD_QD32("randread-qd32", "4 KiB random reads, O_DIRECT, 32 in flight", false, false, false, 4096, 32, true),
    RANDREAD_HOT("randread-hot", "4 KiB random reads of a file in page cache, one at a time", false, false, false,
            4096, 1, false),
    SEQREAD("seqread", "128 KiB sequential reads, O_DIRECT, 4 in flight", true, false, false, 128 << 10, 4, true),
    SEQWRITE("seqwrite", "128 KiB sequential writes, O_DIRECT, 4 in flight", true, true, false, 128 << 10, 4, true),
    RANDWRITE_SYNC("randwrite-sync", "4 KiB random writes, each followed by fdatasync", false, true, true, 4096, 1,
            false);

    private final String id;
    private final String title;
    private final boolean sequential;
    private final boolean write;
    private final boolean syncEach;
    private final int blockBytes;
    private final int depth;
    private final boolean direct;

    Workload(String id, String title, boolean sequential, boolean write, boolean syncEach, int blockBytes, int depth,
             boolean direct) {
        this.id = id;
        this.title = title;
        this.sequential = sequential;
        this.write = write;
        this.syncEach = syncEach;
        this.blockBytes = blockBytes;
        this.depth = depth;
        this.direct = direct;
    }

    /** The name on the command line and in the table. */
    public String id() {
        return id;
    }

    /** What it does, with its default parameters, in words. */
    public String title() {
        return title;
    }

    /** Each operation at the block after the previous one's (shared by all threads), wrapping at the end. */
    public boolean sequential() {
        return sequential;
    }

    public boolean write() {
        return write;
    }

    /** Each write is followed by fdatasync, and the operation counts both. */
    public boolean syncEach() {
        return syncEach;
    }

    public int defaultBlockBytes() {
        return blockBytes;
    }

    /** Operations in flight, and threads for the thread-per-operation engines. */
    public int defaultDepth() {
        return depth;
    }

    public boolean defaultDirect() {
        return direct;
    }

    /** The workload named {@code id}. */
    public static Workload of(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a workload; the workloads are " + ids());
    }

    /** All the ids, comma separated. */
    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Workload::id).toList());
    }

    /** The workloads in the order they run. */
    public static List<Workload> all() {
        return List.of(values());
    }
}
