package io.ringio.bench.jmh;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.loop.LoopFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one operation costs on one event loop with {@link #IN_FLIGHT} of them in flight, by how
 * the caller waits for it: {@code futures} (each completion's callback submits the next),
 * {@code carried} (as many virtual threads of {@link EventLoop#virtualThreadFactory()}, each
 * making blocking calls) or {@code jdk} (as many virtual threads of the JDK's scheduler, each
 * making the same blocking calls). The operation is an io_uring NOP, which the kernel completes
 * inline, so what remains is the loop, the ring's system calls and the way of waiting: the
 * difference between {@code carried} and {@code futures} is what a blocking call on the loop's own
 * threads adds ({@link EventLoop#await}, and a park and an unpark of a virtual thread, which the
 * JDK does by freezing and thawing its stack).
 *
 * <p><b>Unit: nanoseconds per operation.</b> Each invocation runs {@link #OPS_PER_INVOCATION}
 * operations, {@link #PER_CHAIN} on each of the {@link #IN_FLIGHT} chains or threads, and
 * declares them with {@code @OperationsPerInvocation}. The threads live for the whole trial and
 * are released once per invocation, so starting them is not measured. {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes per operation.
 *
 * <p>Run: {@code ./ringio jmh LoopWaitBenchmark -prof gc -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// virtualThreadFactory() reaches the JDK's virtual-thread builder by reflection (see its Javadoc).
// One caller: the invocations share the loop, the threads and their hand-off.
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class LoopWaitBenchmark {
    /** Operations in flight on the loop: chains of futures, or threads. */
    public static final int IN_FLIGHT = 32;
    /** Operations each chain or thread runs in one invocation. */
    public static final int PER_CHAIN = 64;
    public static final int OPS_PER_INVOCATION = IN_FLIGHT * PER_CHAIN;

    @Param({"futures", "carried", "jdk"})
    public String mode;

    private EventLoop loop;
    private final List<Thread> threads = new ArrayList<>();
    /** One per thread, so that each invocation starts every thread once: 32 in flight from the start. */
    private final List<Semaphore> go = new ArrayList<>();
    private volatile CountDownLatch done;
    private volatile boolean stopping;
    private volatile Throwable failure;
    /** NOPs completed, for tests; adds up once per chain or thread and invocation, not per NOP. */
    private final LongAdder completed = new LongAdder();

    /** A NOP through the loop. */
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

    @Setup(Level.Trial)
    public void startLoop() {
        if (!List.of("futures", "carried", "jdk").contains(mode)) {
            throw new IllegalArgumentException("mode=" + mode + " must be futures, carried or jdk");
        }
        loop = EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults()
                .withBackend(IoOptions.Choice.URING).withCapacity(1024).withSingleIssuer(true)));
        ThreadFactory factory = switch (mode) {
            case "carried" -> loop.virtualThreadFactory();
            case "jdk" -> Thread.ofVirtual().factory();
            default -> null;
        };
        if (factory != null) {
            for (int i = 0; i < IN_FLIGHT; i++) {
                Semaphore mine = new Semaphore(0);
                go.add(mine);
                Thread t = factory.newThread(() -> blockingWorker(mine));
                threads.add(t);
                t.start();
            }
        }
    }

    @TearDown(Level.Trial)
    public void stopLoop() throws InterruptedException {
        stopping = true;
        go.forEach(Semaphore::release);
        for (Thread t : threads) {
            t.join();
        }
        if (loop != null) {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS_PER_INVOCATION)
    public void operations() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(IN_FLIGHT);
        done = latch;
        if (threads.isEmpty()) {
            loop.execute(() -> {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    chain(latch, PER_CHAIN);
                }
            });
        } else {
            go.forEach(Semaphore::release);
        }
        latch.await();
        if (failure != null) {
            throw new IllegalStateException("an operation failed", failure);
        }
    }

    /** NOPs completed by the invocations so far. */
    long completed() {
        return completed.sum();
    }

    /** Runs {@code left} NOPs one after another from completion callbacks, then counts down. */
    private void chain(CountDownLatch latch, int left) {
        if (left == 0) {
            completed.add(PER_CHAIN);
            latch.countDown();
            return;
        }
        try {
            loop.submit(new Nop()).whenComplete((result, e) -> {
                if (e != null) {
                    failure = e;
                    latch.countDown();
                } else {
                    chain(latch, left - 1);
                }
            });
        } catch (Throwable e) {
            // Thrown inside a callback it would be lost, and the invocation would wait for ever.
            failure = e;
            latch.countDown();
        }
    }

    /** Each release of its semaphore: {@link #PER_CHAIN} blocking NOPs, then a count down. */
    private void blockingWorker(Semaphore mine) {
        while (true) {
            mine.acquireUninterruptibly();
            if (stopping) {
                return;
            }
            CountDownLatch latch = done;
            try {
                for (int i = 0; i < PER_CHAIN; i++) {
                    Nop nop = new Nop();
                    loop.submit(nop);
                    loop.await(nop);
                    if (nop.isCompletedExceptionally()) {
                        nop.join();
                    }
                }
                completed.add(PER_CHAIN);
            } catch (Throwable e) {
                failure = e;
            }
            latch.countDown();
        }
    }
}
