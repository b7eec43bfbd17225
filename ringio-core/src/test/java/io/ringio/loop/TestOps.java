package io.ringio.loop;

import io.ringio.io.Io;

/** Small operations for loop tests: a NOP and an Io timeout that completes with its result. */
final class TestOps {
    private TestOps() {}

    /** Completes with the Io's result, or fails with the mapped exception. */
    static final class Nop extends LoopFuture<Integer> {
        @Override
        protected boolean start(Io io, long tag) {
            return io.nop(tag);
        }

        @Override
        protected void completed(int result) {
            if (result < 0) {
                completeExceptionally(failure(result, "nop", null));
            } else {
                complete(result);
            }
        }
    }

    /** An Io timeout, standing for an operation that takes {@code nanos}. */
    static final class Slow extends LoopFuture<Integer> {
        private final long nanos;

        Slow(long nanos) {
            this.nanos = nanos;
        }

        @Override
        protected boolean start(Io io, long tag) {
            return io.timeout(tag, nanos);
        }

        @Override
        protected void completed(int result) {
            if (result < 0) {
                completeExceptionally(failure(result, "slow", null));
            } else {
                complete(result);
            }
        }
    }
}
