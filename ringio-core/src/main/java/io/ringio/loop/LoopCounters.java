package io.ringio.loop;

import io.ringio.sys.Errno;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's counters: written by the loop thread alone, with opaque stores so that another
 * thread's snapshot reads whole values (never half of a long) without costing the loop a fence.
 */
final class LoopCounters {
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    private static final int SUBMITTED = 0;
    private static final int READS = 1;
    private static final int WRITES = 2;
    private static final int SYNCS = 3;
    private static final int OTHER = 4;
    private static final int BYTES_READ = 5;
    private static final int BYTES_WRITTEN = 6;
    private static final int ERRORS = 7;
    private static final int CANCELLED = 8;
    private static final int TURNS = 9;
    private static final int COUNTERS = 10;

    private final long[] counts = new long[COUNTERS];

    private void add(int counter, long delta) {
        // Only the loop thread writes: a plain read of our own last store, then an opaque store.
        COUNT.setOpaque(counts, counter, counts[counter] + delta);
    }

    private long get(int counter) {
        return (long) COUNT.getOpaque(counts, counter);
    }

    void submitted() {
        add(SUBMITTED, 1);
    }

    void turn() {
        add(TURNS, 1);
    }

    void completed(OpKind kind, int result) {
        switch (kind) {
            case READ -> {
                add(READS, 1);
                if (result > 0) {
                    add(BYTES_READ, result);
                }
            }
            case WRITE -> {
                add(WRITES, 1);
                if (result > 0) {
                    add(BYTES_WRITTEN, result);
                }
            }
            case SYNC -> add(SYNCS, 1);
            case OTHER -> add(OTHER, 1);
            case INTERNAL -> {
                return;
            }
        }
        if (result == -Errno.ECANCELED) {
            add(CANCELLED, 1);
        } else if (result < 0) {
            add(ERRORS, 1);
        }
    }

    EventLoopStats snapshot(long enterCalls, long fullQueueWaits, long cqOverflows, int inFlight, int backlog,
                            long pageCacheReads, long pageCacheBytes, long spinHits) {
        return new EventLoopStats(get(SUBMITTED), get(READS) + pageCacheReads, get(WRITES), get(SYNCS), get(OTHER),
                get(BYTES_READ) + pageCacheBytes, get(BYTES_WRITTEN), get(ERRORS), get(CANCELLED), enterCalls,
                fullQueueWaits, cqOverflows, inFlight, backlog, get(TURNS), pageCacheReads, spinHits);
    }
}
