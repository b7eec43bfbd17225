package io.ringio.ring;

import io.ringio.sys.Errno;
import io.ringio.sys.Fcntl;
import io.ringio.sys.IoUring;
import io.ringio.sys.KernelTimespec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static io.ringio.ring.RingFixture.cPath;
import static org.assertj.core.api.Assertions.assertThat;

/** Ordering and failure across operations: links, drain, timeouts and cancellation. */
class RingLinkTest extends RingTestCase {
    @TempDir
    Path dir;


    @Override
    protected RingOptions ringOptions() {
        return RingOptions.entries(64);
    }

    private MemorySegment timespecMillis(long millis) {
        MemorySegment ts = arena.allocate(KernelTimespec.LAYOUT);
        KernelTimespec.setNanos(ts, millis * 1_000_000L);
        return ts;
    }

    @Test
    void fsyncLinkedToAFailingWriteIsCancelled() {
        int badFd = 1_000_000;
        int write = ring.prepWrite(badFd, arena.allocate(512), 0, 1);
        ring.addFlags(write, IoUring.IOSQE_IO_LINK);
        ring.prepFsync(badFd, true, 2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isEqualTo(-Errno.EBADF);
        // A broken link is an error, never a success (DESIGN.md, durability rules).
        assertThat(results.get(2L)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void operationLinkedToAShortReadIsCancelled() throws java.io.IOException {
        // The kernel breaks a chain when a read or write transfers less than was asked for.
        Path file = dir.resolve("hundred");
        java.nio.file.Files.write(file, new byte[100]);
        ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, file), Fcntl.O_RDONLY, 0, 1);
        int fd = awaitCompletions(ring, 1).get(1L);
        int read = ring.prepRead(fd, arena.allocate(4096), 0, 2);
        ring.addFlags(read, IoUring.IOSQE_IO_LINK);
        ring.prepNop(3);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(2L)).isEqualTo(100);
        assertThat(results.get(3L)).isEqualTo(-Errno.ECANCELED);
        RingFixture.closeAll(fd);
    }

    @Test
    void operationLinkedToAFailedPipeWriteIsCancelled() {
        // A write to a pipe whose reader is gone fails with EPIPE and breaks the chain.
        int[] pipe = RingFixture.pipe();
        RingFixture.closeAll(pipe[0]);
        int write = ring.prepWrite(pipe[1], arena.allocate(64), -1, 1);
        ring.addFlags(write, IoUring.IOSQE_IO_LINK);
        ring.prepNop(2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isEqualTo(-Errno.EPIPE);
        assertThat(results.get(2L)).isEqualTo(-Errno.ECANCELED);
        RingFixture.closeAll(pipe[1]);
    }

    @Test
    void linkedWriteThenFsyncRunInOrderAndBothSucceed() {
        ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, dir.resolve("f")), Fcntl.O_RDWR | Fcntl.O_CREAT, 0644, 1);
        int fd = awaitCompletions(ring, 1).get(1L);
        int write = ring.prepWrite(fd, arena.allocate(4096), 0, 2);
        ring.addFlags(write, IoUring.IOSQE_IO_LINK);
        ring.prepFsync(fd, true, 3);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(2L)).isEqualTo(4096);
        assertThat(results.get(3L)).isZero();
        assertThat(List.copyOf(results.keySet())).containsExactly(2L, 3L);
        RingFixture.closeAll(fd);
    }

    @Test
    void aHardLinkKeepsTheChainGoingPastAFailure() {
        // IOSQE_IO_HARDLINK orders like IO_LINK but does not cancel the next entry on failure.
        int write = ring.prepWrite(1_000_000, arena.allocate(16), 0, 1);
        ring.addFlags(write, IoUring.IOSQE_IO_HARDLINK);
        ring.prepNop(2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isEqualTo(-Errno.EBADF);
        assertThat(results.get(2L)).isZero();
        assertThat(List.copyOf(results.keySet())).containsExactly(1L, 2L);
    }

    @Test
    void anEventfdWakesAPollOnTheRing() {
        // The event loop's cross-thread wake-up: a write to an eventfd completes a POLL_ADD.
        int efd = io.ringio.sys.Syscalls.eventfd(0, io.ringio.sys.Syscalls.EFD_CLOEXEC | io.ringio.sys.Syscalls.EFD_NONBLOCK);
        assertThat(efd).isGreaterThanOrEqualTo(0);
        ring.prepPollAdd(efd, Fcntl.POLLIN, 1);
        ring.submit();
        MemorySegment one = arena.allocate(java.lang.foreign.ValueLayout.JAVA_LONG);
        one.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 1L);
        MemorySegment callState = io.ringio.sys.Syscalls.newCallState(arena);
        assertThat(io.ringio.sys.Syscalls.write(callState, efd, one)).isEqualTo(8);
        assertThat(awaitCompletions(ring, 1).get(1L) & Fcntl.POLLIN).isEqualTo(Fcntl.POLLIN);
        MemorySegment counter = arena.allocate(java.lang.foreign.ValueLayout.JAVA_LONG);
        assertThat(io.ringio.sys.Syscalls.read(callState, efd, counter)).isEqualTo(8);
        assertThat(counter.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isEqualTo(1L);
        assertThat(io.ringio.sys.Syscalls.read(callState, efd, counter)).isEqualTo(-Errno.EAGAIN);
        assertThat(io.ringio.sys.Syscalls.close(efd)).isZero();
    }

    @Test
    void drainWaitsForEverythingBeforeIt() {
        // Three timeouts of 30 ms are in flight; a drained NOP may start only after all of them.
        for (int i = 0; i < 3; i++) {
            ring.prepTimeout(timespecMillis(30), 0, 0, 10 + i);
        }
        int nop = ring.prepNop(20);
        ring.addFlags(nop, IoUring.IOSQE_IO_DRAIN);
        ring.prepNop(21);
        Map<Long, Integer> results = awaitCompletions(ring, 5);
        List<Long> order = new ArrayList<>(results.keySet());
        assertThat(order.indexOf(20L)).isGreaterThan(order.indexOf(10L))
                .isGreaterThan(order.indexOf(11L)).isGreaterThan(order.indexOf(12L));
        assertThat(results.get(20L)).isZero();
    }

    @Test
    void timeoutCompletesWithEtime() {
        long start = System.nanoTime();
        ring.prepTimeout(timespecMillis(20), 0, 0, 1);
        assertThat(awaitCompletions(ring, 1).get(1L)).isEqualTo(-Errno.ETIME);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
    }

    @Test
    void timeoutWithACountCompletesWhenEnoughOthersHave() {
        ring.prepTimeout(timespecMillis(10_000), 2, 0, 1);
        ring.prepNop(2);
        ring.prepNop(3);
        Map<Long, Integer> results = awaitCompletions(ring, 3);
        assertThat(results.get(1L)).isZero();
    }

    @Test
    void linkTimeoutCancelsAStuckRead() {
        int[] pipe = RingFixture.pipe();
        int read = ring.prepRead(pipe[0], arena.allocate(16), -1, 1);
        ring.addFlags(read, IoUring.IOSQE_IO_LINK);
        ring.prepLinkTimeout(timespecMillis(20), 0, 2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isEqualTo(-Errno.ECANCELED);
        assertThat(results.get(2L)).isEqualTo(-Errno.ETIME);
        RingFixture.closeAll(pipe);
    }

    @Test
    void linkTimeoutIsCancelledWhenTheOperationFinishesInTime() {
        int nop = ring.prepNop(1);
        ring.addFlags(nop, IoUring.IOSQE_IO_LINK);
        ring.prepLinkTimeout(timespecMillis(10_000), 0, 2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isZero();
        assertThat(results.get(2L)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void asyncCancelStopsAPendingRead() {
        int[] pipe = RingFixture.pipe();
        ring.prepRead(pipe[0], arena.allocate(16), -1, 1);
        assertThat(ring.submit()).isEqualTo(1);
        ring.prepCancel(1, 0, 2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L)).isEqualTo(-Errno.ECANCELED);
        assertThat(results.get(2L)).isZero();
        RingFixture.closeAll(pipe);
    }

    @Test
    void asyncCancelOfAnUnknownTagReportsEnoent() {
        ring.prepCancel(12345, 0, 1);
        assertThat(awaitCompletions(ring, 1).get(1L)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void pollAddReportsReadableWhenDataArrives() {
        int[] pipe = RingFixture.pipe();
        ring.prepPollAdd(pipe[0], Fcntl.POLLIN, 1);
        ring.submit();
        ring.prepWrite(pipe[1], arena.allocateFrom("x"), -1, 2);
        Map<Long, Integer> results = awaitCompletions(ring, 2);
        assertThat(results.get(1L) & Fcntl.POLLIN).isEqualTo(Fcntl.POLLIN);
        RingFixture.closeAll(pipe);
    }
}
