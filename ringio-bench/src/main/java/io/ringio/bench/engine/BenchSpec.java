package io.ringio.bench.engine;

import java.nio.file.Path;

/**
 * One measurement: random reads of {@code blockBytes} from a file of {@code fileBytes}, with
 * {@code depth} reads in flight (futures on one loop) or {@code depth} threads (the blocking
 * engines), for {@code durationNanos}.
 *
 * @param direct bypass the page cache (O_DIRECT); otherwise the file is read once first, so that
 *               it is hot in the page cache
 */
public record BenchSpec(Path file, long fileBytes, int blockBytes, int depth, boolean direct, long durationNanos) {
    public BenchSpec {
        if (blockBytes <= 0 || blockBytes % 512 != 0) {
            throw new IllegalArgumentException("blockBytes=" + blockBytes + " must be a positive multiple of 512");
        }
        if (fileBytes < blockBytes) {
            throw new IllegalArgumentException("fileBytes=" + fileBytes + " must hold at least one block of " + blockBytes);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("depth=" + depth + " must be >= 1");
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("durationNanos=" + durationNanos + " must be > 0");
        }
    }

    /** Blocks in the file. */
    long blocks() {
        return fileBytes / blockBytes;
    }

    public BenchSpec withDuration(long nanos) {
        return new BenchSpec(file, fileBytes, blockBytes, depth, direct, nanos);
    }
}
