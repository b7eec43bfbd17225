package io.ringio.ring;

import io.ringio.sys.Errno;
import io.ringio.sys.Fcntl;
import io.ringio.sys.IoUring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static io.ringio.ring.RingFixture.cPath;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registered (fixed) buffers and files. */
class RingRegistrationTest extends RingTestCase {
    @TempDir
    Path dir;

    private int fd;

    @BeforeEach
    void openFile() {
        ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, dir.resolve("f")), Fcntl.O_RDWR | Fcntl.O_CREAT, 0644, 1);
        fd = awaitCompletions(ring, 1).get(1L);
        assertThat(fd).isGreaterThanOrEqualTo(0);
    }

    @AfterEach
    void closeFile() {
        RingFixture.closeAll(fd);
    }

    @Test
    void fixedBuffersWriteAndReadBackThroughSlicesOfTheRegion() {
        MemorySegment region = arena.allocate(64 * 1024, 4096);
        assertThat(ring.registerBuffers(region)).isZero();
        assertThat(ring.registeredBuffers()).isEqualTo(1);
        MemorySegment out = region.asSlice(4096, 4096);
        out.fill((byte) 0x5A);
        ring.prepWriteFixed(fd, out, 0, 0, 2);
        assertThat(awaitCompletions(ring, 1).get(2L)).isEqualTo(4096);
        MemorySegment in = region.asSlice(8192, 4096);
        ring.prepReadFixed(fd, in, 0, 0, 3);
        assertThat(awaitCompletions(ring, 1).get(3L)).isEqualTo(4096);
        assertThat(in.mismatch(out)).isEqualTo(-1);
        assertThat(ring.unregisterBuffers()).isZero();
        assertThat(ring.registeredBuffers()).isZero();
    }

    @Test
    void fixedBufferIndexOutsideTheRegisteredSetIsRejected() {
        MemorySegment a = arena.allocate(4096, 4096);
        MemorySegment b = arena.allocate(4096, 4096);
        assertThat(ring.registerBuffers(a, b)).isZero();
        assertThatThrownBy(() -> ring.prepReadFixed(fd, a, 0, 2, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufIndex=2");
        assertThatThrownBy(() -> ring.prepReadFixed(fd, a, 0, -1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufIndex=-1");
        // Memory outside the region named by the index is refused too: the kernel would fault.
        assertThatThrownBy(() -> ring.prepReadFixed(fd, b, 0, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufIndex=0");
        assertThatThrownBy(() -> ring.registerBuffers(a))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
        assertThat(ring.inFlight()).isZero();
    }

    @Test
    void aRegisteredBufferFreedWhileRegisteredIsRefusedNotSilentlyUsed() {
        // The kernel pins the registered pages; new memory at the same address would not be the
        // memory it reads or writes, so a fixed operation on it must be refused.
        Arena region = Arena.ofConfined();
        MemorySegment registered = region.allocate(64 * 1024, 4096);
        assertThat(ring.registerBuffers(registered)).isZero();
        region.close();
        assertThatThrownBy(() -> ring.prepReadFixed(fd, registered.asSlice(0, 4096), 0, 0, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.inFlight()).isZero();
        assertThat(ring.unregisterBuffers()).isZero();
    }

    @Test
    void heapAndEmptyBuffersCannotBeRegistered() {
        assertThatThrownBy(() -> ring.registerBuffers(MemorySegment.ofArray(new byte[4096])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
        assertThatThrownBy(() -> ring.registerBuffers())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffers.length=0");
    }

    @Test
    void sparseFixedFileTableTakesUpdatesAndServesReadsAndWrites() {
        assertThat(ring.registerFilesSparse(8)).isZero();
        assertThat(ring.registeredFiles()).isEqualTo(8);
        assertThat(ring.updateFiles(3, fd)).isEqualTo(1);

        MemorySegment out = arena.allocateFrom("fixed file");
        int w = ring.prepWrite(3, out, 0, 2);
        ring.addFlags(w, IoUring.IOSQE_FIXED_FILE);
        assertThat(awaitCompletions(ring, 1).get(2L)).isEqualTo((int) out.byteSize());

        MemorySegment in = arena.allocate(out.byteSize());
        int r = ring.prepRead(3, in, 0, 3);
        ring.addFlags(r, IoUring.IOSQE_FIXED_FILE);
        assertThat(awaitCompletions(ring, 1).get(3L)).isEqualTo((int) out.byteSize());
        assertThat(in.getString(0)).isEqualTo("fixed file");

        // An empty slot is EBADF, not a crash.
        int empty = ring.prepRead(4, in, 0, 4);
        ring.addFlags(empty, IoUring.IOSQE_FIXED_FILE);
        assertThat(awaitCompletions(ring, 1).get(4L)).isEqualTo(-Errno.EBADF);

        assertThat(ring.updateFiles(3, -1)).isEqualTo(1);
        assertThat(ring.unregisterFiles()).isZero();
        assertThat(ring.registeredFiles()).isZero();
    }

    @Test
    void fixedFileIndexOutsideTheTableIsRejected() {
        assertThat(ring.registerFilesSparse(2)).isZero();
        int sqe = ring.prepRead(2, arena.allocate(8), 0, 2);
        assertThatThrownBy(() -> ring.addFlags(sqe, IoUring.IOSQE_FIXED_FILE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index=2");
        assertThatThrownBy(() -> ring.updateFiles(1, fd, fd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=1");
        // Complete the prepared read on the plain fd 2 (stderr, write-only: EBADF) so nothing dangles.
        awaitCompletions(ring, 1);
    }

    @Test
    void fixedBuffersStillWorkAfterTheBufferTableIsReplaced() {
        MemorySegment first = arena.allocate(4096, 4096);
        assertThat(ring.registerBuffers(first)).isZero();
        assertThat(ring.unregisterBuffers()).isZero();
        MemorySegment second = arena.allocate(8192, 4096);
        assertThat(ring.registerBuffers(second)).isZero();
        second.asSlice(0, 4096).fill((byte) 1);
        ring.prepWriteFixed(fd, second.asSlice(0, 4096), 0, 0, 2);
        assertThat(awaitCompletions(ring, 1).get(2L)).isEqualTo(4096);
        assertThat(second.get(JAVA_BYTE, 0)).isEqualTo((byte) 1);
    }
}
