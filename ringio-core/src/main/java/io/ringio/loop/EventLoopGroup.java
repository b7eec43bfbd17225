package io.ringio.loop;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of started {@link EventLoop}s, by default one per core. {@link #next()} hands them
 * out in turn; a file stays on the loop it was opened on.
 */
public final class EventLoopGroup implements AutoCloseable {
    /** Most loops in one group. */
    public static final int LOOPS_MAX = 1024;

    private static volatile EventLoopGroup common;

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(EventLoop[] loops) {
        this.loops = loops;
    }

    /** Starts {@code count} loops with {@code options}; if one fails to start, the others are closed. */
    public static EventLoopGroup start(int count, EventLoopOptions options) {
        Objects.requireNonNull(options, "options");
        if (count < 1 || count > LOOPS_MAX) {
            throw new IllegalArgumentException("count=" + count + " must be in [1, " + LOOPS_MAX + "]");
        }
        EventLoop[] loops = new EventLoop[count];
        try {
            for (int i = 0; i < count; i++) {
                loops[i] = EventLoop.start(options);
            }
        } catch (RuntimeException | Error e) {
            for (EventLoop loop : loops) {
                if (loop != null) {
                    loop.close();
                }
            }
            throw e;
        }
        return new EventLoopGroup(loops);
    }

    /** One loop per available processor, with default options. */
    public static EventLoopGroup start() {
        return start(Runtime.getRuntime().availableProcessors(), EventLoopOptions.defaults());
    }

    /**
     * The group that methods without an explicit loop use: one loop per core with default
     * options, started on first use. Its threads are daemons, and it is never closed: operations
     * still in flight when the JVM exits are abandoned, so sync what must be durable.
     */
    public static EventLoopGroup common() {
        EventLoopGroup g = common;
        if (g == null) {
            synchronized (EventLoopGroup.class) {
                g = common;
                if (g == null) {
                    g = start();
                    common = g;
                }
            }
        }
        return g;
    }

    /** The next loop in turn. */
    public EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** The loops, in order. */
    public List<EventLoop> loops() {
        return List.of(loops);
    }

    /** Closes every loop (see {@link EventLoop#close()}); the first failure is thrown after all have closed. */
    @Override
    public void close() {
        if (this == common) {
            throw new IllegalStateException("the common group is shared and is not closed");
        }
        // EventLoop.close() waits and throws the loop's own failure; one failure must not keep
        // the loops after it open.
        RuntimeException failure = null;
        for (EventLoop loop : loops) {
            try {
                loop.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
