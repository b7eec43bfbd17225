package io.ringio.bench.machine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class PageCacheTest {
    private static final int FILE_BYTES = 8 << 20;
    /** File systems whose pages cannot leave memory, so evict has nothing to drop. */
    private static final Set<String> MEMORY_ONLY = Set.of("tmpfs", "ramfs", "hugetlbfs");

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        assumeFalse(MEMORY_ONLY.contains(Files.getFileStore(dir).type()), "the temporary directory is on a disk");
        file = dir.resolve("bench.dat");
        byte[] bytes = new byte[FILE_BYTES];
        new Random(42).nextBytes(bytes);
        Files.write(file, bytes);
    }

    @Test
    void warmBringsAnEvictedFileBackIntoThePageCache() throws IOException {
        PageCache.evict(file);
        assertThat(PageCache.residentFraction(file)).isLessThan(0.05);

        PageCache.warm(file);

        assertThat(PageCache.residentFraction(file)).isGreaterThan(0.99);
    }

    @Test
    void evictDropsPagesThatAreStillDirty() throws IOException {
        // Just written: every page is in the cache and not yet on disk, so evict must sync first.
        assertThat(PageCache.residentFraction(file)).isGreaterThan(0.99);

        PageCache.evict(file);

        assertThat(PageCache.residentFraction(file)).isLessThan(0.05);
    }

    @Test
    void evictDropsPagesThatWarmLoaded() throws IOException {
        PageCache.evict(file);
        PageCache.warm(file);
        assertThat(PageCache.residentFraction(file)).isGreaterThan(0.99);

        PageCache.evict(file);

        assertThat(PageCache.residentFraction(file)).isLessThan(0.05);
    }

    @Test
    void aPartialLastPageCountsAsAPage() throws IOException {
        Path odd = dir.resolve("odd.dat");
        Files.write(odd, new byte[Libc.pageSize() * 3 + 100]);
        PageCache.evict(odd);

        PageCache.warm(odd);

        // Four pages, all resident: exactly 1.0, not 4/3 nor 3/4.
        assertThat(PageCache.residentFraction(odd)).isEqualTo(1.0);
    }

    @Test
    void windowsSmallerThanTheFileCountEveryPageOnce() throws IOException {
        PageCache.evict(file);
        // Every other MiB rewritten: whole pages written go into the cache without a read, and
        // so without readahead, which would bring in more than was asked for.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long chunk = 0; chunk < FILE_BYTES / (1 << 20); chunk += 2) {
                ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, chunk * (1 << 20) + buffer.position());
                }
            }
        }

        // 192 pages of 4 KiB: the windows straddle the rewritten chunks.
        double manyWindows = PageCache.residentFraction(file, 192L * Libc.pageSize());

        assertThat(manyWindows).isEqualTo(0.5);
        assertThat(PageCache.residentFraction(file)).isEqualTo(0.5);
    }

    @Test
    void anEmptyFileIsWhollyResident() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.dat"));

        PageCache.warm(empty);
        PageCache.evict(empty);

        assertThat(PageCache.residentFraction(empty)).isEqualTo(1.0);
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        Path missing = dir.resolve("missing.dat");

        assertThatThrownBy(() -> PageCache.residentFraction(missing))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> PageCache.evict(missing)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> PageCache.warm(missing)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDirectoryCannotBeMappedAndSaysWhy() {
        assertThatThrownBy(() -> PageCache.residentFraction(dir))
                .isInstanceOf(IOException.class).hasMessageContaining(dir.toString()).hasMessageContaining("mmap failed");
    }
}
