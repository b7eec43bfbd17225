package io.ringio.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RingNopTest {
    @Test
    void nopRoundTripReturnsUserDataAndZero() {
        try (Ring ring = Ring.open(RingOptions.entries(8))) {
            assertThat(ring.prepNop(42)).isGreaterThanOrEqualTo(0);
            assertThat(ring.submitAndWait(1)).isEqualTo(1);
            CompletionBatch batch = new CompletionBatch(8);
            assertThat(ring.copyCompletions(batch)).isEqualTo(1);
            assertThat(batch.userData(0)).isEqualTo(42);
            assertThat(batch.result(0)).isZero();
            assertThat(ring.inFlight()).isZero();
        }
    }
}
