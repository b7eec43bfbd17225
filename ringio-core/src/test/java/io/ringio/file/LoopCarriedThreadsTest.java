package io.ringio.file;

import io.ringio.io.IoOptions;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.loop.LoopClosedException;
import io.ringio.loop.LoopFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtual threads of {@link EventLoop#virtualThreadFactory()}: they run on the loop's own thread,
 * their blocking calls work as everywhere else, and they outlive the loop's close. Surefire runs
 * with {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which the factory needs; what happens
 * without it is checked in a JVM of its own.
 */
class LoopCarriedThreadsTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 256;

    @TempDir
    Path dir;

    private static EventLoop loop(IoOptions.Choice backend) {
        return EventLoop.start(EventLoopOptions.defaults().withCloseGrace(Duration.ZERO)
                .withIo(IoOptions.defaults().withBackend(backend).withCapacity(256)
                        .withSingleIssuer(backend == IoOptions.Choice.URING)));
    }

    /** A file whose block {@code b} holds the int {@code b} in each of its words. */
    private Path numberedFile() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(BLOCK * BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            for (int w = 0; w < BLOCK / 4; w++) {
                all.putInt(b);
            }
        }
        Path p = dir.resolve("numbered");
        Files.write(p, all.array());
        return p;
    }

    @Test
    void theFactoryIsThereWithTheOptionSurefirePasses() {
        assertThat(EventLoop.canCarryVirtualThreads()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = IoOptions.Choice.class, names = {"URING", "CHANNEL"})
    void thirtyTwoThreadsReadOnTheLoopThreadAndEveryBlockIsRight(IoOptions.Choice backend) throws Exception {
        Path path = numberedFile();
        try (EventLoop loop = loop(backend);
             RingFile file = RingFile.openBlocking(loop, path, READ)) {
            ThreadFactory factory = loop.virtualThreadFactory();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<String> carriers = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            long submittedBefore = loop.stats().submitted();
            for (int t = 0; t < 32; t++) {
                int id = t;
                Thread thread = factory.newThread(() -> {
                    try {
                        SplittableRandom random = new SplittableRandom(id);
                        byte[] buf = new byte[BLOCK];
                        for (int i = 0; i < 200; i++) {
                            int b = random.nextInt(BLOCKS);
                            file.blocking().readFully(buf, 0, BLOCK, (long) b * BLOCK);
                            assertThat(ByteBuffer.wrap(buf).getInt(BLOCK - 4)).isEqualTo(b);
                        }
                        carriers.add(Thread.currentThread().toString());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(30))).as("thread %s finished", t).isTrue();
            }
            assertThat(failures).isEmpty();
            assertThat(threads).allSatisfy(t -> assertThat(t.isVirtual()).isTrue());
            assertThat(threads.get(0).getName()).isEqualTo(loop.name() + "-vt-1");
            // A mounted virtual thread names its carrier after the '@'.
            assertThat(carriers).hasSize(32).allSatisfy(s -> assertThat(s).endsWith("@" + loop.name()));
            if (!file.state().cachedReads) {
                assertThat(loop.stats().submitted() - submittedBefore).isGreaterThanOrEqualTo(32 * 200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoOptions.Choice.class, names = {"URING", "CHANNEL"})
    void writesAndSyncsFromTheLoopThreadAreReadBack(IoOptions.Choice backend) throws Exception {
        try (EventLoop loop = loop(backend);
             RingFile file = RingFile.openBlocking(loop, dir.resolve("w"), READ, WRITE, CREATE)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread thread = loop.virtualThreadFactory().newThread(() -> {
                    try {
                        byte[] mine = new byte[BLOCK];
                        new SplittableRandom(id).nextBytes(mine);
                        BlockingRingFile f = file.blocking();
                        f.writeFully(mine, 0, BLOCK, (long) id * BLOCK);
                        f.datasync();
                        byte[] back = new byte[BLOCK];
                        f.readFully(back, 0, BLOCK, (long) id * BLOCK);
                        assertThat(back).isEqualTo(mine);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(failure.get()).isNull();
            assertThat(file.blocking().size()).isEqualTo(8L * BLOCK);
        }
    }

    /** The README's example: a thread-per-task executor over the factory. */
    @Test
    void aThreadPerTaskExecutorOverTheFactoryReadsEveryPage() throws Exception {
        Path path = numberedFile();
        try (EventLoop loop = loop(IoOptions.Choice.URING);
             RingFile file = RingFile.openBlocking(loop, path, READ)) {
            List<java.util.concurrent.Future<byte[]>> pages = new ArrayList<>();
            try (var executor = java.util.concurrent.Executors.newThreadPerTaskExecutor(loop.virtualThreadFactory())) {
                for (int b = 0; b < BLOCKS; b++) {
                    long position = (long) b * BLOCK;
                    pages.add(executor.submit(() -> {
                        byte[] page = new byte[BLOCK];
                        file.blocking().readFully(page, 0, page.length, position);
                        return page;
                    }));
                }
            }
            for (int b = 0; b < BLOCKS; b++) {
                assertThat(ByteBuffer.wrap(pages.get(b).get()).getInt(0)).isEqualTo(b);
            }
        }
    }

    @Test
    void sleepLocksAndWakeUpsFromOtherThreadsWork() throws Exception {
        try (EventLoop loop = loop(IoOptions.Choice.URING)) {
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch fromPlatform = new CountDownLatch(1);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread thread = loop.virtualThreadFactory().newThread(() -> {
                    try {
                        Thread.sleep(5);
                        Thread.yield();
                        lock.lock();
                        try {
                            // Held across a park: the others queue on the lock meanwhile.
                            Thread.sleep(2);
                            seen.add("locked " + id);
                        } finally {
                            lock.unlock();
                        }
                        // Woken by a platform thread: a continuation handed to the loop from outside.
                        fromPlatform.await();
                        seen.add("released " + id + " on " + Thread.currentThread());
                    } catch (InterruptedException e) {
                        seen.add("interrupted " + id);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            Thread.sleep(50);
            fromPlatform.countDown();
            for (Thread t : threads) {
                assertThat(t.join(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(seen).hasSize(8).filteredOn(s -> s.startsWith("released"))
                    .allSatisfy(s -> assertThat(s).endsWith("@" + loop.name()));
        }
    }

    @Test
    void anInterruptCancelsTheOperationAThreadWaitsFor() throws Exception {
        try (EventLoop loop = loop(IoOptions.Choice.URING)) {
            AtomicReference<Boolean> interrupted = new AtomicReference<>();
            AtomicReference<LoopFuture<Void>> task = new AtomicReference<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread thread = loop.virtualThreadFactory().newThread(() -> {
                LoopFuture<Void> hour = loop.schedule(() -> { }, 1, TimeUnit.HOURS);
                task.set(hour);
                waiting.countDown();
                interrupted.set(loop.await(hour));
            });
            thread.start();
            waiting.await();
            Thread.sleep(20);
            thread.interrupt();
            assertThat(thread.join(Duration.ofSeconds(10))).isTrue();
            assertThat(interrupted.get()).isTrue();
            assertThat(task.get().isCancelled()).isTrue();
        }
    }

    @Test
    void threadsWaitingWhenTheLoopClosesWakeAndFinishOnThreadsOfTheirOwn() throws Exception {
        EventLoop loop = loop(IoOptions.Choice.URING);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> after = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread thread = loop.virtualThreadFactory().newThread(() -> {
            LoopFuture<Void> hour = loop.schedule(() -> { }, 1, TimeUnit.HOURS);
            waiting.countDown();
            loop.await(hour);
            try {
                hour.join();
            } catch (Throwable e) {
                failure.set(e.getCause());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            after.set(Thread.currentThread().toString());
        });
        thread.start();
        waiting.await();
        loop.close();
        assertThat(thread.join(Duration.ofSeconds(10))).as("the thread finished after the close").isTrue();
        assertThat(failure.get()).isInstanceOf(LoopClosedException.class);
        assertThat(after.get()).contains("closed-carrier");
        // A thread made after the close still runs, and its operations are refused.
        AtomicReference<Throwable> late = new AtomicReference<>();
        Thread later = loop.virtualThreadFactory().newThread(() -> {
            try {
                loop.schedule(() -> { }, 1, TimeUnit.SECONDS).join();
            } catch (Throwable e) {
                late.set(e.getCause());
            }
        });
        later.start();
        assertThat(later.join(Duration.ofSeconds(10))).isTrue();
        assertThat(late.get()).isInstanceOf(LoopClosedException.class);
    }

    @Test
    void aFactoryFirstAskedForAfterTheCloseMakesThreadsThatRunElsewhere() throws Exception {
        EventLoop loop = loop(IoOptions.Choice.CHANNEL);
        loop.close();
        AtomicReference<String> ran = new AtomicReference<>();
        Thread thread = loop.virtualThreadFactory().newThread(() -> ran.set(Thread.currentThread().toString()));
        thread.start();
        assertThat(thread.join(Duration.ofSeconds(10))).isTrue();
        assertThat(ran.get()).contains("closed-carrier");
    }

    @Test
    void aTaskExecutedFromOneOfTheseThreadsRunsAtOnceOnTheLoopThread() throws Exception {
        try (EventLoop loop = loop(IoOptions.Choice.URING)) {
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            Thread thread = loop.virtualThreadFactory().newThread(() -> {
                loop.execute(() -> order.add("task on " + Thread.currentThread()));
                order.add("after execute");
            });
            thread.start();
            assertThat(thread.join(Duration.ofSeconds(10))).isTrue();
            assertThat(order).hasSize(2);
            assertThat(order.get(0)).startsWith("task on").endsWith("@" + loop.name());
        }
    }

    @Test
    void onASteppedSimulatedLoopTheThreadsRunInTheSameOrderForASeed() throws Exception {
        assertThat(steppedTrace(21)).isEqualTo(steppedTrace(21)).hasSize(6 * 10);
    }

    private List<String> steppedTrace(long seed) throws Exception {
        SimIo sim = SimIo.open(SimOptions.seed(seed).withCapacity(64));
        sim.createDurableDirectories(dir.toString());
        List<String> order = new ArrayList<>();
        try (EventLoop loop = EventLoop.stepped(sim);
             RingFile file = RingFile.openBlocking(loop, dir.resolve("sim-" + seed), READ, WRITE, CREATE)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int id = t;
                Thread thread = loop.virtualThreadFactory().newThread(() -> {
                    byte[] buf = new byte[512];
                    for (int i = 0; i < 10; i++) {
                        buf[0] = (byte) (id * 10 + i);
                        try {
                            file.blocking().writeFully(buf, 0, buf.length, (long) id * 512);
                            byte[] back = new byte[512];
                            file.blocking().readFully(back, 0, back.length, (long) id * 512);
                            // Only the stepping thread's turns run these threads: the list needs no lock.
                            order.add(id + ":" + back[0]);
                        } catch (IOException e) {
                            order.add(id + ":" + e);
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            loop.runUntil(() -> threads.stream().noneMatch(Thread::isAlive));
        }
        return order;
    }

    @Test
    void withoutTheAddOpensTheFactorySaysWhatToAdd() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NoAddOpens.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("canCarry=false")
                .contains("UnsupportedOperationException")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED");
    }

    /** Run in a JVM without {@code --add-opens}. */
    static final class NoAddOpens {
        public static void main(String[] args) {
            System.out.println("canCarry=" + EventLoop.canCarryVirtualThreads());
            try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults()
                    .withIo(IoOptions.defaults().withBackend(IoOptions.Choice.CHANNEL)))) {
                loop.virtualThreadFactory();
                System.out.println("made a factory");
            } catch (UnsupportedOperationException e) {
                System.out.println(e);
            }
        }
    }
}
