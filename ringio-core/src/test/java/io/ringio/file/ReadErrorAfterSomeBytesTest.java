package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.DiskIOException;
import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static java.nio.file.StandardOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A RingFileChannel read that takes several operations (a heap buffer larger than a pooled one,
 * or several buffers) and meets an I/O error after some bytes ends short with them, as a pread
 * does; the next read meets the error. Here the disk fails every read from 1 MiB on.
 */
class ReadErrorAfterSomeBytesTest {
    private static final int FAIL_FROM = BufferPool.CLASS_MAX_BYTES;

    @TempDir
    Path dir;

    @Test
    void aChannelReadWhoseLaterPartFailsReturnsTheBytesBeforeIt() throws Exception {
        Path p = dir.resolve("bad-tail");
        byte[] data = new byte[2 * FAIL_FROM];
        new Random(5).nextBytes(data);
        Files.write(p, data);
        EventLoopOptions options = EventLoopOptions.defaults().withIo(
                IoOptions.defaults().withBackend(IoOptions.Choice.URING).withSingleIssuer(true));
        // Through the ring only: the page cache, which holds the whole file, would serve it all.
        System.setProperty(FileState.DISABLE_PROPERTY, "true");
        try (EventLoop loop = EventLoop.start(options, () -> new FailingRingReadsIo(Io.open(options.io()), FAIL_FROM));
             RingFileChannel channel = RingFileChannel.open(loop, p, READ)) {
            ByteBuffer heap = ByteBuffer.allocate(data.length);
            assertThat(channel.read(heap, 0)).as("a heap buffer of two pooled chunks").isEqualTo(FAIL_FROM);
            assertThat(heap.flip()).isEqualTo(ByteBuffer.wrap(data, 0, FAIL_FROM));

            ByteBuffer[] two = {ByteBuffer.allocateDirect(FAIL_FROM), ByteBuffer.allocateDirect(4096)};
            assertThat(channel.read(two)).as("two buffers, the second at the bad offset").isEqualTo(FAIL_FROM);
            assertThat(channel.position()).isEqualTo(FAIL_FROM);
            assertThat(two[0].flip()).isEqualTo(ByteBuffer.wrap(data, 0, FAIL_FROM));
            assertThat(two[1].position()).isZero();

            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10))).as("the next read")
                    .isInstanceOf(DiskIOException.class);
            assertThat(loop.buffers().stats().inUse()).isZero();
        } finally {
            System.clearProperty(FileState.DISABLE_PROPERTY);
        }
    }
}
