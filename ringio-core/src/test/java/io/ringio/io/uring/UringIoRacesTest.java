package io.ringio.io.uring;

import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races in UringIo's bookkeeping: a cancel held in a chain while its target's slot is reused, a
 * handler that fills the SQ while completions are being delivered, an SQPOLL ring whose SQ
 * fills while its kernel thread sleeps, and a close whose fd is reused before its completion.
 */
class UringIoRacesTest {
    @TempDir
    Path dir;

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

    /**
     * A close frees its fd in the kernel when it runs, but its registered-file entry is emptied
     * when its completion is delivered. An open in the same submission can take the freed number
     * and complete first: here the open (O_CREAT, so the kernel hands it to an io-wq worker)
     * posts its completion while the inline close's waits for the end of the submission, which
     * reads of a large cached file keep busy. The open's handler reads the new file and closes
     * it, linked; the old close's late completion must not empty the entry that the read, still
     * in the SQ, names.
     */
    @Test
    void aLateCloseCompletionDoesNotEmptyTheEntryOfAFileThatReusedItsFd() throws Exception {
        Path old = dir.resolve("old");
        Path reuser = dir.resolve("reuser");
        Path pad = dir.resolve("pad");
        Files.writeString(old, "old");
        Files.writeString(reuser, "reuser");
        Files.write(pad, new byte[PAD_READS << 20]);
        int reorderings = 0;
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(64).withSubmitBatch(0), "t");
             Arena arena = Arena.ofConfined()) {
            assertThat(io.hasFileTable()).isTrue();
            Map<Long, Integer> seen = new LinkedHashMap<>();
            assertThat(io.open(1, pad.toString(), OpenFlags.READ, 0)).isTrue();
            int padFd = awaitTags(io, seen, 1).get(1L);
            MemorySegment big = arena.allocate(1 << 20, 4096);
            // Exactly the file's length: a short read would break the link to the close.
            MemorySegment in = arena.allocate("reuser".length());
            for (int attempt = 0; attempt < 50 && reorderings < 5; attempt++) {
                seen.clear();
                assertThat(io.open(2, old.toString(), OpenFlags.READ, 0)).isTrue();
                int oldFd = awaitTags(io, seen, 2).get(2L);
                seen.clear();
                // One submission: the close, the open that may take its fd, then the padding.
                assertThat(io.close(3, oldFd)).isTrue();
                assertThat(io.open(4, reuser.toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
                for (int i = 0; i < PAD_READS; i++) {
                    assertThat(io.read(100 + i, padFd, big, (long) i << 20)).isTrue();
                }
                boolean[] reordered = {false};
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!(seen.containsKey(3L) && seen.containsKey(4L)) && System.nanoTime() < deadline) {
                    io.park(10_000_000L, (tag, res) -> {
                        seen.put(tag, res);
                        if (tag == 4 && res == oldFd && !seen.containsKey(3L)) {
                            // The fd reused, and the old close not yet delivered.
                            reordered[0] = true;
                            assertThat(io.linkNext()).isTrue();
                            assertThat(io.read(5, res, in, 0)).isTrue();
                            assertThat(io.close(6, res)).isTrue();
                        }
                    });
                }
                if (reordered[0]) {
                    reorderings++;
                    awaitTags(io, seen, 3, 5, 6);
                    assertThat(seen.get(5L)).as("the read on the file that reused fd %d; seen=%s", oldFd, seen)
                            .isEqualTo("reuser".length());
                    assertThat(seen.get(6L)).isEqualTo(0);
                } else {
                    assertThat(io.close(7, seen.get(4L))).isTrue();
                    awaitTags(io, seen, 7);
                }
                for (int i = 0; i < PAD_READS; i++) {
                    awaitTags(io, seen, 100 + i);
                }
                assertThat(io.registeredFiles()).as("only the padding file stays registered").isEqualTo(1);
            }
        }
        Assumptions.assumeTrue(reorderings > 0, "this kernel never delivered the open before the close");
    }

    /** Reads of 1 MiB that keep a submission busy after the open. */
    private static final int PAD_READS = 4;
}
