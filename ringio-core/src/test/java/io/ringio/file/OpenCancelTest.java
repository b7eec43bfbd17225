package io.ringio.file;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.file.StandardOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;

/** An open whose future the caller cancelled (or timed out) closes the file it opened, which nobody else could. */
class OpenCancelTest {
    @TempDir
    Path dir;

    /** Open descriptors of this process that name {@code file}. */
    private static long fdsOn(Path file) throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file.toRealPath());
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void anOpenWhoseFutureWasCancelledDoesNotLeaveItsFileOpen() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[] {1, 2, 3});
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults()
                .withBackend(IoOptions.Choice.URING).withCapacity(64).withSingleIssuer(true)))) {
            List<CompletableFuture<RingFile>> opens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<RingFile> open = RingFile.open(loop, f, READ);
                // What a caller with a deadline does: give up on the open (cancel, or orTimeout).
                open.cancel(false);
                opens.add(open);
            }
            // Let the loop finish whatever it had taken.
            RingFile probe = RingFile.open(loop, f, READ).get(10, TimeUnit.SECONDS);
            probe.close();
            Thread.sleep(100);
            // An open the loop finished before its cancel arrived gave the caller a file, which
            // the caller closes; the cancelled ones are the loop's to close.
            for (CompletableFuture<RingFile> open : opens) {
                if (!open.isCancelled()) {
                    open.join().close();
                }
            }
            assertThat(fdsOn(f)).as("descriptors left open on " + f + " by opens nobody can close").isZero();
        }
    }

    /**
     * The same without the race: on a stepped loop nothing completes until the test runs it, so
     * every open is cancelled while its operation is in the ring.
     */
    @Test
    void anOpenCancelledWhileInTheRingDoesNotLeaveItsFileOpen() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[] {1, 2, 3});
        try (EventLoop loop = EventLoop.stepped(Io.open(IoOptions.defaults().withBackend(IoOptions.Choice.URING)
                .withCapacity(64)))) {
            List<CompletableFuture<RingFile>> opens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<RingFile> open = RingFile.open(loop, f, READ);
                open.cancel(false);
                opens.add(open);
            }
            loop.runUntilIdle();
            assertThat(opens).allMatch(CompletableFuture::isCancelled);
            assertThat(fdsOn(f)).as("descriptors left open on " + f + " by opens nobody can close").isZero();
        }
    }
}
