package io.ringio.loop;

import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoOptions;
import io.ringio.io.TimedOutException;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLoopTest {
    private static final long LONG_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static EventLoopOptions options() {
        return EventLoopOptions.defaults().withIo(IoOptions.defaults().withCapacity(64).withSingleIssuer(true));
    }

    @Test
    void aStartedLoopRunsOnAThreadNamedRingioLoop() {
        try (EventLoop loop = EventLoop.start(options())) {
            AtomicReference<String> name = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(() -> {
                name.set(Thread.currentThread().getName());
                ran.countDown();
            });
            awaitLatch(ran);
            assertThat(name.get()).startsWith("ringio-loop-").isEqualTo(loop.name());
            assertThat(loop.inLoop()).isFalse();
        }
    }

    @Test
    void operationsFromManyVirtualThreadsAllComplete() throws Exception {
        try (EventLoop loop = EventLoop.start(options().withQueueCapacity(4))) {
            List<Thread> threads = new ArrayList<>();
            List<TestOps.Nop> ops = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 32; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        ops.add(loop.submit(new TestOps.Nop()));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // A future completes inside completed(); the loop marks it settled just after, so a
            // thread that saw the completion waits for the settle rather than racing it.
            ops.forEach(loop::await);
            assertThat(ops).hasSize(32 * 200).allMatch(LoopFuture::isSettled);
            EventLoopStats stats = loop.stats();
            assertThat(stats.completedOther()).isEqualTo(32 * 200);
            assertThat(stats.fullQueueWaits()).as("waits on a queue of 4 cells").isPositive();
        }
    }

    @Test
    void withoutASubmitBatchTheUringLoopUsesOneEnterPerTurnAtMost() throws Exception {
        try (EventLoop loop = EventLoop.start(options().withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING)
                .withCapacity(64).withSingleIssuer(true).withSubmitBatch(0)))) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                List<TestOps.Nop> batch = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    batch.add(loop.submit(new TestOps.Nop()));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> done.complete(null));
            });
            done.get(10, TimeUnit.SECONDS);
            EventLoopStats stats = loop.stats();
            assertThat(stats.enterCalls()).as("enters for %s", stats).isLessThanOrEqualTo(stats.turns() + 1);
            assertThat(loop.backend().kind()).isEqualTo(IoBackend.Kind.URING);
        }
    }

    @Test
    void anIdleLoopSleeps() throws Exception {
        try (EventLoop loop = EventLoop.start(options())) {
            LoopFuture<?> slow = loop.submit(new TestOps.Slow(LONG_NANOS)); // one operation in flight: the loop waits in the Io
            CompletableFuture<Long> id = new CompletableFuture<>();
            loop.execute(() -> id.complete(Thread.currentThread().threadId()));
            long tid = id.get(10, TimeUnit.SECONDS);
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(tid);
            long turnsBefore = loop.stats().turns();
            Thread.sleep(300);
            long cpu = threads.getThreadCpuTime(tid) - cpuBefore;
            assertThat(cpu).as("loop thread CPU ns over 300 ms of nothing to do").isLessThan(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(loop.stats().turns() - turnsBefore).as("turns while idle").isLessThan(10);
            slow.cancel(false);
        }
        try (EventLoop loop = EventLoop.start(options())) {
            long turnsBefore = loop.stats().turns();
            Thread.sleep(300);
            assertThat(loop.stats().turns() - turnsBefore).as("turns with nothing in flight").isLessThan(10);
        }
    }

    @Test
    void scheduledTaskRunsAfterItsDelay() throws Exception {
        try (EventLoop loop = EventLoop.start(options())) {
            long start = System.nanoTime();
            CompletableFuture<Long> ran = new CompletableFuture<>();
            loop.schedule(() -> ran.complete(System.nanoTime()), 50, TimeUnit.MILLISECONDS);
            assertThat(ran.get(10, TimeUnit.SECONDS) - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aTimeoutCancelsTheOperationAndFailsItAsTimedOut() {
        try (EventLoop loop = EventLoop.start(options())) {
            TestOps.Slow slow = loop.submit(EventLoop.withTimeout(new TestOps.Slow(LONG_NANOS), TimeUnit.MILLISECONDS.toNanos(20)));
            assertThatThrownBy(slow::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimedOutException.class);
            loop.await(slow);
            assertThat(slow.isSettled()).isTrue();
        }
    }

    @Test
    void cancelCompletesTheFutureAndTheOperationSettlesLater() {
        try (EventLoop loop = EventLoop.start(options())) {
            TestOps.Slow slow = loop.submit(new TestOps.Slow(LONG_NANOS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (loop.stats().inFlight() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(slow.cancel(false)).isTrue();
            assertThat(slow.isCancelled()).isTrue();
            assertThat(loop.await(slow)).as("interrupted").isFalse();
            assertThat(slow.result()).isEqualTo(-io.ringio.sys.Errno.ECANCELED);
        }
    }

    @Test
    void closeLetsShortOperationsFinishAndFailsLongOnesAsLoopClosed() {
        EventLoop loop = EventLoop.start(options().withCloseGrace(Duration.ofMillis(200)));
        TestOps.Slow quick = loop.submit(new TestOps.Slow(TimeUnit.MILLISECONDS.toNanos(10)));
        TestOps.Slow stuck = loop.submit(new TestOps.Slow(LONG_NANOS));
        LoopFuture<Void> timer = loop.schedule(() -> { }, 1, TimeUnit.HOURS);
        long start = System.nanoTime();
        loop.close();
        assertThat(System.nanoTime() - start).as("ns to close with a grace of 200 ms").isBetween(TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(10));
        assertThat(quick.join()).isZero();
        assertThatThrownBy(stuck::join).hasCauseInstanceOf(LoopClosedException.class)
                .hasMessageContaining("loop closed");
        assertThatThrownBy(timer::join).hasCauseInstanceOf(LoopClosedException.class);
        assertThat(stuck.isSettled()).isTrue();
        TestOps.Nop late = loop.submit(new TestOps.Nop());
        assertThatThrownBy(late::join).hasCauseInstanceOf(LoopClosedException.class);
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(LoopClosedException.class);
        loop.close();
    }

    @Test
    void aBlockingWaitOnTheLoopThreadIsRefused() throws Exception {
        try (EventLoop loop = EventLoop.start(options())) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    loop.await(loop.submit(new TestOps.Nop()));
                    thrown.complete(null);
                } catch (IllegalStateException e) {
                    thrown.complete(e);
                }
            });
            assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("would wait for itself");
        }
    }

    @Test
    void aSteppedLoopOverSimIoRunsTimersInVirtualTime() {
        SimIo sim = SimIo.open(SimOptions.seed(7));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            List<Long> fired = new ArrayList<>();
            loop.schedule(() -> fired.add(sim.nowNanos()), 3, TimeUnit.SECONDS);
            loop.schedule(() -> fired.add(sim.nowNanos()), 1, TimeUnit.SECONDS);
            long start = System.nanoTime();
            loop.runUntilIdle();
            assertThat(System.nanoTime() - start).as("real time").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(fired).hasSize(2);
            assertThat(fired.get(0)).isLessThan(fired.get(1));
            assertThat(fired.get(1)).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(3));
        }
    }

    /**
     * A stepped loop over a real {@code Io} waits in the {@code Io}'s park; work handed over from
     * another thread meanwhile must end that wait at once, as it does on a started loop, not after
     * the park's one-second cap: with an operation in flight, with none, and when the work is a
     * virtual thread of the loop that another thread unparks.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
            "URING, 'a task, something in flight'", "URING, 'a task, nothing in flight'", "URING, an unpark",
            "CHANNEL, 'a task, something in flight'", "CHANNEL, 'a task, nothing in flight'", "CHANNEL, an unpark"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSteppedLoopOverARealIoWakesForWorkHandedOverFromAnotherThread(IoOptions.Choice backend, String handedOver)
            throws Exception {
        try (EventLoop loop = EventLoop.stepped(Io.open(IoOptions.defaults().withBackend(backend).withCapacity(64)))) {
            CompletableFuture<Void> later = handedOver.equals("a task, something in flight")
                    ? loop.schedule(() -> { }, 30, TimeUnit.SECONDS) : null;
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Thread> parked = new AtomicReference<>();
            if (handedOver.equals("an unpark")) {
                loop.virtualThreadFactory().newThread(() -> {
                    parked.set(Thread.currentThread());
                    while (!ran.get()) {
                        LockSupport.park();
                    }
                }).start();
                loop.runUntil(() -> parked.get() != null);
            }
            CountDownLatch stepping = new CountDownLatch(1);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    stepping.await();
                    Thread.sleep(50);
                    if (handedOver.equals("an unpark")) {
                        ran.set(true);
                        LockSupport.unpark(parked.get());
                    } else {
                        loop.execute(() -> ran.set(true));
                    }
                } catch (Throwable e) {
                    failed.set(e);
                    ran.set(true);
                    LockSupport.unpark(parked.get());
                }
            });
            long start = System.nanoTime();
            stepping.countDown();
            if (handedOver.equals("an unpark")) {
                loop.runUntil(() -> !parked.get().isAlive());
            } else {
                loop.runUntil(ran::get);
            }
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            other.join();
            assertThat(failed.get()).isNull();
            assertThat(waitedMillis).as(backend + ", " + handedOver + ": milliseconds until the loop ran it")
                    .isLessThan(500);
            if (later != null) {
                later.cancel(false);
            }
        }
    }

    @Test
    void aSteppedLoopIsDeterministicForASeed() {
        assertThat(steppedTrace(11)).isEqualTo(steppedTrace(11));
    }

    private static List<Integer> steppedTrace(long seed) {
        SimIo sim = SimIo.open(SimOptions.seed(seed));
        List<Integer> order = new ArrayList<>();
        try (EventLoop loop = EventLoop.stepped(sim)) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                loop.submit(new TestOps.Nop()).thenRun(() -> order.add(n));
            }
            loop.runUntilIdle();
        }
        assertThat(order).hasSize(50);
        return order;
    }

    @Test
    void cancellingAnOperationBeforeItStartsRejectsIt() {
        SimIo sim = SimIo.open(SimOptions.seed(3));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            TestOps.Nop nop = new TestOps.Nop();
            Thread other = Thread.ofVirtual().unstarted(() -> loop.submit(nop));
            other.start();
            joinUninterruptibly(other);
            nop.cancel(false);
            loop.runUntilIdle();
            assertThat(nop.isSettled()).isTrue();
            assertThatThrownBy(nop::join).isInstanceOf(CancellationException.class);
            assertThat(loop.stats().submitted()).isZero();
        }
    }

    @Test
    void aSteppedLoopRejectsSteppingFromAnotherThreadAndAStartedOneRejectsStepping() throws Exception {
        try (EventLoop loop = EventLoop.start(options())) {
            assertThatThrownBy(loop::runOnce).isInstanceOf(IllegalStateException.class);
        }
        SimIo sim = SimIo.open(SimOptions.seed(1));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    loop.runOnce();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.join();
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withSpinTheLoopAndABlockedThreadPollAndFindWhatTheyWaitFor() throws Exception {
        for (boolean spin : new boolean[] {false, true}) {
            EventLoopOptions o = options().withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING)
                    .withCapacity(64).withSingleIssuer(true));
            // Far above a NOP's round trip, so that polling finds most of them before it gives up.
            try (EventLoop loop = EventLoop.start(spin ? o.withSpin(Duration.ofMillis(5)) : o)) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 500; i++) {
                            TestOps.Nop op = loop.submit(new TestOps.Nop());
                            loop.await(op);
                            assertThat(op.getNow(-1)).isZero();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.join();
                assertThat(failure.get()).isNull();
                EventLoopStats stats = loop.stats();
                assertThat(stats.completedOther()).isEqualTo(500);
                if (spin) {
                    // Each operation is one hand-over and one completion: polling finds at least one of them.
                    assertThat(stats.spinHits()).as("%s", stats).isGreaterThanOrEqualTo(500);
                } else {
                    assertThat(stats.spinHits()).isZero();
                }
            }
        }
    }

    @Test
    void spinOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> options().withSpin(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spin=");
        assertThatThrownBy(() -> options().withSpin(EventLoopOptions.SPIN_MAX.plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spin=");
        assertThat(options().withSpin(EventLoopOptions.SPIN_MAX).spin()).isEqualTo(EventLoopOptions.SPIN_MAX);
        assertThat(EventLoopOptions.defaults().spin()).isZero();
    }

    private static void joinUninterruptibly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
