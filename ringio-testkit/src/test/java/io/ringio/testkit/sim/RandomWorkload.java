package io.ringio.testkit.sim;

import io.ringio.io.FileStat;
import io.ringio.io.OpenFlags;
import io.ringio.io.sim.FaultKind;
import io.ringio.io.sim.FaultRule;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A random mix of every kind of operation, many in flight at once, over a handful of files and
 * directories, with a crash halfway: the simulator's determinism is checked against it. The
 * workload's own choices come from the seed too, and from nothing the simulator returns besides
 * results, so two runs differ only if the simulator does.
 */
final class RandomWorkload {
    private static final int IN_FLIGHT_MAX = 16;
    private static final int NAMES = 6;
    private static final int BUFFER_BYTES = 8192;

    private final SplittableRandom random;
    private final Arena arena;
    private SimIo io;
    private final List<Integer> files = new ArrayList<>();
    /** What each tag in flight was, so that a completed open can be remembered. */
    private final Map<Long, Character> kinds = new HashMap<>();
    private final Map<Long, MemorySegment> reads = new HashMap<>();
    private long nextTag = 1;
    /** A hash of every completion and every byte read, as the workload saw them. */
    private long observed = 17;

    RandomWorkload(long seed, Arena arena) {
        this.random = new SplittableRandom(seed);
        this.arena = arena;
    }

    /** Runs {@code operations} operations on {@code sim}, crashing it halfway; returns the workload's own hash. */
    long run(SimIo sim, int operations) {
        io = sim;
        io.createDurableDirectories("/w");
        for (int done = 0; done < operations; done++) {
            if (done == operations / 2) {
                io = io.crash();
                files.clear();
                kinds.clear();
                reads.clear();
            }
            while (io.inFlight() >= IN_FLIGHT_MAX) {
                io.park(1_000_000_000L, this::complete);
            }
            submitOne();
            if (random.nextInt(4) == 0) {
                io.poll(this::complete);
            }
        }
        while (io.inFlight() > 0) {
            io.park(1_000_000_000L, this::complete);
        }
        return observed;
    }

    /** Options for a run: every fault kind, now and then, so that faults are part of what must repeat. */
    static SimOptions options(long seed) {
        SimOptions options = SimOptions.seed(seed);
        for (FaultKind kind : FaultKind.values()) {
            options = options.withFaults(FaultRule.withProbability(kind, 0.02));
        }
        return options;
    }

    /** The SimIo the workload ended on: after the crash, a new one. */
    SimIo io() {
        return io;
    }

    private void complete(long tag, int result) {
        observed = observed * 1_000_003 + tag * 31 + result;
        Character kind = kinds.remove(tag);
        if (kind != null && kind == 'o' && result >= 0) {
            files.add(result);
        }
        MemorySegment buf = reads.remove(tag);
        if (buf != null && result > 0) {
            for (int i = 0; i < Math.min(result, buf.byteSize()); i++) { // readv: the first buffer only
                observed = observed * 31 + buf.get(ValueLayout.JAVA_BYTE, i);
            }
        }
    }

    private String name() {
        return "/w/" + (random.nextInt(3) == 0 ? "d/" : "") + "n" + random.nextInt(NAMES);
    }

    private int file() {
        // Sometimes a handle that is not open, or no longer: the simulator must say EBADF.
        return files.isEmpty() || random.nextInt(20) == 0 ? random.nextInt(8) : files.get(random.nextInt(files.size()));
    }

    private void submitOne() {
        long tag = nextTag++;
        boolean linked = random.nextInt(10) == 0 && io.linkNext();
        int pick = random.nextInt(19);
        char kind = switch (pick) {
            case 0, 1 -> 'o';
            default -> '-';
        };
        kinds.put(tag, kind);
        boolean accepted = switch (pick) {
            case 0, 1 -> io.open(tag, name(), OpenFlags.READ_WRITE | OpenFlags.CREATE
                    | (random.nextInt(5) == 0 ? OpenFlags.APPEND : 0) | (random.nextInt(5) == 0 ? OpenFlags.DSYNC : 0)
                    | (random.nextInt(5) == 0 ? OpenFlags.DIRECT : 0), 0644);
            case 2 -> {
                int file = file();
                if (random.nextInt(3) == 0 && !files.isEmpty()) {
                    files.remove(Integer.valueOf(file));
                }
                yield io.close(tag, file);
            }
            case 3, 4, 5 -> io.write(tag, file(), buffer(), random.nextInt(64 * 1024));
            case 6, 7 -> {
                MemorySegment buf = arena.allocate(1 + random.nextInt(BUFFER_BYTES), 512);
                reads.put(tag, buf);
                yield io.read(tag, file(), buf, random.nextInt(64 * 1024));
            }
            case 8 -> io.sync(tag, file(), random.nextBoolean());
            case 9 -> io.stat(tag, name(), new FileStat());
            case 10 -> io.rename(tag, name(), name(), random.nextBoolean());
            case 11 -> io.unlink(tag, name());
            case 12 -> random.nextBoolean() ? io.mkdir(tag, "/w/d", 0755) : syncDirectory(tag);
            case 13 -> io.truncate(tag, file(), random.nextInt(64 * 1024));
            case 14 -> io.timeout(tag, random.nextInt(100_000));
            case 16 -> io.writev(tag, file(), new MemorySegment[] {buffer(), buffer()}, 512L * random.nextInt(128));
            case 17 -> {
                MemorySegment[] bufs = {arena.allocate(512, 512), arena.allocate(1024, 512)};
                reads.put(tag, bufs[0]);
                yield io.readv(tag, file(), bufs, 512L * random.nextInt(128));
            }
            case 18 -> io.allocate(tag, file(), random.nextInt(64 * 1024), 1 + random.nextInt(64 * 1024),
                    random.nextBoolean());
            default -> tag > 1 ? io.cancel(tag, Math.max(1, tag - 1 - random.nextInt(8))) : io.nop(tag);
        };
        if (!accepted) {
            throw new AssertionError("submission refused with inFlight=" + io.inFlight() + (linked ? " in a chain" : ""));
        }
    }

    private boolean syncDirectory(long tag) {
        kinds.put(tag, 'o'); // the handle joins the pool; a sync of it syncs the directory
        return io.open(tag, "/w", OpenFlags.DIRECTORY, 0);
    }

    private MemorySegment buffer() {
        int length = 1 + random.nextInt(BUFFER_BYTES);
        // Sector-aligned, so that whether an O_DIRECT write is refused depends on its length and
        // offset, which the seed chooses, and never on where the allocator put the buffer.
        MemorySegment buf = arena.allocate(length, 512);
        for (int i = 0; i < length; i++) {
            buf.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
        }
        return buf;
    }
}
