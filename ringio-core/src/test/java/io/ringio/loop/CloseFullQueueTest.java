package io.ringio.loop;

import io.ringio.io.IoOptions;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Threads parked in submit or execute on a full hand-off queue return when the loop closes, and
 * what they hand over is never lost: a task runs or execute throws, an operation settles.
 */
class CloseFullQueueTest {
    /** Rounds of the race below; the close wins it in nearly every round without the fix. */
    private static final int RACE_ROUNDS = 200;
    @Test
    @Timeout(60)
    void submittersParkedOnAFullQueueAllReturnWhenTheLoopCloses() throws Exception {
        EventLoop loop = EventLoop.start(EventLoopOptions.defaults()
                .withIo(IoOptions.defaults().withCapacity(64).withSingleIssuer(true))
                .withQueueCapacity(2).withCloseGrace(Duration.ZERO));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        int n = 20;
        List<Thread> submitters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            submitters.add(Thread.ofPlatform().daemon(true).start(() -> loop.submit(new TestOps.Nop())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.stats().fullQueueWaits() < n - 2 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(loop.stats().fullQueueWaits()).isEqualTo(n - 2);
        Thread closer = Thread.ofPlatform().daemon(true).start(loop::close);
        while (!loop.isClosed()) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closer.isAlive()).as("close() still waiting").isFalse();
        int stuck = 0;
        String where = "";
        for (Thread t : submitters) {
            t.join(TimeUnit.SECONDS.toMillis(1));
            if (t.isAlive()) {
                stuck++;
                where = java.util.Arrays.toString(t.getStackTrace()).replace(", ", "\n  ");
            }
        }
        assertThat(stuck).as("submitters still parked in submit() after the loop closed; one is at\n  " + where).isZero();
    }

    /**
     * A submitter parked on a full queue is woken by the closing turn's drain, and races the
     * close that follows in the same turn: its task must run, or execute must throw. Before the
     * queue closed with the loop, its offer landed in the queue after the loop's last look at it,
     * and the task was dropped while execute returned normally.
     */
    @Test
    @Timeout(60)
    void aTaskHandedOverAsTheLoopClosesRunsOrIsRefused() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            EventLoop loop = EventLoop.stepped(SimIo.open(SimOptions.seed(round)),
                    EventLoopOptions.defaults().withQueueCapacity(2).withCloseGrace(Duration.ZERO));
            Thread submitter = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    loop.execute(() -> {});
                    loop.execute(() -> {});
                    loop.execute(() -> ran.set(true));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            awaitParkedOnTheQueue(submitter, loop);
            loop.close();
            submitter.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(submitter.isAlive()).as("submitter still in execute() after the close, round " + round).isFalse();
            if (thrown.get() != null) {
                assertThat(thrown.get()).isInstanceOf(LoopClosedException.class);
            }
            assertThat(ran.get() || thrown.get() != null)
                    .as("round " + round + ": execute() returned, but its task never ran").isTrue();
        }
    }

    /** The same race for an operation: its future settles (done or refused), it is never left pending. */
    @Test
    @Timeout(60)
    void anOperationHandedOverAsTheLoopClosesSettles() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            AtomicReference<LoopFuture<?>> last = new AtomicReference<>();
            EventLoop loop = EventLoop.stepped(SimIo.open(SimOptions.seed(round)),
                    EventLoopOptions.defaults().withQueueCapacity(2).withCloseGrace(Duration.ZERO));
            Thread submitter = Thread.ofPlatform().daemon(true).start(() -> {
                loop.submit(new TestOps.Nop());
                loop.submit(new TestOps.Nop());
                last.set(loop.submit(new TestOps.Nop()));
            });
            awaitParkedOnTheQueue(submitter, loop);
            loop.close();
            submitter.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(submitter.isAlive()).as("submitter still in submit() after the close, round " + round).isFalse();
            assertThat(last.get().isSettled()).as("round " + round + ": the operation never settled").isTrue();
            if (last.get().isCompletedExceptionally()) {
                assertThatThrownBy(last.get()::join).hasCauseInstanceOf(LoopClosedException.class);
            }
        }
    }

    /** Waits until {@code t} is parked in the loop's wait for room in its queue. */
    private static void awaitParkedOnTheQueue(Thread t, EventLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) == loop)) {
            assertThat(System.nanoTime() - deadline).as("submitter never parked on the full queue").isNegative();
            Thread.sleep(1);
        }
    }
}
