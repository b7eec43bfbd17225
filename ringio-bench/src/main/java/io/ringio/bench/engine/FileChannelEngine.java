package io.ringio.bench.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ThreadFactory;

/**
 * FileChannel's positional read and write, one operation at a time per thread: on one platform
 * thread, on the spec's threads as platform threads, or as virtual threads.
 */
public final class FileChannelEngine implements Engine {
    /** Which threads. */
    public enum Threads {
        ONE("filechannel"), PLATFORM("filechannel-threads"), VIRTUAL("filechannel-virtual");

        private final String id;

        Threads(String id) {
            this.id = id;
        }
    }

    private final Threads threads;

    public FileChannelEngine(Threads threads) {
        this.threads = threads;
    }

    @Override
    public String id() {
        return threads.id;
    }

    @Override
    public String title(BenchSpec spec) {
        return switch (threads) {
            case ONE -> "FileChannel, 1 thread";
            case PLATFORM -> "FileChannel, " + spec.threads() + (spec.threads() == 1 ? " platform thread" : " platform threads");
            case VIRTUAL -> "FileChannel, " + spec.threads() + (spec.threads() == 1 ? " virtual thread" : " virtual threads");
        };
    }

    @Override
    public int threads(BenchSpec spec) {
        return threads == Threads.ONE ? 1 : spec.threads();
    }

    @Override
    public int depth(BenchSpec spec) {
        return threads(spec);
    }

    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws Exception {
        boolean write = spec.kind().write();
        boolean sync = spec.kind().syncEach();
        ThreadFactory factory = threads == Threads.VIRTUAL ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory();
        try (FileChannel channel = FileChannel.open(spec.path(), OpenFlags.of(spec))) {
            return Measured.onThreads(spec, window, nanos, threads(spec), factory, id -> {
                ByteBuffer buffer = Measured.alignedBuffer(spec.blockBytes());
                if (write) {
                    Measured.fillForWrites(MemorySegment.ofBuffer(buffer), id);
                }
                return position -> {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        int n = write ? channel.write(buffer, position + buffer.position())
                                : channel.read(buffer, position + buffer.position());
                        if (n < 0) {
                            throw new IllegalStateException("end of file at " + position);
                        }
                    }
                    if (sync) {
                        channel.force(false);
                    }
                };
            });
        }
    }
}
