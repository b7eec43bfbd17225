package io.ringio.io.channel;

import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** cancel() and timeout(). */
class ChannelIoCancelTest extends ChannelIoTestCase {
    private static final long LONG_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aTimeoutCompletesWithZeroAfterItsTimeAndParkWakesForIt() {
        long tag = tag();
        long start = System.nanoTime();
        assertThat(io.timeout(tag, TimeUnit.MILLISECONDS.toNanos(30))).isTrue();
        int delivered = io.park(TimeUnit.SECONDS.toNanos(5), this::record);
        long elapsed = System.nanoTime() - start;
        assertThat(delivered).isEqualTo(1);
        assertThat(results).containsEntry(tag, 0);
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(elapsed).isLessThan(TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void aZeroTimeoutCompletesAtTheNextPoll() {
        long tag = tag();
        io.timeout(tag, 0);
        assertThat(io.poll(this::record)).isEqualTo(1);
        assertThat(results).containsEntry(tag, 0);
    }

    @Test
    void cancellingAPendingTimeoutCompletesItWithECANCELED() {
        long timeout = tag();
        long cancel = tag();
        io.timeout(timeout, LONG_NANOS);
        io.poll(this::record);
        io.cancel(cancel, timeout);
        assertThat(await(cancel)).isZero();
        assertThat(await(timeout)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void cancellingAnOperationQueuedBehindATimeoutStopsItAndWhatFollows() {
        int file = openNew("untouched");
        long timeout = tag();
        long write = tag();
        long sync = tag();
        io.linkNext();
        io.timeout(timeout, LONG_NANOS);
        io.linkNext();
        io.write(write, file, utf8("never"), 0);
        io.sync(sync, file, false);
        io.poll(this::record);
        long cancelWrite = tag();
        io.cancel(cancelWrite, write);
        assertThat(await(cancelWrite)).isZero();
        assertThat(await(write)).isEqualTo(-Errno.ECANCELED);
        assertThat(await(sync)).isEqualTo(-Errno.ECANCELED);
        // The timeout before it is untouched, and can be cancelled in turn.
        assertThat(results).doesNotContainKey(timeout);
        long cancelTimeout = tag();
        io.cancel(cancelTimeout, timeout);
        assertThat(await(cancelTimeout)).isZero();
        assertThat(await(timeout)).isEqualTo(-Errno.ECANCELED);
        assertThat(dir.resolve("untouched").toFile().length()).isZero();
    }

    @Test
    void aCancelSubmittedWithItsTargetStopsItBeforeItStarts() {
        int file = openNew("quiet");
        long write = tag();
        long cancel = tag();
        io.write(write, file, utf8("never"), 0);
        io.cancel(cancel, write);
        assertThat(await(cancel)).isZero();
        assertThat(await(write)).isEqualTo(-Errno.ECANCELED);
        assertThat(dir.resolve("quiet").toFile().length()).isZero();
    }

    @Test
    void cancellingWhatIsNotInFlightIsENOENT() {
        long nop = tag();
        io.nop(nop);
        assertThat(await(nop)).isZero();
        long late = tag();
        io.cancel(late, nop);
        assertThat(await(late)).isEqualTo(-Errno.ENOENT);
        long unknown = tag();
        io.cancel(unknown, 424242);
        assertThat(await(unknown)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void cancellingARunningOperationIsEALREADYAndItStillCompletes() throws Exception {
        try (Fifo fifo = Fifo.create(dir.resolve("fifo"))) {
            long open = tag();
            // Opening a FIFO for reading blocks in open(2) until a writer comes.
            io.open(open, fifo.path().toString(), OpenFlags.READ, 0);
            io.poll(this::record);
            Fifo.awaitWorkerBlockedInOpen();
            long cancel = tag();
            io.cancel(cancel, open);
            assertThat(await(cancel)).isEqualTo(-Errno.EALREADY);
            fifo.openWriter();
            assertThat(await(open)).isNotNegative();
        }
    }

    @Test
    void aLinkedCancelRunsAfterWhatPrecedesIt() {
        long timeout = tag();
        long first = tag();
        long cancel = tag();
        long target = tag();
        // The target waits behind its own long timeout; the cancel waits for a short one.
        io.linkNext();
        io.timeout(timeout, LONG_NANOS);
        io.nop(target);
        io.linkNext();
        io.timeout(first, TimeUnit.MILLISECONDS.toNanos(20));
        io.cancel(cancel, timeout);
        assertThat(await(cancel)).isZero();
        assertThat(await(first)).isZero();
        assertThat(await(timeout)).isEqualTo(-Errno.ECANCELED);
        assertThat(await(target)).isEqualTo(-Errno.ECANCELED);
    }
}
