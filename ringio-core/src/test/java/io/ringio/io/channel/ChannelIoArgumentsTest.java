package io.ringio.io.channel;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad arguments are refused at submission with a message that names them, and nothing is queued. */
class ChannelIoArgumentsTest extends ChannelIoTestCase {
    @Test
    void buffersMustBeNativeOpenAndWritableToReadInto() {
        int file = openNew("f");
        assertThatThrownBy(() -> io.read(1, file, MemorySegment.ofArray(new byte[8]), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buf=").hasMessageContaining("heap");
        MemorySegment closed;
        try (Arena scratch = Arena.ofConfined()) {
            closed = scratch.allocate(8);
        }
        assertThatThrownBy(() -> io.write(1, file, closed, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed arena");
        assertThatThrownBy(() -> io.read(1, file, arena.allocate(8).asReadOnly(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> io.read(1, file, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buf=null");
        // Writing from a read-only segment is fine.
        assertThat(io.write(1, file, utf8("ok").asReadOnly(), 0)).isTrue();
        assertThat(await(1)).isEqualTo(2);
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void offsetsAndLengthsMustNotBeNegative() {
        assertThatThrownBy(() -> io.read(1, 0, arena.allocate(8), -1)).hasMessageContaining("offset=-1");
        assertThatThrownBy(() -> io.truncate(1, 0, -5)).hasMessageContaining("length=-5");
        assertThatThrownBy(() -> io.allocate(1, 0, -1, 5, false)).hasMessageContaining("offset=-1");
        assertThatThrownBy(() -> io.allocate(1, 0, Long.MAX_VALUE, 5, false)).hasMessageContaining("overflows");
        assertThatThrownBy(() -> io.timeout(1, -1)).hasMessageContaining("nanos=-1");
        assertThatThrownBy(() -> io.park(-1, this::record)).hasMessageContaining("timeoutNanos=-1");
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void vectorsHoldOneToVectorMaxBuffers() {
        assertThatThrownBy(() -> io.readv(1, 0, null, 0)).hasMessageContaining("bufs=null");
        assertThatThrownBy(() -> io.readv(1, 0, new MemorySegment[0], 0)).hasMessageContaining("bufs.length=0");
        assertThatThrownBy(() -> io.writev(1, 0, new MemorySegment[Io.VECTOR_MAX + 1], 0))
                .hasMessageContaining("bufs.length=" + (Io.VECTOR_MAX + 1));
        assertThatThrownBy(() -> io.writev(1, 0, new MemorySegment[] {arena.allocate(1), null}, 0))
                .hasMessageContaining("bufs[1]=null");
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void pathsAreCheckedForNullEmptinessNulAndLength() {
        assertThatThrownBy(() -> io.open(1, null, OpenFlags.READ, 0)).hasMessageContaining("path=null");
        assertThatThrownBy(() -> io.unlink(1, "")).hasMessageContaining("path is empty");
        assertThatThrownBy(() -> io.rename(1, "a", "b\0c", false)).hasMessageContaining("to=").hasMessageContaining("NUL");
        // Two UTF-8 bytes a char: 1 + 4096 bytes.
        String tooLong = "/" + "é".repeat(Io.PATH_BYTES_MAX / 2 + 1);
        assertThatThrownBy(() -> io.stat(1, tooLong, new FileStat())).hasMessageContaining("PATH_BYTES_MAX");
        assertThatThrownBy(() -> io.mkdir(1, "a\uD800b", 0755)).hasMessageContaining("surrogate");
        // The longest path accepted reaches the file system, which finds a component too long.
        String longest = "/" + "x".repeat(Io.PATH_BYTES_MAX - 1);
        assertThat(io.stat(1, longest, new FileStat())).isTrue();
        assertThat(await(1)).isEqualTo(-Errno.ENAMETOOLONG);
    }

    @Test
    void flagsModesAndOutputsAreChecked() {
        assertThatThrownBy(() -> io.open(1, path("x"), 1 << 20, 0)).hasMessageContaining("flags=");
        assertThatThrownBy(() -> io.open(1, path("x"), OpenFlags.CREATE, 0)).hasMessageContaining("READ, WRITE");
        assertThatThrownBy(() -> io.open(1, path("x"), OpenFlags.READ, 010000)).hasMessageContaining("mode=010000");
        assertThatThrownBy(() -> io.mkdir(1, path("x"), -1)).hasMessageContaining("mode=");
        assertThatThrownBy(() -> io.stat(1, 0, null)).hasMessageContaining("out=null");
        assertThatThrownBy(() -> io.poll(null)).hasMessageContaining("handler=null");
        assertThatThrownBy(() -> io.cancel(5, 5)).hasMessageContaining("own tag");
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void aBufferWhoseArenaClosesBeforeTheOperationRunsIsEFAULT() {
        int file = openNew("f");
        Arena scratch = Arena.ofShared();
        io.read(1, file, scratch.allocate(8), 0);
        scratch.close();
        assertThat(await(1)).isEqualTo(-Errno.EFAULT);
    }
}
