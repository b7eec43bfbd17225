package io.ringio.loop;

import io.ringio.io.IoOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Threads parked in submit on a full hand-off queue return when the loop closes (their operations refused), not never. */
class CloseFullQueueTest {
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
}
