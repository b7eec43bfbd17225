package io.ringio.file;

import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad vectors for readv and writev throw IllegalArgumentException at the call, as RingFile's class comment says, and leave the file working. */
class RingFileVectorArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void badVectorsAreRefusedAtTheCall() throws Exception {
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults());
             RingFile file = RingFile.openBlocking(loop, dir.resolve("f"), CREATE, READ, WRITE);
             Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> file.readv(new MemorySegment[] {MemorySegment.ofArray(new byte[16])}, 0))
                    .as("heap memory").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> file.writev(new MemorySegment[0], 0))
                    .as("no buffers").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> file.readv(new MemorySegment[] {arena.allocate(8).asReadOnly()}, 0))
                    .as("a read into read-only memory").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> file.blocking().readv(new MemorySegment[] {MemorySegment.ofArray(new byte[16])}, 0))
                    .as("the blocking twin").isInstanceOf(IllegalArgumentException.class);
            assertThat(file.blocking().writev(new MemorySegment[] {arena.allocate(8)}, 0)).isEqualTo(8);
        }
    }
}
