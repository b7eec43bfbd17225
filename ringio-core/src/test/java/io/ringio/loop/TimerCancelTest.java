package io.ringio.loop;

import io.ringio.io.IoOptions;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduled task whose future was cancelled (cancel returned true) must not run, even when its
 * timer had fired already and its completion was on its way.
 */
class TimerCancelTest {
    /** Two timers due at the same virtual instant; the first one's task cancels the second. */
    @Test
    void aScheduledTaskWhoseCancelSucceededDoesNotRunOnTheSimulator() {
        SimIo sim = SimIo.open(SimOptions.seed(1));
        try (EventLoop loop = EventLoop.stepped(sim)) {
            AtomicBoolean secondRan = new AtomicBoolean();
            LoopFuture<?>[] second = new LoopFuture<?>[1];
            boolean[] cancelled = new boolean[1];
            loop.schedule(() -> cancelled[0] = second[0].cancel(false), 1, TimeUnit.SECONDS);
            second[0] = loop.schedule(() -> secondRan.set(true), 1, TimeUnit.SECONDS);
            loop.runUntilIdle();
            assertThat(cancelled[0]).as("cancel() returned").isTrue();
            assertThat(second[0].isCancelled()).isTrue();
            assertThat(secondRan.get()).as("the task whose future was cancelled ran").isFalse();
        }
    }

    /** io_uring: the timer fires while the loop is busy in a task; that task then cancels it. */
    @Test
    @Timeout(30)
    void aScheduledTaskWhoseCancelSucceededDoesNotRunOnIoUring() throws Exception {
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults()
                .withBackend(IoOptions.Choice.URING).withCapacity(64).withSingleIssuer(true)))) {
            AtomicBoolean ran = new AtomicBoolean();
            LoopFuture<Void> timer = loop.schedule(() -> ran.set(true), 50, TimeUnit.MILLISECONDS);
            Thread.sleep(10); // the loop has submitted the timer to the kernel and parks
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            loop.execute(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                cancelled.complete(timer.cancel(false));
            });
            assertThat(cancelled.get(10, TimeUnit.SECONDS)).as("cancel() returned").isTrue();
            loop.await(timer);
            assertThat(ran.get()).as("the task whose future was cancelled ran").isFalse();
        }
    }
}
