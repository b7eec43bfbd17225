package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.IoOptions;
import io.ringio.io.TimedOutException;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimLatency;
import io.ringio.io.sim.SimOperation;
import io.ringio.io.sim.SimOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.loop.LoopClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations of several steps (a readFully or writeFully of heap memory larger than the largest
 * pooled buffer, which goes a pooled buffer at a time) against a close of their file, their
 * timeout and the loop's close, which may each come between two steps.
 */
class MultiStepOperationsTest {
    /** Three full pooled buffers and a little more: four steps. */
    private static final int LARGE = 3 * BufferPool.CLASS_MAX_BYTES + 123;

    @TempDir
    Path dir;

    private static EventLoop uringLoop() {
        return EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults()
                .withBackend(IoOptions.Choice.URING).withCapacity(256).withSingleIssuer(true)));
    }

    @Test
    void aCloseWaitsForTheLastStepOfAReadFully() throws Exception {
        byte[] data = new byte[LARGE];
        new Random(1).nextBytes(data);
        Files.write(dir.resolve("f"), data);
        try (EventLoop loop = uringLoop()) {
            RingFile file = RingFile.open(loop, dir.resolve("f"), READ).join();
            byte[] dst = new byte[LARGE];
            CompletableFuture<Void> read = file.readFully(dst, 0, LARGE, 0);
            CompletableFuture<Void> closed = file.closeAsync();
            closed.join();
            assertThat(read).as("done before the close").isDone();
            read.join();
            assertThat(dst).isEqualTo(data);
        }
    }

    @Test
    void aCloseWaitsForTheLastStepOfAWriteFully() throws Exception {
        byte[] data = new byte[LARGE];
        new Random(2).nextBytes(data);
        try (EventLoop loop = uringLoop()) {
            RingFile file = RingFile.open(loop, dir.resolve("g"), READ, WRITE, CREATE).join();
            CompletableFuture<Void> write = file.writeFully(data, 0, LARGE, 0);
            CompletableFuture<Void> closed = file.closeAsync();
            closed.join();
            assertThat(write).as("done before the close").isDone();
            write.join();
            assertThat(Files.readAllBytes(dir.resolve("g"))).isEqualTo(data);
        }
    }

    /**
     * Every read takes 1 µs of virtual time and every step's deadline is 999 ns: the cancel of a
     * step either takes (ECANCELED) or comes too late (the step completes and asks for the next),
     * as the seed decides; either way the read fails as timed out.
     */
    @Test
    void aReadFullyItsTimeoutCutsBetweenStepsFailsAsTimedOut() {
        List<String> wrong = new ArrayList<>();
        for (long seed = 1; seed <= 16; seed++) {
            SimIo sim = simWithDirectory(SimOptions.seed(seed).withLatency(slowReads()));
            try (EventLoop loop = EventLoop.stepped(sim)) {
                RingFile file = written(loop);
                CompletableFuture<Void> read = file.withTimeout(Duration.ofNanos(999)).readFully(new byte[LARGE], 0, LARGE, 0);
                loop.runUntil(read::isDone);
                Throwable failure = failureOf(read);
                if (!(failure instanceof TimedOutException)) {
                    wrong.add("seed " + seed + ": " + failure);
                }
                loop.runUntilIdle();
            }
        }
        assertThat(wrong).as("timed-out reads that failed otherwise").isEmpty();
    }

    @Test
    void aReadFullyTheLoopsCloseCutsBetweenStepsFailsAsLoopClosed() {
        List<String> wrong = new ArrayList<>();
        for (long seed = 1; seed <= 16; seed++) {
            SimIo sim = simWithDirectory(SimOptions.seed(seed).withLatency(slowReads()));
            EventLoop loop = EventLoop.stepped(sim, EventLoopOptions.defaults().withCloseGrace(Duration.ZERO));
            RingFile file = written(loop);
            CompletableFuture<Void> read = file.readFully(new byte[LARGE], 0, LARGE, 0);
            loop.runOnce(); // the first step is in flight
            loop.close();
            Throwable failure = failureOf(read);
            if (!(failure instanceof LoopClosedException)) {
                wrong.add("seed " + seed + ": " + failure);
            }
        }
        assertThat(wrong).as("reads cut off by the loop's close that failed otherwise").isEmpty();
    }

    /**
     * An operation that passed the file's closed check on one thread while another closed the
     * file reaches the loop after the close: the loop must refuse it, not start it on an fd that
     * is closed (or by then names another file).
     */
    @Test
    void anOperationThatReachesTheLoopAfterTheFilesCloseIsRefused() {
        SimIo sim = simWithDirectory(SimOptions.seed(5));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            RingFile file = written(loop);
            // As the race would have it: built and checked before the close, handed over after.
            FileOp<Integer> read = file.transfer(FileOp.READ, null, java.nio.ByteBuffer.allocateDirect(4096), 0, false, false);
            CompletableFuture<Void> closed = file.closeAsync();
            loop.submit(read);
            loop.runUntil(() -> closed.isDone() && read.isDone());
            closed.join();
            assertThat(failureOf(read)).isInstanceOf(java.nio.channels.ClosedChannelException.class);
        }
    }

    /** The other side of the test above: what the loop took before the close, waiting for room in the Io, is not refused. */
    @Test
    void anOperationTheLoopTookBeforeTheCloseIsWaitedForEvenWhenItWaitsForRoom() {
        SimIo sim = simWithDirectory(SimOptions.seed(1).withCapacity(2)
                .withLatency(SimLatency.zero().with(SimOperation.WRITE, 1_000, 0)));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            CompletableFuture<RingFile> opening = RingFile.open(loop, Path.of("/d/f"), READ, WRITE, CREATE);
            loop.runUntil(opening::isDone);
            RingFile file = opening.join();
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // The third waits for room: the Io holds two.
                writes.add(file.writeAt(java.nio.ByteBuffer.allocateDirect(4096), i * 4096L));
            }
            CompletableFuture<Void> closed = file.closeAsync();
            loop.runUntil(() -> closed.isDone() && writes.get(2).isDone());
            closed.join();
            for (CompletableFuture<Integer> write : writes) {
                assertThat(write.join()).isEqualTo(4096);
            }
        }
    }

    /** The close of a file with a readFully in its first step, on the simulator: the same as the io_uring test, every time. */
    @Test
    void aCloseWaitsForTheLastStepOfAReadFullyStepped() {
        SimIo sim = simWithDirectory(SimOptions.seed(9).withLatency(slowReads()));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            RingFile file = written(loop);
            CompletableFuture<Void> read = file.readFully(new byte[LARGE], 0, LARGE, 0);
            loop.runOnce(); // the first step is in flight
            CompletableFuture<Void> closed = file.closeAsync();
            loop.runUntil(closed::isDone);
            closed.join();
            assertThat(read).isDone();
            assertThat(failureOf(read)).isNull();
        }
    }

    /** A simulator with the durable directory /d, where {@link #written} puts its file. */
    private static SimIo simWithDirectory(SimOptions options) {
        SimIo sim = SimIo.open(options);
        sim.createDurableDirectories("/d");
        return sim;
    }

    private static SimLatency slowReads() {
        return SimLatency.zero().with(SimOperation.READ, 1_000, 0).with(SimOperation.CANCEL, 10, 0);
    }

    /** /d/f holding LARGE zero bytes, open for reading and writing. */
    private static RingFile written(EventLoop loop) {
        CompletableFuture<RingFile> opening = RingFile.open(loop, Path.of("/d/f"), READ, WRITE, CREATE);
        loop.runUntil(opening::isDone);
        RingFile file = opening.join();
        CompletableFuture<Void> write = file.writeFully(new byte[LARGE], 0, LARGE, 0);
        loop.runUntil(write::isDone);
        write.join();
        return file;
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
