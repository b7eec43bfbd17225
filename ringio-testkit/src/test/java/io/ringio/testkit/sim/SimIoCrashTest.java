package io.ringio.testkit.sim;

import io.ringio.io.OpenFlags;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.testkit.SimSeed;
import io.ringio.testkit.SimulationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import static io.ringio.io.OpenFlags.CREATE_NEW;
import static io.ringio.io.OpenFlags.READ_WRITE;
import static io.ringio.io.OpenFlags.WRITE;
import static io.ringio.testkit.sim.Blocking.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator's durability model: what a crash keeps. Invariants that must hold for every seed
 * run under {@link SimulationTest}; claims that something happens "sometimes" run a loop of seeds
 * and count the outcomes.
 */
class SimIoCrashTest {
    private static final String DIR = "/data";
    private static final int SECTOR_BYTES = 512;
    /** Seeds for the claims about how often something happens. */
    private static final int SEEDS_FOR_COUNTS = 300;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void freeMemory() {
        arena.close();
    }

    private SimIo newSim(long seed) {
        SimIo io = SimIo.open(SimOptions.seed(seed));
        io.createDurableDirectories(DIR);
        return io;
    }

    @SimulationTest(seeds = 200)
    void syncedDataSurvivesACrash(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        var random = new java.util.SplittableRandom(seed.value());
        int files = 1 + random.nextInt(4);
        byte[][] synced = new byte[files][];
        for (int f = 0; f < files; f++) {
            synced[f] = pattern(random.nextInt(20_000), seed.value() + f);
            int file = b.open(DIR + "/f" + f, WRITE | CREATE_NEW);
            // Written in a few pieces, in random order, so that syncing covers several writes.
            int pieces = 1 + random.nextInt(4);
            int[] cuts = random.ints(pieces - 1, 0, synced[f].length + 1).sorted().toArray();
            for (int p = pieces - 1; p >= 0; p--) {
                int from = p == 0 ? 0 : cuts[p - 1];
                int to = p == pieces - 1 ? synced[f].length : cuts[p];
                b.writeFully(file, Arrays.copyOfRange(synced[f], from, to), from);
            }
            b.sync(file);
            // Unsynced work after the sync: appends past the synced end, and a file never synced.
            b.writeFully(file, pattern(random.nextInt(5000), ~seed.value()), synced[f].length);
            b.close(file);
        }
        b.syncDirectory(DIR);
        int other = b.open(DIR + "/unsynced", WRITE | CREATE_NEW);
        b.writeFully(other, pattern(3000, 7), 0);

        SimIo after = io.crash();
        Blocking a = new Blocking(after, arena);
        for (int f = 0; f < files; f++) {
            byte[] content = a.contentOf(DIR + "/f" + f);
            assertThat(content).as("file f%d, synced with its directory", f).isNotNull();
            assertThat(content.length).as("size of f%d after the crash", f).isGreaterThanOrEqualTo(synced[f].length);
            assertThat(Arrays.copyOf(content, synced[f].length)).as("synced bytes of f%d", f).isEqualTo(synced[f]);
        }
        after.close();
    }

    @Test
    void aCreatedFileWhoseDirectoryWasNotSyncedMayVanish() {
        int survived = 0;
        int vanished = 0;
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            byte[] data = pattern(5000, seed);
            int file = b.open(DIR + "/new", WRITE | CREATE_NEW);
            b.writeFully(file, data, 0);
            b.sync(file); // the file's data, but not its directory entry
            Blocking a = new Blocking(io.crash(), arena);
            byte[] content = a.contentOf(DIR + "/new");
            if (content == null) {
                vanished++;
            } else {
                assertThat(content).as("content of the synced file that survived, seed %d", seed).isEqualTo(data);
                survived++;
            }
        }
        assertThat(vanished).as("seeds where the file vanished").isPositive();
        assertThat(survived).as("seeds where the file survived").isPositive();
    }

    @SimulationTest(seeds = 100)
    void aCreatedFileSurvivesOnceItsDirectoryIsSynced(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        byte[] data = pattern(5000, seed.value());
        b.createDurably(DIR, "kept", data);
        assertThat(new Blocking(io.crash(), arena).contentOf(DIR + "/kept")).isEqualTo(data);
    }

    @Test
    void aNewDirectoryNeedsItsParentSynced() {
        int survived = 0;
        int vanished = 0;
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            Blocking.ok(b.exec(t -> io.mkdir(t, DIR + "/sub", 0755)), "mkdir");
            b.createDurably(DIR + "/sub", "inside", pattern(100, seed)); // syncs sub, not its parent
            Blocking a = new Blocking(io.crash(), arena);
            if (a.exists(DIR + "/sub")) {
                assertThat(a.contentOf(DIR + "/sub/inside")).as("seed %d", seed).isEqualTo(pattern(100, seed));
                survived++;
            } else {
                vanished++;
            }
        }
        assertThat(vanished).as("seeds where the new directory vanished").isPositive();
        assertThat(survived).as("seeds where it survived").isPositive();
    }

    @SimulationTest(seeds = 100)
    void aNewDirectorySurvivesWithItsParentSynced(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        Blocking.ok(b.exec(t -> io.mkdir(t, DIR + "/sub", 0755)), "mkdir");
        b.createDurably(DIR + "/sub", "inside", pattern(100, 1));
        b.syncDirectory(DIR);
        assertThat(new Blocking(io.crash(), arena).contentOf(DIR + "/sub/inside")).isEqualTo(pattern(100, 1));
    }

    /** What a crash left of one unsynced write over synced data. */
    enum Outcome { KEPT, LOST, TORN }

    @Test
    void anUnsyncedWriteIsSometimesKeptSometimesLostSometimesTornAtASector() {
        int length = 8 * SECTOR_BYTES;
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            byte[] old = pattern(length, 1);
            byte[] fresh = pattern(length, 2);
            b.createDurably(DIR, "f", old);
            int file = b.open(DIR + "/f", WRITE);
            b.writeFully(file, fresh, 0);
            byte[] content = new Blocking(io.crash(), arena).contentOf(DIR + "/f");
            assertThat(content).as("the file, synced with its directory, seed %d", seed).hasSize(length);
            outcomes.merge(classify(content, old, fresh, seed), 1, Integer::sum);
        }
        assertThat(outcomes).as("outcomes over %d seeds", SEEDS_FOR_COUNTS).containsOnlyKeys(Outcome.values());
    }

    /** Kept whole, lost whole, or new up to a sector boundary and old after it; anything else fails. */
    private static Outcome classify(byte[] content, byte[] old, byte[] fresh, long seed) {
        if (Arrays.equals(content, fresh)) {
            return Outcome.KEPT;
        }
        if (Arrays.equals(content, old)) {
            return Outcome.LOST;
        }
        int cut = Arrays.mismatch(content, fresh);
        assertThat(cut % SECTOR_BYTES).as("seed %d: a torn write ends at a sector boundary, not at %d", seed, cut)
                .isZero();
        assertThat(Arrays.copyOfRange(content, cut, content.length)).as("seed %d: after the tear, the old bytes", seed)
                .isEqualTo(Arrays.copyOfRange(old, cut, old.length));
        return Outcome.TORN;
    }

    @Test
    void anUnsyncedRenameHappensWholeOrNotAtAll() {
        int renamed = 0;
        int notRenamed = 0;
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            Blocking.ok(b.exec(t -> io.mkdir(t, DIR + "/other", 0755)), "mkdir");
            b.syncDirectory(DIR);
            b.createDurably(DIR, "a", pattern(700, 3));
            // Across two directories, neither of them synced afterwards.
            Blocking.ok(b.exec(t -> io.rename(t, DIR + "/a", DIR + "/other/b", false)), "rename");
            Blocking a = new Blocking(io.crash(), arena);
            boolean atOld = a.exists(DIR + "/a");
            boolean atNew = a.exists(DIR + "/other/b");
            assertThat(atOld ^ atNew).as("seed %d: the file is under exactly one name (old: %s, new: %s)", seed, atOld,
                    atNew).isTrue();
            assertThat(a.contentOf(atNew ? DIR + "/other/b" : DIR + "/a")).isEqualTo(pattern(700, 3));
            if (atNew) {
                renamed++;
            } else {
                notRenamed++;
            }
        }
        assertThat(renamed).as("seeds where the rename survived").isPositive();
        assertThat(notRenamed).as("seeds where it was undone").isPositive();
    }

    @Test
    void anUnsyncedUnlinkMayBeUndone() {
        int gone = 0;
        int back = 0;
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            b.createDurably(DIR, "doomed", pattern(10, 4));
            Blocking.ok(b.exec(t -> io.unlink(t, DIR + "/doomed")), "unlink");
            if (new Blocking(io.crash(), arena).exists(DIR + "/doomed")) {
                back++;
            } else {
                gone++;
            }
        }
        assertThat(gone).isPositive();
        assertThat(back).isPositive();
    }

    @SimulationTest(seeds = 100)
    void operationsInFlightAtACrashNeverCompleteAndOnlyStartedWritesMayLand(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        int file = b.open(DIR + "/f", READ_WRITE | OpenFlags.CREATE);
        b.sync(file);
        b.syncDirectory(DIR);
        MemorySegment started = b.segment(pattern(4096, 5));
        MemorySegment waiting = b.segment(pattern(4096, 6));
        for (long tag = 1_000; tag < 1_004; tag++) {
            assertThat(io.write(tag, file, started, (tag - 1_000) * 4096)).isTrue();
        }
        io.poll((t, r) -> { }); // hands them over; none is due within the poll's microsecond
        assertThat(io.inFlight()).as("writes still in flight").isEqualTo(4);
        for (long tag = 2_000; tag < 2_004; tag++) {
            assertThat(io.write(tag, file, waiting, 16_384 + (tag - 2_000) * 4096)).isTrue();
        }
        int[] delivered = {0};
        SimIo after = io.crash();
        after.park(10_000_000_000L, (t, r) -> delivered[0]++);
        assertThat(delivered[0]).as("completions delivered after the crash").isZero();
        byte[] content = new Blocking(after, arena).contentOf(DIR + "/f");
        assertThat(content.length).as("size: only the four started writes may have landed").isLessThanOrEqualTo(16_384);
        assertThatThrownBy(() -> io.nop(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("crash");
        assertThatThrownBy(io::crash).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writesInFlightAtACrashSometimesLand() {
        int landed = 0;
        for (long seed = 0; seed < SEEDS_FOR_COUNTS; seed++) {
            SimIo io = newSim(seed);
            Blocking b = new Blocking(io, arena);
            b.createDurably(DIR, "f", new byte[0]);
            int file = b.open(DIR + "/f", WRITE);
            io.write(1_000, file, b.segment(pattern(4096, 5)), 0);
            io.poll((t, r) -> { });
            byte[] content = new Blocking(io.crash(), arena).contentOf(DIR + "/f");
            landed += content.length > 0 ? 1 : 0;
        }
        assertThat(landed).as("seeds where the write in flight landed").isBetween(1, SEEDS_FOR_COUNTS - 1);
    }

    @SimulationTest(seeds = 100)
    void aWriteLinkedBehindASyncThatHadNotCompletedNeverLands(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        b.createDurably(DIR, "wal", new byte[0]);
        int file = b.open(DIR + "/wal", WRITE);
        b.writeFully(file, pattern(4096, 7), 0); // the data, unsynced
        assertThat(io.linkNext()).isTrue();
        assertThat(io.sync(1, file, true)).isTrue();
        assertThat(io.write(2, file, b.segment(pattern(512, 8)), 4096)).isTrue(); // the commit record
        io.poll((t, r) -> { }); // the sync starts; the commit waits behind it
        byte[] content = new Blocking(io.crash(), arena).contentOf(DIR + "/wal");
        assertThat(content.length).as("the commit record after its unfinished sync").isLessThanOrEqualTo(4096);
    }

    @SimulationTest(seeds = 200)
    void aChainOfRenamesLeavesTheFileUnderExactlyOneName(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        b.createDurably(DIR, "a", pattern(100, 1));
        Blocking.ok(b.exec(t -> io.rename(t, DIR + "/a", DIR + "/b", false)), "rename a to b");
        Blocking.ok(b.exec(t -> io.rename(t, DIR + "/b", DIR + "/c", false)), "rename b to c");
        Blocking a = new Blocking(io.crash(), arena);
        int names = (a.exists(DIR + "/a") ? 1 : 0) + (a.exists(DIR + "/b") ? 1 : 0) + (a.exists(DIR + "/c") ? 1 : 0);
        assertThat(names).as("names the file has after the crash").isOne();
    }

    @SimulationTest(seeds = 200)
    void renamingDirectoriesNeverLosesAFileWhoseDirectoriesWereNeverSyncedApart(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        Blocking.ok(b.exec(t -> io.mkdir(t, DIR + "/a", 0755)), "mkdir a");
        Blocking.ok(b.exec(t -> io.mkdir(t, DIR + "/a/b", 0755)), "mkdir a/b");
        b.syncDirectory(DIR);
        b.syncDirectory(DIR + "/a");
        b.createDurably(DIR + "/a/b", "f", pattern(10, 2));
        Blocking.ok(b.exec(t -> io.rename(t, DIR + "/a/b", DIR + "/b", false)), "rename a/b to b");
        Blocking.ok(b.exec(t -> io.rename(t, DIR + "/a", DIR + "/b/a", false)), "rename a to b/a");
        Blocking a = new Blocking(io.crash(), arena);
        int found = (a.exists(DIR + "/a/b/f") ? 1 : 0) + (a.exists(DIR + "/b/f") ? 1 : 0);
        assertThat(found).as("places the file is found after the crash").isOne();
    }

    @SimulationTest(seeds = 50)
    void aCrashAfterCloseKeepsWhatWasSynced(SimSeed seed) {
        SimIo io = newSim(seed.value());
        Blocking b = new Blocking(io, arena);
        b.createDurably(DIR, "f", pattern(1234, 6));
        io.close();
        assertThat(new Blocking(io.crash(), arena).contentOf(DIR + "/f")).isEqualTo(pattern(1234, 6));
    }
}
