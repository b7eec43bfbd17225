package io.ringio.loop;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Runs virtual threads on a loop's own thread: the scheduler of the threads that
 * {@link EventLoop#virtualThreadFactory()} makes. When such a thread parks (waiting for an
 * operation, say) it unmounts, and the loop's turn goes on; when it is unparked, its continuation
 * is queued here and runs on the loop thread in the loop's next turn. So a blocking call on one
 * of these threads costs no hand-off between threads: its operation goes straight into the
 * {@code Io}, and its completion resumes it on the same thread.
 *
 * <p>JDK 25 has no public API for a virtual thread's scheduler; the JDK's own builder takes one
 * through a constructor that is not exported, reached by reflection. That needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or the module that holds ringio) on the
 * command line; without it {@link #check()} says so.
 *
 * <p>After the loop closed, continuations run on short-lived platform threads instead (one per
 * resumption, so no longer one at a time), so that a thread woken by the close (its operation
 * failed with {@link LoopClosedException}) can still finish.
 */
final class LoopCarrier implements Executor {
    /** The JDK's virtual-thread builder constructor that takes a scheduler, or null when it cannot be reached. */
    private static final Constructor<?> BUILDER;
    /** Why {@link #BUILDER} is null. */
    private static final String UNAVAILABLE;
    /**
     * Which loop the current virtual thread was made for, set for the whole life of such a
     * thread. A plain thread-local, not a scoped value: the threads a carried thread forks in a
     * {@code StructuredTaskScope} would inherit a scoped value, and they run elsewhere.
     */
    static final ThreadLocal<EventLoop> CARRIED = new ThreadLocal<>();

    static {
        Constructor<?> c = null;
        String why = null;
        try {
            c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            c = null;
            why = "this JDK does not let ringio set a virtual thread's scheduler (" + e + "); run with"
                    + " --add-opens java.base/java.lang=" + moduleName()
                    + " to have virtual threads run on the loop's thread";
        }
        BUILDER = c;
        UNAVAILABLE = why;
    }

    private final EventLoop loop;
    /** Thread-safe, unlike the builder it comes from; names the threads {@code <loop>-vt-1}, {@code -2}, and so on. */
    private final ThreadFactory threads;
    /** What {@link #factory()} returns. */
    private final ThreadFactory marked = this::newThread;
    /** Continuations queued on the loop thread. Loop thread only. */
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    /** Continuations queued by other threads (a timer, an unpark from elsewhere). */
    private final ConcurrentLinkedQueue<Runnable> handed = new ConcurrentLinkedQueue<>();
    /** Set once the loop has closed: from then on continuations run on platform threads of their own. */
    private volatile boolean retired;

    private LoopCarrier(EventLoop loop) {
        this.loop = loop;
        try {
            Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) BUILDER.newInstance(this);
            this.threads = builder.name(loop.name() + "-vt-", 1).factory();
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("could not make a virtual-thread builder for " + loop.name() + ": " + e, e);
        }
    }

    /**
     * A carrier for {@code loop}.
     *
     * @throws UnsupportedOperationException when the JDK's builder cannot be reached (see the class comment)
     */
    static LoopCarrier create(EventLoop loop) {
        check();
        return new LoopCarrier(loop);
    }

    /** @throws UnsupportedOperationException when virtual threads cannot be scheduled on a loop here */
    static void check() {
        if (BUILDER == null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
    }

    /** Whether virtual threads can be scheduled on a loop in this JVM. */
    static boolean available() {
        return BUILDER != null;
    }

    private static String moduleName() {
        Module m = LoopCarrier.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    /** The factory {@link EventLoop#virtualThreadFactory()} returns: each thread sets {@link #CARRIED}, then runs its task. */
    ThreadFactory factory() {
        return marked;
    }

    private Thread newThread(Runnable task) {
        Objects.requireNonNull(task, "task");
        return threads.newThread(() -> {
            CARRIED.set(loop);
            task.run();
        });
    }

    /**
     * The scheduler's entry: queues a virtual thread's continuation. On the loop thread (an
     * unpark from a completion, a yield) it waits for the next turn; from elsewhere it is handed
     * over and the loop woken.
     */
    @Override
    public void execute(Runnable continuation) {
        if (retired) {
            runElsewhere(continuation);
        } else if (loop.runsOnLoopThread()) {
            // On the loop thread (the loop itself, or one of these threads running on it).
            ready.addLast(continuation);
        } else {
            handed.add(continuation);
            if (retired) {
                // The loop retired between the two looks: whoever drains last runs it.
                drainHandedElsewhere();
            } else {
                loop.wakeForCarrier();
            }
        }
    }

    /** Whether continuations wait to run. */
    boolean hasReady() {
        return !ready.isEmpty() || !handed.isEmpty();
    }

    /**
     * Runs the continuations queued when this was called (not those they queue in turn, which
     * wait for the next turn); returns how many ran. Loop thread only.
     */
    int runReady() {
        for (Runnable r; (r = handed.poll()) != null; ) {
            ready.addLast(r);
        }
        int n = ready.size();
        for (int i = 0; i < n; i++) {
            ready.pollFirst().run();
        }
        return n;
    }

    /**
     * The loop has closed: continuations from now on, and those still queued, run on platform
     * threads. Idempotent. {@code onLoopThread}: called by the loop thread, which alone may
     * touch the queue of continuations woken on it; a carrier made as the loop closed is retired
     * from elsewhere, and nothing was woken on the loop thread for it.
     */
    void retire(boolean onLoopThread) {
        retired = true;
        if (onLoopThread) {
            for (Runnable r; (r = ready.pollFirst()) != null; ) {
                runElsewhere(r);
            }
        }
        drainHandedElsewhere();
    }

    private void drainHandedElsewhere() {
        for (Runnable r; (r = handed.poll()) != null; ) {
            runElsewhere(r);
        }
    }

    /** One platform thread per resumption: after the close these threads no longer run one at a time. */
    private void runElsewhere(Runnable continuation) {
        Thread.ofPlatform().daemon(true).name(loop.name() + "-closed-carrier").start(continuation);
    }
}
