package io.ringio.ring;

import io.ringio.sys.IoUring;
import org.junit.jupiter.api.Test;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static org.assertj.core.api.Assertions.assertThat;

/** A ring whose SQ is polled by a kernel thread (IORING_SETUP_SQPOLL). */
class RingSqpollTest {
    private static final int IDLE_MS = 10;

    @Test
    void sqpollThreadIdlesSleepsAndWakesForNewWork() throws InterruptedException {
        try (Ring ring = Ring.open(RingOptions.entries(16).withSqpoll(IDLE_MS))) {
            assertThat(ring.setupFlags() & IoUring.SETUP_SQPOLL).isNotZero();
            ring.prepNop(1);
            assertThat(ring.submit()).isEqualTo(1);
            assertThat(awaitCompletions(ring, 1).get(1L)).isZero();

            // Past its idle time the SQ thread sleeps and sets IORING_SQ_NEED_WAKEUP; the next
            // submit must notice and wake it, or this NOP would never complete.
            long wakeupsBefore = ring.sqWakeups();
            Thread.sleep(IDLE_MS * 20L);
            ring.prepNop(2);
            assertThat(ring.submit()).isEqualTo(1);
            assertThat(ring.sqWakeups()).isEqualTo(wakeupsBefore + 1);
            assertThat(awaitCompletions(ring, 1).get(2L)).isZero();
        }
    }

    @Test
    void sqpollSubmitsBatchesWithoutEnteringTheKernelWhileAwake() {
        try (Ring ring = Ring.open(RingOptions.entries(64).withSqpoll(1000))) {
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 32; i++) {
                    ring.prepNop(round * 32L + i);
                }
                ring.submit();
                awaitCompletions(ring, 32);
            }
            assertThat(ring.submittedTotal()).isEqualTo(3200);
            assertThat(ring.inFlight()).isZero();
        }
    }
}
