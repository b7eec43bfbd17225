package io.ringio.bench.jmh;

import io.ringio.ring.CompletionBatch;
import io.ringio.ring.Ring;
import io.ringio.ring.RingOptions;
import io.ringio.sys.Errno;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of the ring's hot path on one thread, measured with NOPs (which the kernel completes
 * inline, so what remains is ringio's preparation, the io_uring_enter system call and the copy
 * out of the CQ): prepare {@link #batch} NOPs, submit them and wait for all of them with one
 * {@code submitAndWait(batch)}, then copy completions out until every one has arrived.
 *
 * <p><b>Unit: nanoseconds per NOP, for every batch size.</b> {@code @OperationsPerInvocation}
 * takes a constant and cannot follow a {@code @Param}, so each invocation runs a fixed
 * {@link #NOPS_PER_INVOCATION} NOPs as {@code NOPS_PER_INVOCATION / batch} rounds of the cycle
 * above, and declares {@code @OperationsPerInvocation(NOPS_PER_INVOCATION)}. JMH divides by it:
 * the score is ns per NOP, and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per NOP.
 * The batch size must divide {@link #NOPS_PER_INVOCATION}.
 *
 * <p>Steady state allocates nothing: the ring, its in-flight set and the completion batch are
 * created once per trial, and every {@code user_data} is a plain counter.
 *
 * <p>Run: {@code ./ringio jmh NopBenchmark -prof gc -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The forked JVM inherits the host's flags, but -jvmArgs on JMH's command line replaces them;
// appending keeps ringio-core's downcalls free of "restricted method" warnings either way.
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NopBenchmark {
    /** NOPs per benchmark invocation, whatever the batch; JMH divides every score by it. */
    public static final int NOPS_PER_INVOCATION = 128;
    /** Largest batch; the ring has this many SQ entries (and the kernel's default of twice as many CQ entries). */
    public static final int BATCH_MAX = 128;
    /** Bound on copies per round; submitAndWait(batch) returns with all of them ready, so one copy suffices. */
    private static final int COPIES_PER_ROUND_MAX = 1000;

    /** NOPs per submitAndWait. */
    @Param({"1", "8", "32", "128"})
    public int batch;

    private Ring ring;
    private CompletionBatch completions;
    private long nextUserData;

    @Setup(Level.Trial)
    public void openRing() {
        if (batch < 1 || batch > BATCH_MAX || NOPS_PER_INVOCATION % batch != 0) {
            throw new IllegalArgumentException("batch=" + batch + " must be in [1, " + BATCH_MAX
                    + "] and divide NOPS_PER_INVOCATION=" + NOPS_PER_INVOCATION);
        }
        ring = Ring.open(RingOptions.entries(BATCH_MAX));
        completions = new CompletionBatch(BATCH_MAX);
    }

    @TearDown(Level.Trial)
    public void closeRing() {
        if (ring != null) {
            ring.close();
        }
    }

    /** {@link #NOPS_PER_INVOCATION} NOPs in rounds of {@link #batch}; returns how many completed. */
    @Benchmark
    @OperationsPerInvocation(NOPS_PER_INVOCATION)
    public int submitAndComplete() {
        int completed = 0;
        for (int round = NOPS_PER_INVOCATION / batch; round > 0; round--) {
            completed += submitAndCompleteBatch();
        }
        return completed;
    }

    private int submitAndCompleteBatch() {
        for (int i = 0; i < batch; i++) {
            if (ring.prepNop(nextUserData++) < 0) {
                throw new IllegalStateException("no free SQE for NOP " + i + " of batch=" + batch);
            }
        }
        int submitted = ring.submitAndWait(batch);
        if (submitted != batch) {
            throw new IllegalStateException("submitAndWait(" + batch + ") returned " + submitted
                    + (submitted < 0 ? " " + Errno.describe(submitted) : ""));
        }
        int completed = 0;
        for (int copies = 0; completed < batch; copies++) {
            if (copies == COPIES_PER_ROUND_MAX) {
                throw new IllegalStateException(completed + " of batch=" + batch + " NOPs completed after "
                        + copies + " copies");
            }
            int copied = ring.copyCompletions(completions);
            for (int i = 0; i < copied; i++) {
                int result = completions.result(i);
                if (result != 0) {
                    throw new IllegalStateException("a NOP completed with " + Errno.describe(result) + " instead of 0");
                }
            }
            completed += copied;
        }
        return completed;
    }
}
