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
    void closeIsNotHeldUpByALinkedChainOrADrainBehindAStuckOperation() {
        // close() must submit the caller's SQEs before its own cancel: otherwise the cancel would
        // become the next link of an open chain, or wait behind a pending IO_DRAIN.
        for (int flag : new int[] {io.ringio.sys.IoUring.IOSQE_IO_LINK, io.ringio.sys.IoUring.IOSQE_IO_DRAIN}) {
            int[] pipe = RingFixture.pipe();
            try (Arena arena = Arena.ofConfined()) {
                Ring ring = Ring.open(RingOptions.entries(8));
                int read = ring.prepRead(pipe[0], arena.allocate(64), -1, 1);
                if (flag == io.ringio.sys.IoUring.IOSQE_IO_LINK) {
                    ring.addFlags(read, flag);
                } else {
                    ring.submit();
                    ring.addFlags(ring.prepNop(2), flag);
                }
                long start = System.nanoTime();
                ring.close();
                assertThat(System.nanoTime() - start).as("close with flag %d", flag).isLessThan(2_000_000_000L);
                assertThat(ring.inFlight()).isZero();
            } finally {
                RingFixture.closeAll(pipe);
            }
        }
    }

    @Test
    void waitingForMoreCompletionsThanAreInFlightIsRejected() {
        try (Ring ring = Ring.open(RingOptions.entries(8))) {
            ring.prepNop(1);
            assertThatThrownBy(() -> ring.submitAndWait(2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minComplete=2");
            assertThatThrownBy(() -> ring.submitAndWait(2, 1_000_000L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inFlight=1");
            RingFixture.awaitCompletions(ring, 1);
        }
    }

    @Test
    void flagsCanOnlyBeAddedToAnSqeNotYetSubmitted() {
        try (Ring ring = Ring.open(RingOptions.entries(8))) {
            int sqe = ring.prepNop(1);
            ring.submit();
            assertThatThrownBy(() -> ring.addFlags(sqe, io.ringio.sys.IoUring.IOSQE_IO_LINK))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqe=" + sqe);
            int next = ring.prepNop(2);
            ring.addFlags(next, io.ringio.sys.IoUring.IOSQE_ASYNC);
            RingFixture.awaitCompletions(ring, 2);
        }
    }

    @Test
    void aSingleIssuerRingBelongsToTheFirstThreadThatUsesItNotTheOneThatOpenedIt() throws Exception {
        Ring ring = Ring.open(RingOptions.entries(8).withSingleIssuer(true).withDeferTaskrun(true));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread issuer = Thread.ofPlatform().name("issuer").start(() -> {
            try {
                ring.prepNop(1);
                assertThat(RingFixture.awaitCompletions(ring, 1).get(1L)).isZero();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        issuer.join();
        assertThat(failure.get()).isNull();
        assertThatThrownBy(() -> ring.prepNop(2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
        // With nothing in flight, close needs no io_uring_enter and works from any thread.
        ring.close();
        assertThat(ring.isClosed()).isTrue();
    }

    @Test
    void aSingleIssuerRingRefusesVirtualThreads() throws Exception {
        try (Ring ring = Ring.open(RingOptions.entries(8).withSingleIssuer(true))) {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    ring.prepNop(1);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }).join();
            assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("platform thread");
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
        assertThatThrownBy(() -> RingOptions.entries(16).withSqpoll(10, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqThreadCpu=-2");
        assertThatThrownBy(() -> RingOptions.entries(16).withSqpoll(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqThreadIdleMs=0");
        assertThatThrownBy(() -> RingOptions.entries(16).withCoopTaskrun(true).withSqpoll(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coopTaskrun");
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
        try (Ring ring = Ring.open(RingOptions.entries(8))) {
            Arena closed = Arena.ofConfined();
            MemorySegment freed = closed.allocate(64);
            closed.close();
            assertThatThrownBy(() -> ring.prepRead(0, freed, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("live native memory");
            try (Arena arena = Arena.ofConfined()) {
                assertThatThrownBy(() -> ring.prepRead(0, arena.allocate(8), -2, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=-2");
                assertThatThrownBy(() -> ring.prepReadv(0, arena.allocate(16), 0, 0, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=0");
                assertThatThrownBy(() -> ring.prepFallocate(0, 0, 0, 0, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=0");
                assertThatThrownBy(() -> ring.prepCancel(5, io.ringio.sys.IoUring.ASYNC_CANCEL_FD, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flags=0x2");
            }
            assertThat(ring.inFlight()).isZero();
        }
        assertThatThrownBy(() -> new CompletionBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=0");
    }
}
