package io.ringio.ring;

import io.ringio.sys.KernelTimespec;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Closing, use after close, and arguments refused before anything reaches the kernel. */
class RingLifecycleTest {
    @Test
    void closeWithOperationsInFlightWaitsForAllOfThem() {
        int[] pipe = RingFixture.pipe();
        try (Arena arena = Arena.ofConfined()) {
            Ring ring = Ring.open(RingOptions.entries(8));
            MemorySegment ts = arena.allocate(KernelTimespec.LAYOUT);
            KernelTimespec.setNanos(ts, 60_000_000_000L);
            ring.prepRead(pipe[0], arena.allocate(64), -1, 1); // never completes on its own
            ring.prepTimeout(ts, 0, 0, 2);                      // a minute away
            ring.submit();
            ring.prepNop(3);                                    // prepared, not yet submitted
            assertThat(ring.inFlight()).isEqualTo(3);
            long start = System.nanoTime();
            ring.close();
            assertThat(System.nanoTime() - start).as("close cancels rather than waits a minute")
                    .isLessThan(5_000_000_000L);
            assertThat(ring.isClosed()).isTrue();
            assertThat(ring.inFlight()).isZero();
            // The memory those operations used is only freed now, after close has returned.
        } finally {
            RingFixture.closeAll(pipe);
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAnIllegalState() {
        Ring ring = Ring.open(RingOptions.entries(2));
        ring.close();
        ring.close();
        assertThatThrownBy(() -> ring.prepNop(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(ring::submit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> ring.copyCompletions(new CompletionBatch(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> ring.registerFilesSparse(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ringSizesOutsideTheKernelsRangeAreRejectedWithTheValue() {
        assertThatThrownBy(() -> RingOptions.entries(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries=0");
        assertThatThrownBy(() -> RingOptions.entries(-8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries=-8");
        assertThatThrownBy(() -> RingOptions.entries(RingOptions.ENTRIES_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries=32769");
        assertThatThrownBy(() -> RingOptions.entries(16).withCqEntries(8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cqEntries=8");
        assertThatThrownBy(() -> RingOptions.entries(16).withCqEntries(RingOptions.CQ_ENTRIES_MAX * 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cqEntries=131072");
        assertThatThrownBy(() -> RingOptions.entries(16).withSqpoll(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqThreadIdleMs=-1");
        assertThatThrownBy(() -> RingOptions.entries(16).withSqThreadCpu(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs sqpoll");
        assertThatThrownBy(() -> RingOptions.entries(16).withInFlightMax(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inFlightMax=-1");
        assertThatThrownBy(() -> RingOptions.entries(16).withDeferTaskrun(true).withSqpoll(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqpoll");
        assertThatThrownBy(() -> Ring.open(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aUserDataAlreadyInFlightIsRejectedAndReservedValuesToo() {
        try (Ring ring = Ring.open(RingOptions.entries(8))) {
            ring.prepNop(7);
            assertThatThrownBy(() -> ring.prepNop(7))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userData=7");
            assertThatThrownBy(() -> ring.prepNop(Long.MIN_VALUE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
            assertThatThrownBy(() -> ring.prepNop(Ring.USER_DATA_RESERVED_MAX))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
            // The refused preparations took no SQE: exactly one completion comes back.
            assertThat(RingFixture.awaitCompletions(ring, 1)).containsOnlyKeys(7L);
            // Once completed, the value is free again.
            ring.prepNop(7);
            assertThat(RingFixture.awaitCompletions(ring, 1)).containsOnlyKeys(7L);
        }
    }

    @Test
    void memoryTheKernelCannotUseIsRejectedBeforeSubmission() {
        try (Ring ring = Ring.open(RingOptions.entries(8)); Arena arena = Arena.ofConfined()) {
            MemorySegment heap = MemorySegment.ofArray(new byte[16]);
            assertThatThrownBy(() -> ring.prepRead(0, heap, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
            MemorySegment noNul = arena.allocate(4).fill((byte) 'a');
            assertThatThrownBy(() -> ring.prepOpenat(-100, noNul, 0, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
            assertThatThrownBy(() -> ring.prepTimeout(arena.allocate(8), 0, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timespec");
            assertThatThrownBy(() -> ring.prepReadv(0, arena.allocate(16), 2, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=2");
            assertThatThrownBy(() -> ring.prepFallocate(0, 0, -1, 10, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=-1");
            assertThatThrownBy(() -> ring.submitAndWait(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minComplete=-1");
            assertThatThrownBy(() -> ring.addFlags(99, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqe=99");
            int sqe = ring.prepNop(1);
            assertThatThrownBy(() -> ring.addFlags(sqe, 1 << 6))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flags=0x40");
            assertThat(ring.inFlight()).isEqualTo(1);
            RingFixture.awaitCompletions(ring, 1);
        }
        assertThatThrownBy(() -> new CompletionBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=0");
    }
}
