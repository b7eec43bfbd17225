package io.ringio.io.channel;

import io.ringio.io.IoBackend;
import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opening and closing, capacity and tags, and where handlers run. */
class ChannelIoLifecycleTest extends ChannelIoTestCase {
    @Override
    int capacity() {
        return 8;
    }

    private static Set<Thread> channelWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ringio-channel-"))
                .collect(Collectors.toSet());
    }

    @Test
    void workersAreNamedDaemonThreadsThatAreGoneAfterClose() {
        Set<Thread> before = channelWorkers();
        ChannelIo other = ChannelIo.open(new IoOptions(IoOptions.Choice.CHANNEL, 16, 3), "because");
        Set<Thread> mine = new HashSet<>(channelWorkers());
        mine.removeAll(before);
        assertThat(mine).hasSize(3).allMatch(Thread::isDaemon);
        assertThat(other.backend()).isEqualTo(new IoBackend(IoBackend.Kind.CHANNEL, "because"));
        assertThat(other.capacity()).isEqualTo(16);
        other.close();
        assertThat(mine).noneMatch(Thread::isAlive);
    }

    @Test
    void closeWaitsForARunningOperationDropsTheRestAndLeavesNoThread() throws Exception {
        Set<Thread> before = channelWorkers();
        ChannelIo blocked = ChannelIo.open(8, 1, "test");
        Set<Thread> mine = new HashSet<>(channelWorkers());
        mine.removeAll(before);
        try (Fifo fifo = Fifo.create(dir.resolve("fifo"))) {
            List<Long> delivered = new ArrayList<>();
            blocked.open(1, fifo.path().toString(), OpenFlags.READ, 0);
            blocked.poll((tag, result) -> delivered.add(tag));
            Fifo.awaitWorkerBlockedInOpen();
            // Queued behind the open on the only worker, and a timeout that will never fire.
            blocked.write(2, 0, utf8("x"), 0);
            blocked.timeout(3, TimeUnit.SECONDS.toNanos(30));
            blocked.poll((tag, result) -> delivered.add(tag));
            Thread releaser = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                    fifo.openWriter();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            long start = System.nanoTime();
            blocked.close();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            releaser.join();
            assertThat(delivered).isEmpty();
        }
        assertThat(mine).hasSize(1).noneMatch(Thread::isAlive);
        blocked.close();
    }

    @Test
    void closeIsIdempotentAndEverythingButItIsRefusedAfterwards() {
        io.timeout(1, TimeUnit.SECONDS.toNanos(30));
        io.poll(this::record);
        io.close();
        io.close();
        assertThat(io.inFlight()).isZero();
        assertThatThrownBy(() -> io.nop(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> io.poll(this::record)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> io.park(0, this::record)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(io::linkNext).isInstanceOf(IllegalStateException.class);
        assertThat(results).isEmpty();
    }

    @Test
    void closeClosesFilesStillOpen() throws IOException {
        Path file = dir.resolve("left-open");
        open("left-open", OpenFlags.READ_WRITE | OpenFlags.CREATE | OpenFlags.APPEND);
        open(".", OpenFlags.DIRECTORY);
        // READ + WRITE + APPEND takes three channels: reader, appending writer, sizer.
        assertThat(descriptorsOn(file)).isEqualTo(3);
        assertThat(descriptorsOn(dir)).isEqualTo(1);
        io.close();
        assertThat(descriptorsOn(file)).isZero();
        assertThat(descriptorsOn(dir)).isZero();
    }

    /** How many of this process's descriptors are open on {@code path} (Linux: /proc/self/fd). */
    private static long descriptorsOn(Path path) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        try (Stream<Path> links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).equals(path);
                } catch (IOException e) {
                    return false; // closed since it was listed, such as the listing's own
                }
            }).count();
        }
    }

    @Test
    void submissionsBeyondCapacityAreRefusedUntilCompletionsAreDelivered() {
        for (int i = 0; i < capacity(); i++) {
            assertThat(io.nop(i)).isTrue();
        }
        assertThat(io.nop(100)).isFalse();
        assertThat(io.inFlight()).isEqualTo(capacity());
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (results.size() < capacity() && System.nanoTime() < deadline) {
            io.park(TimeUnit.MILLISECONDS.toNanos(100), this::record);
        }
        assertThat(results).hasSize(capacity());
        assertThat(io.inFlight()).isZero();
        assertThat(io.nop(100)).isTrue();
    }

    @Test
    void aTagInFlightCannotBeReusedButADeliveredOneCan() {
        io.timeout(7, TimeUnit.SECONDS.toNanos(30));
        assertThatThrownBy(() -> io.nop(7)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag=7");
        io.cancel(8, 7);
        assertThat(await(7)).isNegative();
        assertThat(await(8)).isZero();
        assertThat(io.nop(7)).isTrue();
        assertThat(await(7)).isZero();
    }

    @Test
    void handlersRunOnTheCallingThreadAndMaySubmit() {
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        io.nop(1);
        io.park(TimeUnit.SECONDS.toNanos(5), (tag, result) -> {
            handlerThread.set(Thread.currentThread());
            io.nop(tag + 1);
        });
        assertThat(handlerThread.get()).isSameAs(Thread.currentThread());
        assertThat(await(2)).isZero();
    }

    @Test
    void aThrowingHandlerStillGetsEveryCompletionThenTheExceptionSurfaces() {
        for (int i = 0; i < 3; i++) {
            io.nop(i);
        }
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> io.poll((tag, result) -> {
            seen.add(tag);
            throw new IllegalStateException("handler " + tag);
        })).isInstanceOf(IllegalStateException.class).hasMessage("handler 0");
        assertThat(seen).containsExactly(0L, 1L, 2L);
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void aHandlerMayCloseTheIo() {
        io.nop(1);
        io.nop(2);
        List<Long> seen = new ArrayList<>();
        int delivered = io.poll((tag, result) -> {
            seen.add(tag);
            io.close();
        });
        assertThat(delivered).isEqualTo(1);
        assertThat(seen).hasSize(1);
    }

    @Test
    void parkWithNothingToWaitForReturnsAfterItsTimeout() {
        long start = System.nanoTime();
        assertThat(io.park(TimeUnit.MILLISECONDS.toNanos(20), this::record)).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(io.park(0, this::record)).isZero();
    }

    @Test
    void anInterruptEndsParkEarlyAndStaysSet() {
        io.timeout(1, TimeUnit.SECONDS.toNanos(30));
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThat(io.park(TimeUnit.SECONDS.toNanos(10), this::record)).isZero();
        assertThat(Thread.interrupted()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
}
