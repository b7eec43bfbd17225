package io.ringio.loop;

/**
 * A snapshot of one loop's counters since it started. Read from any thread; the counters are
 * written by the loop thread alone, so a snapshot taken while it runs may be a moment stale and
 * its fields a few operations apart.
 *
 * @param submitted        operations handed to the {@code Io} (timers and cancels included)
 * @param completedReads   reads completed, failed ones included, and those of {@code pageCacheReads}
 * @param completedWrites  writes completed, failed ones included
 * @param completedSyncs   fsyncs and fdatasyncs completed, failed ones included
 * @param completedOther   other operations completed (open, close, stat, directories)
 * @param bytesRead        bytes that reads transferred, the page-cache fast path's included
 * @param bytesWritten     bytes that writes transferred
 * @param errors           operations that completed with an error other than a cancellation
 * @param cancelled        operations that completed cancelled (by a cancel, a timeout or a close)
 * @param enterCalls       {@code io_uring_enter} calls (0 on other backends)
 * @param fullQueueWaits   times a submitting thread waited because the hand-off queue was full
 * @param cqOverflows      times the kernel's completion queue overflowed and was flushed (io_uring)
 * @param inFlight         operations in the {@code Io} now
 * @param backlog          operations accepted and waiting for room in the {@code Io}
 * @param turns            loop turns run
 * @param pageCacheReads   reads served on the caller's thread from the page cache, without the
 *                         {@code Io} (the fast path of RingFile's blocking reads); counted in
 *                         {@code completedReads} too
 * @param spinHits         times polling ({@link EventLoopOptions#spin}) found what it waited for:
 *                         the loop before it would have slept, or a blocked thread before it would
 *                         have parked (0 when spin is off)
 */
public record EventLoopStats(long submitted, long completedReads, long completedWrites, long completedSyncs,
                             long completedOther, long bytesRead, long bytesWritten, long errors, long cancelled,
                             long enterCalls, long fullQueueWaits, long cqOverflows, int inFlight, int backlog,
                             long turns, long pageCacheReads, long spinHits) {
    /** All operations completed, of every kind but the loop's own. */
    public long completed() {
        return completedReads + completedWrites + completedSyncs + completedOther;
    }
}
