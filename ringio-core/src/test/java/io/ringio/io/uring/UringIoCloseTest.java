package io.ringio.io.uring;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.io.channel.ChannelIo;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closes of handles on io_uring against the {@code Io} contract, with the other backends beside
 * it where they show what the contract means: operations linked ahead of a close finish on the
 * open file; a close that is cancelled does not leak its fd; a close refused before the kernel
 * saw it leaves the handle open; closing the {@code Io} closes what opens it took, delivered or
 * not.
 */
class UringIoCloseTest {
    @TempDir
    Path dir;

    /** Linked ahead of the close: unlinked operations have no order on io_uring (see Io.close). */
    @Test
    void aLinkedWriteSyncCloseFinishesOnTheOpenFile() {
        writeSyncClose(UringIo.open(IoOptions.defaults().withCapacity(16), "t"), "u2", true);
    }

    @Test
    void theSameWithoutRegisteredFiles() {
        writeSyncClose(UringIo.open(IoOptions.defaults().withCapacity(16).withRegisteredFiles(false), "t"), "u3", true);
    }

    @Test
    void theSameOnTheOtherBackends() {
        writeSyncClose(ChannelIo.open(16, 2, "t"), "c", true);
        SimIo sim = SimIo.open(SimOptions.seed(7).withCapacity(16));
        sim.createDurableDirectories(dir.toString());
        writeSyncClose(sim, "s", true);
    }

    private void writeSyncClose(Io io, String name, boolean linked) {
        String path = dir.resolve(name).toString();
        try (io; Arena arena = Arena.ofConfined()) {
            assertThat(io.open(1, path, OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
            int fd = await(io, 1).get(1L);
            MemorySegment buf = arena.allocate(4096, 4096);
            buf.fill((byte) 'x');
            if (linked) {
                assertThat(io.linkNext()).isTrue();
            }
            assertThat(io.write(2, fd, buf, 0)).isTrue();
            if (linked) {
                assertThat(io.linkNext()).isTrue();
            }
            assertThat(io.sync(3, fd, true)).isTrue();
            assertThat(io.close(4, fd)).isTrue();
            assertThat(await(io, 3)).as("write=2, sync=3, close=4 on %s", io.backend().kind())
                    .containsEntry(2L, 4096).containsEntry(3L, 0).containsEntry(4L, 0);
        }
    }

    @Test
    void aCancelledCloseLeavesNoFdOpen() throws IOException {
        cancelledClose(UringIo.open(IoOptions.defaults().withCapacity(16), "t"), dir.resolve("u"));
        cancelledClose(ChannelIo.open(16, 2, "t"), dir.resolve("c"));
    }

    private void cancelledClose(Io io, Path file) throws IOException {
        try (io; Arena arena = Arena.ofConfined()) {
            assertThat(io.open(1, file.toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
            int fd = await(io, 1).get(1L);
            assertThat(fdsNaming(file)).isEqualTo(1);
            MemorySegment buf = arena.allocate(16);
            assertThat(io.linkNext()).isTrue();
            assertThat(io.write(2, 1_000_000, buf, 0)).isTrue(); // fails with EBADF
            assertThat(io.close(3, fd)).isTrue(); // and this, linked behind it, is cancelled
            Map<Long, Integer> got = await(io, 2);
            assertThat(got.get(2L)).isEqualTo(-Errno.EBADF);
            assertThat(got.get(3L)).isEqualTo(-Errno.ECANCELED);
            assertThat(io.close(4, fd)).isTrue(); // the handle is gone from the submission on
            assertThat(await(io, 1).get(4L)).isEqualTo(-Errno.EBADF);
        }
        assertThat(fdsNaming(file)).as("fds still open on %s after the Io closed", file).isZero();
    }

    /**
     * A close refused at submission (here: called from a thread that does not own the
     * SINGLE_ISSUER ring) never reached the kernel: like any refused operation it leaves nothing
     * behind, so the handle, its fd and its registered entry stay open, and a later close from
     * the owner closes them.
     */
    @Test
    void aCloseRefusedBeforeTheKernelSawItLeavesTheHandleOpen() throws Exception {
        Path file = dir.resolve("refused");
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(16).withSingleIssuer(true), "t");
             Arena arena = Arena.ofConfined()) {
            assertThat(io.open(1, file.toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
            int fd = await(io, 1).get(1L);
            assertThat(io.registeredFiles()).isEqualTo(1);
            Throwable[] refused = {null};
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    io.close(2, fd);
                } catch (Throwable e) {
                    refused[0] = e;
                }
            });
            other.join();
            assertThat(refused[0]).isInstanceOf(IllegalStateException.class);
            assertThat(io.inFlight()).isZero();
            assertThat(io.registeredFiles()).isEqualTo(1);
            MemorySegment buf = arena.allocate(16);
            assertThat(io.write(3, fd, buf, 0)).isTrue();
            assertThat(await(io, 1).get(3L)).as("a write on the handle after the refused close").isEqualTo(16);
            assertThat(io.close(4, fd)).isTrue();
            assertThat(await(io, 1).get(4L)).as("the close from the owner").isEqualTo(0);
            assertThat(io.registeredFiles()).isZero();
            assertThat(fdsNaming(file)).isZero();
        }
    }

    @Test
    void closingTheIoClosesWhatOpensInFlightOpened() throws IOException {
        Path file = dir.resolve("inflight");
        UringIo io = openEight(file);
        io.close();
        assertThat(fdsNaming(file)).isZero();
    }

    @Test
    void closingTheIoClosesWhatOpensCompletedButNotDeliveredOpened() throws Exception {
        Path file = dir.resolve("undelivered");
        UringIo io = openEight(file);
        io.ring().submit(); // the kernel opens them; nobody polls
        Thread.sleep(50);
        io.close();
        assertThat(fdsNaming(file)).isZero();
    }

    /** A new io_uring Io with eight opens of {@code file} submitted, none delivered. */
    private static UringIo openEight(Path file) {
        UringIo io = UringIo.open(IoOptions.defaults().withCapacity(16), "t");
        for (int i = 0; i < 8; i++) {
            assertThat(io.open(i, file.toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
        }
        return io;
    }

    private static Map<Long, Integer> await(Io io, int n) {
        Map<Long, Integer> got = new HashMap<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.size() < n && System.nanoTime() < deadline) {
            io.park(10_000_000L, got::put);
        }
        assertThat(got).hasSize(n);
        return got;
    }

    private static long fdsNaming(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
