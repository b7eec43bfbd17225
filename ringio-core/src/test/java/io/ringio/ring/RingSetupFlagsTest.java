package io.ringio.ring;

import io.ringio.sys.Fcntl;
import io.ringio.sys.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.ringio.ring.RingFixture.awaitCompletions;
import static io.ringio.ring.RingFixture.cPath;
import static org.assertj.core.api.Assertions.assertThat;

/** Rings set up with the task-running and issuer options, and what the kernel reports back. */
class RingSetupFlagsTest {
    @TempDir
    Path dir;

    private void roundTrip(Ring ring) throws Exception {
        Path file = dir.resolve("f" + ring.fd());
        Files.write(file, new byte[] {1, 2, 3});
        try (Arena arena = Arena.ofConfined()) {
            ring.prepOpenat(Fcntl.AT_FDCWD, cPath(arena, file), Fcntl.O_RDONLY, 0, 1);
            int fd = awaitCompletions(ring, 1).get(1L);
            ring.prepRead(fd, arena.allocate(3), 0, 2);
            ring.prepNop(3);
            Map<Long, Integer> results = awaitCompletions(ring, 2);
            assertThat(results.get(2L)).isEqualTo(3);
            ring.prepClose(fd, 4);
            assertThat(awaitCompletions(ring, 1).get(4L)).isZero();
        }
    }

    @Test
    void deferTaskrunRingDeliversCompletionsWhenTheIssuerReaps() throws Exception {
        try (Ring ring = Ring.open(RingOptions.entries(8).withDeferTaskrun(true))) {
            assertThat(ring.setupFlags() & IoUring.SETUP_DEFER_TASKRUN).isNotZero();
            assertThat(ring.setupFlags() & IoUring.SETUP_SINGLE_ISSUER).isNotZero();
            roundTrip(ring);
        }
    }

    @Test
    void deferTaskrunCompletionsArriveWithoutABlockingWait() {
        // Completions of a DEFER_TASKRUN ring are posted only when the issuer enters the kernel;
        // copyCompletions must notice IORING_SQ_TASKRUN and enter, or a poller would spin forever.
        try (Ring ring = Ring.open(RingOptions.entries(8).withDeferTaskrun(true))) {
            int[] pipe = RingFixture.pipe();
            try (Arena arena = Arena.ofConfined()) {
                ring.prepRead(pipe[0], arena.allocate(1), -1, 1);
                ring.submit();
                ring.prepWrite(pipe[1], arena.allocateFrom("x"), -1, 2);
                ring.submit();
                CompletionBatch batch = new CompletionBatch(4);
                int seen = 0;
                long deadline = System.nanoTime() + RingFixture.WAIT_NANOS;
                while (seen < 2 && System.nanoTime() < deadline) {
                    seen += ring.copyCompletions(batch);
                    Thread.onSpinWait();
                }
                assertThat(seen).isEqualTo(2);
            } finally {
                RingFixture.closeAll(pipe);
            }
        }
    }

    @Test
    void coopTaskrunSingleIssuerClampAndSubmitAllRingsWork() throws Exception {
        try (Ring ring = Ring.open(RingOptions.entries(8).withCoopTaskrun(true).withSingleIssuer(true)
                .withSubmitAll(true))) {
            assertThat(ring.setupFlags() & IoUring.SETUP_COOP_TASKRUN).isNotZero();
            roundTrip(ring);
        }
        // With CLAMP a CQ size past the kernel's maximum is cut to the maximum instead of refused.
        try (Ring ring = Ring.open(RingOptions.entries(8).withClamp(true).withCqEntries(4 * RingOptions.CQ_ENTRIES_MAX))) {
            assertThat(ring.cqEntries()).isEqualTo(RingOptions.CQ_ENTRIES_MAX);
        }
    }

    @Test
    void entriesAreRoundedUpToAPowerOfTwoAndCqDefaultsToTwiceTheSq() {
        try (Ring ring = Ring.open(RingOptions.entries(5))) {
            assertThat(ring.sqEntries()).isEqualTo(8);
            assertThat(ring.cqEntries()).isEqualTo(16);
            assertThat(ring.features() & IoUring.FEAT_NODROP).isNotZero();
            assertThat(IoUring.featureNames(ring.features())).contains("SINGLE_MMAP", "NODROP", "EXT_ARG");
        }
    }

    @Test
    void probeListsTheOpcodesRingioUses() {
        try (Ring ring = Ring.open(RingOptions.entries(2))) {
            OpcodeSet ops = ring.probeOpcodes();
            for (int op : new int[] {IoUring.OP_NOP, IoUring.OP_READ, IoUring.OP_WRITE, IoUring.OP_READV,
                    IoUring.OP_WRITEV, IoUring.OP_READ_FIXED, IoUring.OP_WRITE_FIXED, IoUring.OP_FSYNC,
                    IoUring.OP_OPENAT, IoUring.OP_CLOSE, IoUring.OP_STATX, IoUring.OP_RENAMEAT,
                    IoUring.OP_UNLINKAT, IoUring.OP_MKDIRAT, IoUring.OP_FALLOCATE, IoUring.OP_TIMEOUT,
                    IoUring.OP_LINK_TIMEOUT, IoUring.OP_ASYNC_CANCEL, IoUring.OP_POLL_ADD}) {
                assertThat(ops.supports(op)).as(IoUring.opName(op)).isTrue();
            }
            assertThat(ops.names()).contains("NOP", "READ", "WRITE", "FSYNC");
            assertThat(ops.supports(255)).isFalse();
            assertThat(ops.lastOp()).isGreaterThan(IoUring.OP_MKDIRAT);
        }
    }

    @Test
    void ioUringIsAvailableOnThisMachine() {
        assertThat(Ring.isAvailable()).as("cause: %s", Ring.unavailabilityCause()).isTrue();
        assertThat(Ring.unavailabilityCause()).isNull();
    }
}
