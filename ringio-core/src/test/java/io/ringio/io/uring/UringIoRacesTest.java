package io.ringio.io.uring;

import io.ringio.io.IoOptions;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races in UringIo's bookkeeping: a cancel held in a chain while its target's slot is reused, a
 * handler that fills the SQ while completions are being delivered, and an SQPOLL ring whose SQ
 * fills while its kernel thread sleeps.
 */
class UringIoRacesTest {

    private static Map<Long, Integer> awaitTags(UringIo io, Map<Long, Integer> seen, long... tags) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (long t : tags) {
                all &= seen.containsKey(t);
            }
            if (all) {
                return seen;
            }
            io.park(50_000_000L, (tag, res) -> seen.put(tag, res));
        }
        throw new AssertionError("timed out waiting; seen=" + seen);
    }

    /**
     * A cancel waiting in a linked chain names its target by slot number (the user_data). If the
     * target completes and its slot goes to a new operation before the chain reaches the cancel,
     * the cancel hits the new, unrelated operation.
     */
    @Test
    void aLinkedCancelDoesNotCancelAnUnrelatedOperationThatReusedItsTargetsSlot() {
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(64), "t")) {
            Map<Long, Integer> seen = new LinkedHashMap<>();
            assertThat(io.timeout(1, 10_000_000L)).isTrue();           // target: fires after 10 ms
            assertThat(io.linkNext()).isTrue();
            assertThat(io.timeout(2, 300_000_000L)).isTrue();          // holds the chain for 300 ms
            assertThat(io.cancel(3, 1)).isTrue();                      // then cancels tag 1
            awaitTags(io, seen, 1);                                    // tag 1 done, its slot free
            assertThat(seen.get(1L)).isEqualTo(0);
            assertThat(io.timeout(4, 2_000_000_000L)).isTrue();        // unrelated, takes the freed slot
            awaitTags(io, seen, 2, 3);
            // Tag 1 was no longer in flight when the cancel ran: -ENOENT, and tag 4 untouched.
            assertThat(seen.get(3L)).as("cancel of tag 1; seen=" + seen).isEqualTo(-Errno.ENOENT);
            assertThat(seen).as("tag 4 must still be in flight").doesNotContainKey(4L);
            awaitTags(io, seen, 4);
            assertThat(seen.get(4L)).isEqualTo(0);
        }
    }

    /**
     * A handler that fills the SQ makes flushSubmissions() stash completions into the very batch
     * that deliver() is walking, clobbering the completions not yet delivered.
     */
    @Test
    void submittingFromAHandlerUntilTheSqIsFullLosesNoCompletion() throws Exception {
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(1024).withSqpoll(true).withSubmitBatch(0), "t")) {
            Map<Long, Integer> seen = new LinkedHashMap<>();
            for (long t = 1; t <= 3; t++) {
                assertThat(io.nop(t)).isTrue();
            }
            Thread.sleep(200); // all three completed: one batch holds them
            boolean[] burst = {false};
            Throwable thrown = null;
            try {
                io.park(1_000_000_000L, (tag, res) -> {
                    seen.put(tag, res);
                    if (!burst[0]) {
                        burst[0] = true;
                        try {
                            Thread.sleep(1500); // let the SQPOLL thread go to sleep
                        } catch (InterruptedException e) {
                            throw new RuntimeException(e);
                        }
                        for (long t = 1000; t < 1000 + 600; t++) {
                            assertThat(io.nop(t)).isTrue();
                        }
                    }
                });
            } catch (Throwable e) {
                thrown = e;
            }
            assertThat(thrown).as("park threw").isNull();
            long[] all = new long[603];
            for (int k = 0; k < 3; k++) {
                all[k] = k + 1;
            }
            for (int k = 0; k < 600; k++) {
                all[3 + k] = 1000 + k;
            }
            awaitTags(io, seen, all);
            assertThat(seen).hasSize(603);
        }
    }

    /**
     * On an SQPOLL ring, filling the SQ faster than the SQ thread drains it (here: while the
     * thread sleeps) makes flushSubmissions() give up after 16 spins instead of waiting for room.
     */
    @Test
    void sqpollSubmissionsBeyondTheSqSizeWaitForRoomInsteadOfFailing() throws Exception {
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(1024).withSqpoll(true).withSubmitBatch(0), "t")) {
            Map<Long, Integer> seen = new LinkedHashMap<>();
            Thread.sleep(1500); // the SQ thread goes idle and sleeps
            long[] all = new long[600];
            for (int k = 0; k < 600; k++) {
                all[k] = k + 1;
                assertThat(io.nop(k + 1)).isTrue();
            }
            awaitTags(io, seen, all);
            assertThat(seen).hasSize(600);
        }
    }
}
