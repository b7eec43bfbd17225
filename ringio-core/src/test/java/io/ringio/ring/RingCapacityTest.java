package io.ringio.ring;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static org.assertj.core.api.Assertions.assertThat;

/** What happens at the edges of the rings: a full SQ, a flooded CQ, the in-flight limit. */
class RingCapacityTest {
    @Test
    void aFullSubmissionQueueIsAReturnCode() {
        try (Ring ring = Ring.open(RingOptions.entries(4))) {
            for (int i = 0; i < 4; i++) {
                assertThat(ring.prepNop(i)).isGreaterThanOrEqualTo(0);
            }
            assertThat(ring.prepNop(4)).isEqualTo(Ring.SQ_FULL);
            assertThat(ring.pendingSubmissions()).isEqualTo(4);
            awaitCompletions(ring, 4);
            assertThat(ring.prepNop(4)).isGreaterThanOrEqualTo(0);
            awaitCompletions(ring, 1);
        }
    }

    @Test
    void aFloodedSmallCompletionQueueLosesNothing() {
        // SQ 8, CQ 16, 64 NOPs submitted before any is reaped: 48 must wait in the kernel's
        // overflow backlog (IORING_FEAT_NODROP) and come out when the CQ has room.
        try (Ring ring = Ring.open(RingOptions.entries(8).withCqEntries(16).withInFlightMax(64))) {
            assertThat(ring.cqEntries()).isEqualTo(16);
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 8; i++) {
                    assertThat(ring.prepNop(round * 8L + i)).isGreaterThanOrEqualTo(0);
                }
                assertThat(ring.submit()).isEqualTo(8);
            }
            Set<Long> seen = new HashSet<>(awaitCompletions(ring, 64).keySet());
            assertThat(seen).hasSize(64);
            for (long i = 0; i < 64; i++) {
                assertThat(seen).contains(i);
            }
            assertThat(ring.cqOverflowFlushes()).as("the CQ overflowed and was flushed").isPositive();
            assertThat(ring.cqDropped()).isZero();
            assertThat(ring.inFlight()).isZero();
        }
    }

    @Test
    void theInFlightLimitIsAReturnCodeToo() {
        try (Ring ring = Ring.open(RingOptions.entries(8).withInFlightMax(3))) {
            assertThat(ring.inFlightMax()).isEqualTo(3);
            ring.prepNop(1);
            ring.prepNop(2);
            ring.prepNop(3);
            assertThat(ring.prepNop(4)).isEqualTo(Ring.SQ_FULL);
            awaitCompletions(ring, 3);
            assertThat(ring.prepNop(4)).isGreaterThanOrEqualTo(0);
            awaitCompletions(ring, 1);
        }
    }

    @Test
    void oneMillionNopsAllCompleteExactlyOnce() {
        int total = 1_000_000;
        int batchSize = 128;
        try (Ring ring = Ring.open(RingOptions.entries(batchSize))) {
            CompletionBatch batch = new CompletionBatch(batchSize);
            long next = 0;
            long completed = 0;
            long checksum = 0;
            while (completed < total) {
                while (next < total && ring.prepNop(next) >= 0) {
                    next++;
                }
                assertThat(ring.submitAndWait(1)).isGreaterThanOrEqualTo(0);
                int n = ring.copyCompletions(batch);
                for (int i = 0; i < n; i++) {
                    assertThat(batch.result(i)).isZero();
                    checksum += batch.userData(i);
                }
                completed += n;
            }
            assertThat(completed).isEqualTo(total);
            assertThat(checksum).isEqualTo((long) total * (total - 1) / 2);
            assertThat(ring.completedTotal()).isEqualTo(total);
            assertThat(ring.inFlight()).isZero();
        }
    }
}
