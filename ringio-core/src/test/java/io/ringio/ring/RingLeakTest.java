package io.ringio.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rings give back every file descriptor, mapping and byte of native memory they take. */
class RingLeakTest {
    private static final int CYCLES = 10_000;
    /** Growth of NMT's "Other" category tolerated as JVM noise. */
    private static final long NATIVE_MARGIN_KIB = 512;

    @Test
    void tenThousandOpenCloseCyclesLeakNoFdMappingOrNativeMemory() {
        // Warm up class loading and the JIT's own allocations before the baseline.
        for (int i = 0; i < 100; i++) {
            Ring.open(RingOptions.entries(8)).close();
        }
        long fds = RingFixture.openFds();
        long maps = RingFixture.mappings();
        long nativeKib = RingFixture.nativeOtherKib();
        for (int i = 0; i < CYCLES; i++) {
            try (Ring ring = Ring.open(RingOptions.entries(8))) {
                ring.prepNop(i);
                // Every tenth ring is closed with its NOP still in flight.
                if (i % 10 != 0) {
                    RingFixture.awaitCompletions(ring, 1);
                }
            }
        }
        assertThat(RingFixture.openFds()).isEqualTo(fds);
        // A mapping or two may come and go with the JVM's own work (code cache, GC); a leak of
        // three mappings per ring would show as tens of thousands.
        assertThat(RingFixture.mappings()).isLessThan(maps + 16);
        // Each ring allocates about 600 bytes of its own (params, call state, wait arguments):
        // a leak would show as some 6 MiB; the JVM's own churn stays well under the margin.
        assertThat(RingFixture.nativeOtherKib()).isLessThan(nativeKib + NATIVE_MARGIN_KIB);
    }

    @Test
    void oneMillionNopsOnOneRingGrowNothing() {
        try (Ring ring = Ring.open(RingOptions.entries(128))) {
            CompletionBatch batch = new CompletionBatch(128);
            runNops(ring, batch, 10_000);
            long fds = RingFixture.openFds();
            long nativeKib = RingFixture.nativeOtherKib();
            runNops(ring, batch, 1_000_000);
            assertThat(RingFixture.openFds()).isEqualTo(fds);
            assertThat(RingFixture.nativeOtherKib()).isLessThan(nativeKib + NATIVE_MARGIN_KIB);
            assertThat(ring.inFlight()).isZero();
        }
    }

    private static void runNops(Ring ring, CompletionBatch batch, int count) {
        long next = 0;
        long done = 0;
        while (done < count) {
            while (next < count && ring.prepNop(next) >= 0) {
                next++;
            }
            ring.submitAndWait(1);
            done += ring.copyCompletions(batch);
        }
    }
}
