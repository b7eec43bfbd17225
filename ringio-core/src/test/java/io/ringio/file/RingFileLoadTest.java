package io.ringio.file;

import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.loop.EventLoopStats;
import io.ringio.loop.LoopClosedException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/** Many threads and many operations on one loop: nothing lost, nothing doubled, nothing leaked. */
class RingFileLoadTest {
    private static final int THREADS = Integer.getInteger("ringio.test.threads", 10_000);
    private static final int OPS_PER_THREAD = 100;
    /** Each thread owns this many records of the shared file, and only those. */
    private static final int RECORDS_PER_THREAD = 4;
    private static final int RECORD_BYTES = 512;
    private static final int IN_FLIGHT_AT_CLOSE = 1_000;

    @TempDir
    Path dir;

    static EventLoop loop(IoOptions.Choice backend, Duration closeGrace) {
        return EventLoop.start(EventLoopOptions.defaults().withCloseGrace(closeGrace)
                .withIo(IoOptions.defaults().withBackend(backend).withCapacity(1024)
                        .withSingleIssuer(backend == IoOptions.Choice.URING)));
    }

    @ParameterizedTest
    @EnumSource(value = IoOptions.Choice.class, names = {"URING", "CHANNEL"})
    void tenThousandVirtualThreadsReadAndWriteOneFileAndEveryReadIsVerified(IoOptions.Choice backend) throws Exception {
        tenThousandThreads(backend, false);
    }

    /** The same with the threads of the loop's own {@link EventLoop#virtualThreadFactory()}, on the loop's thread. */
    @ParameterizedTest
    @EnumSource(value = IoOptions.Choice.class, names = {"URING", "CHANNEL"})
    void tenThousandVirtualThreadsOnTheLoopThreadReadAndWriteOneFileAndEveryReadIsVerified(IoOptions.Choice backend)
            throws Exception {
        tenThousandThreads(backend, true);
    }

    private void tenThousandThreads(IoOptions.Choice backend, boolean onLoop) throws Exception {
        try (EventLoop loop = loop(backend, EventLoopOptions.CLOSE_GRACE_DEFAULT)) {
            java.util.concurrent.ThreadFactory factory = onLoop ? loop.virtualThreadFactory() : Thread.ofVirtual().factory();
            // Every read through the ring, so that the loop's completions are what is counted: a
            // file opened while this is set never takes the page-cache fast path.
            System.setProperty(FileState.DISABLE_PROPERTY, "true");
            RingFile file;
            try {
                file = RingFile.openBlocking(loop, dir.resolve("shared"), READ, WRITE, CREATE);
            } finally {
                System.clearProperty(FileState.DISABLE_PROPERTY);
            }
            assertThat(file.state().cachedReads).isFalse();
            file.blocking().truncate((long) THREADS * RECORDS_PER_THREAD * RECORD_BYTES);
            EventLoopStats before = loop.stats();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            List<Thread> threads = new ArrayList<>(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread thread = factory.newThread(() -> {
                    try {
                        workload(file.blocking(), id, reads, writes);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).as("failures of the %d threads", THREADS).isEmpty();
            assertThat(reads.get() + writes.get()).isEqualTo((long) THREADS * OPS_PER_THREAD);
            EventLoopStats after = loop.stats();
            assertThat(after.completedReads() - before.completedReads()).as("reads the loop completed").isEqualTo(reads.get());
            assertThat(after.completedWrites() - before.completedWrites()).as("writes the loop completed").isEqualTo(writes.get());
            assertThat(after.errors()).isZero();
            assertThat(after.inFlight()).isZero();
            file.close();
        }
    }

    /** Random reads and writes of the thread's own records, each read checked against what it last wrote. */
    private static void workload(BlockingRingFile file, int id, AtomicLong reads, AtomicLong writes) throws Exception {
        SplittableRandom random = new SplittableRandom(id);
        byte[][] shadow = new byte[RECORDS_PER_THREAD][RECORD_BYTES];
        ByteBuffer direct = ByteBuffer.allocateDirect(RECORD_BYTES);
        byte[] heap = new byte[RECORD_BYTES];
        for (int op = 0; op < OPS_PER_THREAD; op++) {
            int record = random.nextInt(RECORDS_PER_THREAD);
            long position = ((long) id * RECORDS_PER_THREAD + record) * RECORD_BYTES;
            boolean useDirect = random.nextBoolean();
            if (random.nextBoolean()) {
                random.nextBytes(shadow[record]);
                int n;
                if (useDirect) {
                    direct.clear().put(shadow[record]).flip();
                    n = file.writeAt(direct, position);
                } else {
                    n = file.writeAt(shadow[record], 0, RECORD_BYTES, position);
                }
                assertThat(n).isEqualTo(RECORD_BYTES);
                writes.incrementAndGet();
            } else {
                byte[] got;
                if (useDirect) {
                    direct.clear();
                    assertThat(file.readAt(direct, position)).isEqualTo(RECORD_BYTES);
                    got = new byte[RECORD_BYTES];
                    direct.flip().get(got);
                } else {
                    Arrays.fill(heap, (byte) 0x5A);
                    assertThat(file.readAt(heap, 0, RECORD_BYTES, position)).isEqualTo(RECORD_BYTES);
                    got = heap;
                }
                if (!Arrays.equals(got, shadow[record])) {
                    throw new AssertionError("thread " + id + " op " + op + ": record " + record + " read back wrong");
                }
                reads.incrementAndGet();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoOptions.Choice.class, names = {"URING", "CHANNEL"})
    void closingALoopWithAThousandOperationsInFlightSettlesEveryOneAndFreesEveryBuffer(IoOptions.Choice backend)
            throws Exception {
        for (Duration grace : new Duration[] {Duration.ZERO, Duration.ofSeconds(5)}) {
            EventLoop loop = loop(backend, grace);
            RingFile file = RingFile.openBlocking(loop, dir.resolve("close-" + grace.toMillis()), READ, WRITE, CREATE);
            byte[] data = new byte[1 << 20];
            new SplittableRandom(1).nextBytes(data);
            file.blocking().writeFully(data, 0, data.length, 0);
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            List<byte[]> targets = new ArrayList<>();
            try (Arena arena = Arena.ofShared()) {
                List<MemorySegment> segments = new ArrayList<>();
                for (int i = 0; i < IN_FLIGHT_AT_CLOSE; i++) {
                    long position = (long) (i % 256) * 4096;
                    if (i % 2 == 0) {
                        byte[] target = new byte[4096];
                        targets.add(target);
                        reads.add(file.readAt(target, 0, 4096, position));
                    } else {
                        MemorySegment seg = arena.allocate(4096, 4096);
                        segments.add(seg);
                        reads.add(file.readAt(seg, position));
                    }
                }
                loop.close();
                int completed = 0;
                int closed = 0;
                for (CompletableFuture<Integer> read : reads) {
                    assertThat(read).as("a read after the loop closed").isDone();
                    assertThat(((io.ringio.loop.LoopFuture<?>) read).isSettled()).as("settled").isTrue();
                    try {
                        assertThat(read.join()).isEqualTo(4096);
                        completed++;
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(LoopClosedException.class).hasMessageContaining("loop closed");
                        closed++;
                    }
                }
                assertThat(completed + closed).isEqualTo(IN_FLIGHT_AT_CLOSE);
                if (!grace.isZero()) {
                    assertThat(closed).as("reads failed although the grace let them finish").isZero();
                }
                for (int i = 0; i < targets.size(); i++) {
                    CompletableFuture<Integer> read = reads.get(2 * i);
                    if (!read.isCompletedExceptionally()) {
                        int block = (2 * i) % 256;
                        assertThat(targets.get(i)).isEqualTo(Arrays.copyOfRange(data, block * 4096, block * 4096 + 4096));
                    }
                }
            }
            assertThat(loop.buffers().stats().inUse()).as("pooled buffers out after the close").isZero();
            file.close();
        }
    }
}
