package io.ringio.io.channel;

import io.ringio.io.FileStat;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * O_DIRECT through ExtendedOpenOption.DIRECT. The JDK checks alignment against the file store's
 * block size before the kernel sees the transfer; whatever it refuses completes with EINVAL.
 */
class ChannelIoDirectTest extends ChannelIoTestCase {
    private int file;
    private int blockSize;

    @BeforeEach
    void openDirect() throws IOException {
        Files.write(dir.resolve("direct"), new byte[3 * 4096 + 100]);
        long tag = tag();
        io.open(tag, path("direct"), OpenFlags.READ_WRITE | OpenFlags.DIRECT, 0);
        file = await(tag);
        // tmpfs before Linux 6.6 and some overlay set-ups refuse O_DIRECT with EINVAL.
        assumeTrue(file != -Errno.EINVAL, "the temporary directory's file system does not support O_DIRECT");
        assertThat(file).isNotNegative();
        FileStat stat = new FileStat();
        tag = tag();
        io.stat(tag, file, stat);
        assertThat(await(tag)).isZero();
        blockSize = stat.blockSize();
        assertThat(blockSize).isPositive();
    }

    @Test
    void anAlignedReadSucceedsAndIsShortAtTheEnd() {
        MemorySegment buf = arena.allocate(2L * blockSize, blockSize);
        assertThat(read(file, buf, 0)).isEqualTo(2 * blockSize);
        long size = 3L * 4096 + 100;
        long lastBlock = (size / blockSize) * blockSize;
        assertThat(read(file, buf, lastBlock)).isEqualTo((int) (size - lastBlock));
        assertThat(read(file, buf, 16L * blockSize)).isZero();
    }

    @Test
    void anUnalignedReadCompletesWithEINVAL() {
        MemorySegment aligned = arena.allocate(2L * blockSize, blockSize);
        assertThat(read(file, aligned.asSlice(1, blockSize), 0)).as("address").isEqualTo(-Errno.EINVAL);
        assertThat(read(file, aligned.asSlice(0, 100), 0)).as("length").isEqualTo(-Errno.EINVAL);
        assertThat(read(file, aligned.asSlice(0, blockSize), 100)).as("offset").isEqualTo(-Errno.EINVAL);
    }

    @Test
    void anUnalignedWriteCompletesWithEINVALAndGrowingStillWorks() throws IOException {
        MemorySegment aligned = arena.allocate(2L * blockSize, blockSize);
        long tag = tag();
        io.write(tag, file, aligned.asSlice(0, 10), 0);
        assertThat(await(tag)).isEqualTo(-Errno.EINVAL);
        tag = tag();
        io.write(tag, file, aligned.asSlice(0, blockSize), 0);
        assertThat(await(tag)).isEqualTo(blockSize);
        // Growing the size writes one byte, which an O_DIRECT channel would refuse.
        tag = tag();
        io.truncate(tag, file, 10L * blockSize + 1);
        assertThat(await(tag)).isZero();
        assertThat(Files.size(dir.resolve("direct"))).isEqualTo(10L * blockSize + 1);
    }
}
