package io.ringio.bench.engine;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;

/** FileChannel.read(buffer, position) on platform threads (or virtual ones), one read at a time each. */
public final class FileChannelEngine implements Engine {
    private final boolean virtual;

    public FileChannelEngine(boolean virtual) {
        this.virtual = virtual;
    }

    @Override
    public String name() {
        return virtual ? "FileChannel, virtual threads" : "FileChannel, platform threads";
    }

    @Override
    public BenchResult run(BenchSpec spec) throws Exception {
        OpenOption[] options = spec.direct()
                ? new OpenOption[] {StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT}
                : new OpenOption[] {StandardOpenOption.READ};
        try (FileChannel channel = FileChannel.open(spec.file(), options)) {
            return Measured.onThreads(name(), spec, virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory(),
                    id -> {
                        ByteBuffer buf = ByteBuffer.allocateDirect(spec.blockBytes() + 4096).alignedSlice(4096)
                                .limit(spec.blockBytes());
                        return position -> {
                            buf.clear();
                            while (buf.hasRemaining()) {
                                if (channel.read(buf, position + buf.position()) < 0) {
                                    throw new IllegalStateException("end of file at " + position);
                                }
                            }
                        };
                    });
        }
    }
}
