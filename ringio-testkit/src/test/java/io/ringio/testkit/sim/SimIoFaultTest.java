package io.ringio.testkit.sim;

import io.ringio.io.FileStat;
import io.ringio.io.sim.FaultKind;
import io.ringio.io.sim.FaultRule;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.sys.Errno;
import io.ringio.testkit.SimSeed;
import io.ringio.testkit.SimulationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.ringio.io.OpenFlags.READ;
import static io.ringio.io.OpenFlags.READ_WRITE;
import static io.ringio.testkit.sim.Blocking.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/** Each fault kind, observed through the Io the way an engine would meet it. */
class SimIoFaultTest {
    private static final String DIR = "/data";
    private static final String FILE = DIR + "/f";
    private static final int SECTOR_BYTES = 512;
    private static final int LENGTH = 8 * SECTOR_BYTES;

    private final Arena arena = Arena.ofConfined();
    private SimIo io;
    private Blocking b;

    @AfterEach
    void freeMemory() {
        arena.close();
    }

    /** A simulator holding {@link #FILE}, durable, with {@code old} in it; faults from here on. */
    private int setUp(long seed, byte[] old, FaultRule... rules) {
        io = SimIo.open(SimOptions.seed(seed));
        io.createDurableDirectories(DIR);
        b = new Blocking(io, arena);
        b.createDurably(DIR, "f", old);
        for (FaultRule rule : rules) {
            io.inject(rule);
        }
        return b.open(FILE, READ_WRITE);
    }

    private byte[] readAll(int file, int length, long offset, int[] result) {
        MemorySegment buf = arena.allocate(length);
        result[0] = b.read(file, buf, offset);
        return buf.asSlice(0, Math.max(0, result[0])).toArray(ValueLayout.JAVA_BYTE);
    }

    @SimulationTest(seeds = 20)
    void readEioFailsTheReadAndLeavesTheBufferAlone(SimSeed seed) {
        int file = setUp(seed.value(), pattern(LENGTH, 1), FaultRule.always(FaultKind.READ_EIO));
        MemorySegment buf = arena.allocate(LENGTH).fill((byte) 0x5A);
        assertThat(b.read(file, buf, 0)).isEqualTo(-Errno.EIO);
        assertThat(buf.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0x5A);
        assertThat(io.faultsFired(FaultKind.READ_EIO)).isOne();
    }

    @SimulationTest(seeds = 20)
    void writeEioAndEnospcWriteNothing(SimSeed seed) {
        byte[] old = pattern(LENGTH, 1);
        int file = setUp(seed.value(), old, FaultRule.onNth(FaultKind.WRITE_EIO, 1),
                FaultRule.onNth(FaultKind.WRITE_ENOSPC, 2));
        MemorySegment fresh = b.segment(pattern(LENGTH, 2));
        assertThat(b.exec(t -> io.write(t, file, fresh, 0))).isEqualTo(-Errno.EIO);
        assertThat(b.exec(t -> io.write(t, file, fresh, 0))).isEqualTo(-Errno.ENOSPC);
        b.close(file);
        assertThat(b.contentOf(FILE)).isEqualTo(old);
    }

    @SimulationTest(seeds = 20)
    void allocateEnospcChangesNothing(SimSeed seed) {
        int file = setUp(seed.value(), pattern(100, 1), FaultRule.always(FaultKind.ALLOCATE_ENOSPC));
        assertThat(b.exec(t -> io.allocate(t, file, 0, 1 << 20, false))).isEqualTo(-Errno.ENOSPC);
        FileStat stat = new FileStat();
        Blocking.ok(b.exec(t -> io.stat(t, file, stat)), "stat");
        assertThat(stat.size()).isEqualTo(100);
    }

    @SimulationTest(seeds = 50)
    void shortReadsAndWritesTransferAPrefix(SimSeed seed) {
        byte[] old = pattern(LENGTH, 1);
        byte[] fresh = pattern(LENGTH, 2);
        int file = setUp(seed.value(), old, FaultRule.onNth(FaultKind.SHORT_WRITE, 1),
                FaultRule.onNth(FaultKind.SHORT_READ, 1));
        int written = b.exec(t -> io.write(t, file, b.segment(fresh), 0));
        assertThat(written).as("a short write").isBetween(1, LENGTH - 1);
        int[] read = new int[1];
        byte[] got = readAll(file, LENGTH, 0, read);
        assertThat(read[0]).as("a short read").isBetween(1, LENGTH - 1);
        byte[] expected = old.clone();
        System.arraycopy(fresh, 0, expected, 0, written);
        assertThat(got).as("the prefix read").isEqualTo(Arrays.copyOf(expected, read[0]));
        assertThat(readAll(file, LENGTH, 0, read)).as("a read without the fault").isEqualTo(expected);
    }

    @SimulationTest(seeds = 50)
    void aBitFlipChangesOneBitOfWhatIsReadAndNotTheFile(SimSeed seed) {
        byte[] data = pattern(LENGTH, 1);
        int file = setUp(seed.value(), data, FaultRule.onNth(FaultKind.READ_BIT_FLIP, 1));
        int[] read = new int[1];
        byte[] flipped = readAll(file, LENGTH, 0, read);
        assertThat(read[0]).isEqualTo(LENGTH);
        int bits = 0;
        for (int i = 0; i < LENGTH; i++) {
            bits += Integer.bitCount((flipped[i] ^ data[i]) & 0xFF);
        }
        assertThat(bits).as("bits that differ from what was written").isOne();
        assertThat(readAll(file, LENGTH, 0, read)).as("the next read").isEqualTo(data);
    }

    @SimulationTest(seeds = 50)
    void aLatentSectorErrorStaysUntilTheSectorIsRewritten(SimSeed seed) {
        byte[] data = pattern(LENGTH, 1);
        int file = setUp(seed.value(), data, FaultRule.onNth(FaultKind.LATENT_SECTOR_ERROR, 1));
        int[] read = new int[1];
        readAll(file, LENGTH, 0, read);
        assertThat(read[0]).as("the read that found the bad sector").isEqualTo(-Errno.EIO);
        io.clearFaults();
        // Find the bad sector, one sector at a time: exactly one fails.
        int bad = -1;
        for (int s = 0; s < LENGTH / SECTOR_BYTES; s++) {
            readAll(file, SECTOR_BYTES, (long) s * SECTOR_BYTES, read);
            if (read[0] == -Errno.EIO) {
                assertThat(bad).as("a second bad sector").isEqualTo(-1);
                bad = s;
            } else {
                assertThat(read[0]).isEqualTo(SECTOR_BYTES);
            }
        }
        assertThat(bad).as("the bad sector").isNotNegative();
        // It survives a crash: the disk itself has gone bad.
        SimIo after = io.crash();
        b = new Blocking(after, arena);
        io = after;
        int again = b.open(FILE, READ_WRITE);
        readAll(again, LENGTH, 0, read);
        assertThat(read[0]).as("a read of the bad sector after a crash").isEqualTo(-Errno.EIO);
        // Rewriting the whole sector remaps it.
        byte[] fix = Arrays.copyOfRange(data, bad * SECTOR_BYTES, (bad + 1) * SECTOR_BYTES);
        b.writeFully(again, fix, (long) bad * SECTOR_BYTES);
        assertThat(readAll(again, LENGTH, 0, read)).isEqualTo(data);
    }

    @SimulationTest(seeds = 50)
    void aMisdirectedWriteLandsElsewhereInTheFile(SimSeed seed) {
        int length = 64 * SECTOR_BYTES;
        byte[] old = new byte[length];
        int file = setUp(seed.value(), old, FaultRule.onNth(FaultKind.MISDIRECTED_WRITE, 1));
        int size = 8 * SECTOR_BYTES + 100; // a write that is not sector-sized, at an offset that is not aligned
        byte[] fresh = pattern(size, 9);
        long aimed = 24 * SECTOR_BYTES + 7;
        assertThat(b.exec(t -> io.write(t, file, b.segment(fresh), aimed))).as("the write reports success")
                .isEqualTo(size);
        b.close(file);
        byte[] content = b.contentOf(FILE);
        assertThat(Arrays.copyOfRange(content, (int) aimed, (int) aimed + size))
                .as("the range the write aimed at").isEqualTo(new byte[size]);
        int landed = -1;
        for (int at = 0; at + size <= content.length; at += SECTOR_BYTES) {
            if (Arrays.equals(Arrays.copyOfRange(content, at, at + size), fresh)) {
                landed = at;
            }
        }
        assertThat(landed).as("where the bytes landed, at a sector boundary").isNotNegative();
    }

    @SimulationTest(seeds = 20)
    void aFailedSyncKeepsDataDirtyAndALaterSyncMakesItDurable(SimSeed seed) {
        byte[] fresh = pattern(LENGTH, 2);
        int file = setUp(seed.value(), pattern(LENGTH, 1), FaultRule.onNth(FaultKind.SYNC_EIO, 1));
        b.writeFully(file, fresh, 0);
        assertThat(b.exec(t -> io.sync(t, file, true))).isEqualTo(-Errno.EIO);
        assertThat(b.exec(t -> io.sync(t, file, true))).isZero();
        assertThat(new Blocking(io.crash(), arena).contentOf(FILE)).isEqualTo(fresh);
    }

    @SimulationTest(seeds = 20)
    void fsyncgateASecondSyncSucceedsWithTheDataGone(SimSeed seed) {
        byte[] old = pattern(LENGTH, 1);
        int file = setUp(seed.value(), old, FaultRule.onNth(FaultKind.SYNC_DROPS_DIRTY_DATA, 1));
        b.writeFully(file, pattern(LENGTH, 2), 0);
        assertThat(b.exec(t -> io.sync(t, file, false))).as("the first fsync").isEqualTo(-Errno.EIO);
        assertThat(b.exec(t -> io.sync(t, file, false))).as("the second fsync, which proves nothing").isZero();
        int[] read = new int[1];
        assertThat(readAll(file, LENGTH, 0, read)).as("what a read shows now").isEqualTo(old);
        assertThat(new Blocking(io.crash(), arena).contentOf(FILE)).as("what the disk has").isEqualTo(old);
    }

    @Test
    void aRuleOnAPathStrikesOnlyMatchingFiles() {
        int file = setUp(1, pattern(LENGTH, 1), FaultRule.always(FaultKind.READ_EIO).onPath("/data/*.log"));
        int[] read = new int[1];
        readAll(file, LENGTH, 0, read);
        assertThat(read[0]).as("a read of %s", FILE).isEqualTo(LENGTH);
        b.createDurably(DIR, "journal.log", pattern(10, 2));
        int log = b.open(DIR + "/journal.log", READ);
        readAll(log, 10, 0, read);
        assertThat(read[0]).as("a read of journal.log").isEqualTo(-Errno.EIO);
    }

    @Test
    void aRuleOnTheNthStrikesExactlyThatOne() {
        int file = setUp(1, pattern(LENGTH, 1), FaultRule.onNth(FaultKind.READ_EIO, 3));
        int[] read = new int[1];
        int[] results = new int[5];
        for (int i = 0; i < results.length; i++) {
            readAll(file, 16, 0, read);
            results[i] = read[0];
        }
        assertThat(results).containsExactly(16, 16, -Errno.EIO, 16, 16);
    }

    @Test
    void aRuleWithAProbabilityStrikesAboutThatOftenAndTheSameWayForTheSameSeed() {
        int[] first = failuresOf(7);
        assertThat(first[0]).as("failed reads of 1000 at probability 0.1").isBetween(60, 140);
        assertThat(failuresOf(7)).as("the same seed").isEqualTo(first);
        assertThat(failuresOf(8)).as("another seed").isNotEqualTo(first);
    }

    /** Reads 1,000 times with READ_EIO at 0.1; returns the count of failures, then a fingerprint of which failed. */
    private int[] failuresOf(long seed) {
        int file = setUp(seed, pattern(LENGTH, 1), FaultRule.withProbability(FaultKind.READ_EIO, 0.1));
        int[] read = new int[1];
        int failures = 0;
        int fingerprint = 0;
        for (int i = 0; i < 1000; i++) {
            readAll(file, 16, 0, read);
            if (read[0] == -Errno.EIO) {
                failures++;
                fingerprint = fingerprint * 31 + i;
            }
        }
        return new int[] {failures, fingerprint};
    }
}
