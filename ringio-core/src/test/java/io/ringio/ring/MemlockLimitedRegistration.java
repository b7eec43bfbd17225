package io.ringio.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Run in a child JVM without CAP_IPC_LOCK and with a small RLIMIT_MEMLOCK by
 * {@link RingMemlockTest}: prints the result of registering a buffer larger than the limit, one
 * inside it, and of a plain read afterwards, one {@code key=value} per line.
 */
public final class MemlockLimitedRegistration {
    private MemlockLimitedRegistration() {}

    public static void main(String[] args) {
        long tooLarge = Long.parseLong(args[0]);
        long small = Long.parseLong(args[1]);
        try (Ring ring = Ring.open(RingOptions.entries(4)); Arena arena = Arena.ofConfined()) {
            System.out.println("large=" + ring.registerBuffers(arena.allocate(tooLarge, 4096)));
            System.out.println("registered=" + ring.registeredBuffers());
            System.out.println("small=" + ring.registerBuffers(arena.allocate(small, 4096)));
            // Only JDK and ringio classes here: the child runs as nobody, who cannot read ~/.m2.
            ring.prepNop(1);
            ring.submitAndWait(1);
            CompletionBatch batch = new CompletionBatch(1);
            ring.copyCompletions(batch);
            System.out.println("nop=" + batch.result(0));
        }
    }
}
