package io.ringio.io.channel;

import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many operations at once, with chains, timeouts and cancels thrown at random: every operation
 * completes exactly once, and a chain never runs past a failure. Seeded; the seed is in every
 * failure message.
 */
class ChannelIoStressTest extends ChannelIoTestCase {
    private static final int OPERATIONS = Integer.getInteger("stress.operations", 3_000);

    @Override
    int capacity() {
        return 128;
    }

    @Override
    int workers() {
        return 3;
    }

    @Test
    void everyOperationCompletesExactlyOnceAndBrokenChainsStop() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int file = openNew("stress");
        MemorySegment buf = arena.allocate(64);
        // The tags of each chain, in order; and the chain of each tag in flight.
        List<long[]> chains = new ArrayList<>();
        Map<Long, Integer> inFlight = new HashMap<>();
        long next = tags(OPERATIONS);
        long end = next + OPERATIONS;
        while (next < end || !inFlight.isEmpty()) {
            if (next < end) {
                int length = random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 1;
                length = (int) Math.min(length, end - next);
                if (io.capacity() - io.inFlight() >= 32 + length) {
                    long[] chain = new long[length];
                    for (int i = 0; i < length; i++) {
                        if (i < length - 1) {
                            assertThat(io.linkNext()).as("seed %d", seed).isTrue();
                        }
                        long tag = next++;
                        chain[i] = tag;
                        submitRandom(random, tag, file, buf, inFlight);
                        inFlight.put(tag, chains.size());
                    }
                    chains.add(chain);
                }
            }
            int delivered = io.park(random.nextInt(3) == 0 ? TimeUnit.MILLISECONDS.toNanos(1) : 0, (tag, result) -> {
                record(tag, result);
                assertThat(inFlight.remove(tag)).as("seed %d tag %d", seed, tag).isNotNull();
            });
            assertThat(delivered).isLessThanOrEqualTo(capacity());
        }
        assertThat(io.inFlight()).isZero();
        assertThat(results).as("seed %d", seed).hasSize(OPERATIONS);
        for (long[] chain : chains) {
            boolean broken = false;
            for (long tag : chain) {
                int result = results.get(tag);
                if (broken) {
                    assertThat(result).as("seed %d: tag %d after a broken link", seed, tag).isEqualTo(-Errno.ECANCELED);
                }
                // NOPs, timeouts, writes and fsyncs that succeed keep the chain going.
                broken |= result < 0 || shortRead.getOrDefault(tag, false) && result < 64;
            }
        }
    }

    /** The reads: 64 bytes from a file of at most 64, short unless it is full. */
    private final Map<Long, Boolean> shortRead = new HashMap<>();

    private void submitRandom(SplittableRandom random, long tag, int file, MemorySegment buf, Map<Long, Integer> inFlight) {
        switch (random.nextInt(6)) {
            case 0 -> io.nop(tag);
            case 1 -> io.timeout(tag, random.nextInt(2_000_000));
            case 2 -> io.write(tag, file, buf.asSlice(0, 1 + random.nextInt(63)), random.nextInt(64));
            case 3 -> {
                io.read(tag, file, buf, 0);
                shortRead.put(tag, true);
            }
            case 4 -> io.sync(tag, random.nextBoolean() ? file : 9999, true);
            default -> {
                List<Long> targets = new ArrayList<>(inFlight.keySet());
                long target = targets.isEmpty() ? tag + 1_000_000_000L : targets.get(random.nextInt(targets.size()));
                io.cancel(tag, target);
            }
        }
    }
}
