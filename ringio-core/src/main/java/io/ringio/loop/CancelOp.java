package io.ringio.loop;

import io.ringio.io.Io;

/**
 * Asks the {@code Io} to cancel an operation in flight. Its own result does not matter: the
 * target completes either way, cancelled or with its own result.
 */
final class CancelOp extends LoopFuture<Void> {
    private final long targetTag;

    CancelOp(long targetTag) {
        this.targetTag = targetTag;
    }

    @Override
    protected boolean start(Io io, long tag) {
        return io.cancel(tag, targetTag);
    }

    @Override
    protected void completed(int result) {
        complete(null);
    }

    @Override
    protected OpKind kind() {
        return OpKind.INTERNAL;
    }
}
