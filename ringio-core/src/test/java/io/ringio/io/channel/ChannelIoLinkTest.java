package io.ringio.io.channel;

import io.ringio.io.Io;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** linkNext(): order inside a chain, and a failure or short transfer cancelling the rest. */
class ChannelIoLinkTest extends ChannelIoTestCase {
    @Override
    int workers() {
        return 4;
    }

    @Test
    void linkedWritesToOneOffsetRunInSubmissionOrder() throws IOException {
        int file = openNew("ordered");
        int count = 20;
        long first = tags(count);
        for (int i = 0; i < count; i++) {
            if (i < count - 1) {
                assertThat(io.linkNext()).isTrue();
            }
            assertThat(io.write(first + i, file, utf8(String.format("%02d", i)), 0)).isTrue();
        }
        for (int i = 0; i < count; i++) {
            assertThat(await(first + i)).isEqualTo(2);
        }
        assertThat(Files.readString(dir.resolve("ordered"))).isEqualTo("19");
    }

    @Test
    void aFailedOperationCancelsEverythingLinkedAfterIt() {
        long write = tag();
        long sync = tag();
        long nop = tag();
        io.linkNext();
        io.write(write, 999, utf8("x"), 0);
        io.linkNext();
        io.sync(sync, 999, true);
        io.nop(nop);
        assertThat(await(write)).isEqualTo(-Errno.EBADF);
        // A broken link is an error, never a success (DESIGN.md, durability rules).
        assertThat(await(sync)).isEqualTo(-Errno.ECANCELED);
        assertThat(await(nop)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void aShortReadCancelsTheNextOperationButAFullOneDoesNot() throws IOException {
        Files.write(dir.resolve("hundred"), new byte[100]);
        int file = open("hundred", OpenFlags.READ);
        long full = tag();
        long afterFull = tag();
        long shortRead = tag();
        long afterShort = tag();
        io.linkNext();
        io.read(full, file, arena.allocate(100), 0);
        io.linkNext();
        io.nop(afterFull);
        io.linkNext();
        io.read(shortRead, file, arena.allocate(4096), 0);
        io.nop(afterShort);
        assertThat(await(full)).isEqualTo(100);
        assertThat(await(afterFull)).isZero();
        assertThat(await(shortRead)).isEqualTo(100);
        assertThat(await(afterShort)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void aReadAtEndOfFileIsShortAndBreaksTheChain() {
        int file = openNew("empty");
        long read = tag();
        long next = tag();
        io.linkNext();
        io.read(read, file, arena.allocate(16), 0);
        io.nop(next);
        assertThat(await(read)).isZero();
        assertThat(await(next)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void aLinkedTimeoutDelaysTheNextOperation() {
        long timeout = tag();
        long nop = tag();
        long start = System.nanoTime();
        io.linkNext();
        io.timeout(timeout, TimeUnit.MILLISECONDS.toNanos(50));
        io.nop(nop);
        assertThat(await(nop)).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(await(timeout)).isZero();
    }

    @Test
    void aChainStillOpenAtPollIsDispatchedThenAndEndsThere() {
        long nop = tag();
        long later = tag();
        assertThat(io.linkNext()).isTrue();
        io.nop(nop);
        io.poll(this::record);
        assertThat(await(nop)).isZero();
        io.nop(later);
        assertThat(await(later)).isZero();
    }

    @Test
    void linkNextTwiceBeforeAnOperationLinksOnce() {
        long failing = tag();
        long next = tag();
        assertThat(io.linkNext()).isTrue();
        assertThat(io.linkNext()).isTrue();
        io.read(failing, 999, arena.allocate(8), 0);
        io.nop(next);
        assertThat(await(failing)).isEqualTo(-Errno.EBADF);
        assertThat(await(next)).isEqualTo(-Errno.ECANCELED);
    }

    @Test
    void linkNextNeedsRoomForAWholeChain() {
        int room = capacity() - Io.CHAIN_MAX;
        long first = tags(room);
        for (int i = 0; i < room; i++) {
            assertThat(io.timeout(first + i, TimeUnit.SECONDS.toNanos(30))).isTrue();
        }
        assertThat(io.linkNext()).isTrue();
        long extra = tag();
        io.nop(extra);
        io.nop(tag());
        assertThat(io.linkNext()).isFalse();
        assertThat(await(extra)).isZero();
    }

    @Test
    void aSmallIoLinksAsLongAsItIsEmpty() {
        try (ChannelIo small = ChannelIo.open(4, 1, "test")) {
            assertThat(small.linkNext()).isTrue();
            small.nop(1);
            small.nop(2);
            assertThat(small.linkNext()).isFalse();
        }
    }

    @Test
    void aChainLongerThanChainMaxIsRefused() {
        long first = tags(Io.CHAIN_MAX);
        for (int i = 0; i < Io.CHAIN_MAX - 1; i++) {
            assertThat(io.linkNext()).isTrue();
            io.nop(first + i);
        }
        assertThat(io.inFlight()).isEqualTo(Io.CHAIN_MAX - 1);
        assertThatThrownBy(io::linkNext).isInstanceOf(IllegalStateException.class).hasMessageContaining("CHAIN_MAX");
        io.nop(first + Io.CHAIN_MAX - 1);
        for (int i = 0; i < Io.CHAIN_MAX; i++) {
            assertThat(await(first + i)).isZero();
        }
    }
}
