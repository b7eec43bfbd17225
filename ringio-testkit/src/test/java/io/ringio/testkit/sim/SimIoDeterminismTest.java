package io.ringio.testkit.sim;

import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimLatency;
import io.ringio.io.sim.SimOptions;
import io.ringio.testkit.SimSeed;
import io.ringio.testkit.SimulationTest;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One seed, one run: the simulator repeats itself exactly, and another seed runs differently. */
class SimIoDeterminismTest {
    private static final int OPERATIONS = 1_000;

    /** The simulator's trace hash and the workload's own, after one run. */
    private record Run(long trace, long observed, long now, long completed) {}

    private static Run run(long seed) {
        try (Arena arena = Arena.ofConfined()) {
            RandomWorkload workload = new RandomWorkload(seed, arena);
            long observed = workload.run(SimIo.open(RandomWorkload.options(seed)), OPERATIONS);
            SimIo io = workload.io();
            Run run = new Run(io.traceHash(), observed, io.nowNanos(), io.operationsCompleted());
            io.close();
            return run;
        }
    }

    @SimulationTest(seeds = 20)
    void theSameSeedGivesAnIdenticalRun(SimSeed seed) {
        Run first = run(seed.value());
        assertThat(first.completed()).as("operations completed").isGreaterThanOrEqualTo(OPERATIONS / 2);
        assertThat(run(seed.value())).as("a second run with seed %s", seed).isEqualTo(first);
    }

    @SimulationTest(seeds = 20)
    void anotherSeedGivesAnotherRun(SimSeed seed) {
        Run run = run(seed.value());
        Run other = run(seed.value() + 1);
        assertThat(other.trace()).as("trace hash of the next seed").isNotEqualTo(run.trace());
    }

    @Test
    void operationsInFlightTogetherCompleteInAnOrderTheSeedChooses() {
        Set<List<Long>> orders = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            List<Long> order = completionOrderOfEightNops(seed);
            assertThat(completionOrderOfEightNops(seed)).as("order for seed %d, again", seed).isEqualTo(order);
            orders.add(order);
        }
        assertThat(orders.size()).as("distinct orders over 20 seeds").isGreaterThan(10);
    }

    private static List<Long> completionOrderOfEightNops(long seed) {
        SimIo io = SimIo.open(SimOptions.seed(seed));
        List<Long> order = new ArrayList<>();
        for (long tag = 0; tag < 8; tag++) {
            io.nop(tag);
        }
        while (order.size() < 8) {
            io.park(1_000_000, (tag, result) -> order.add(tag));
        }
        io.close();
        return order;
    }

    @Test
    void withZeroLatencyCompletionsComeInSubmissionOrder() {
        SimIo io = SimIo.open(SimOptions.seed(1).withLatency(SimLatency.zero()));
        List<Long> order = new ArrayList<>();
        for (long tag = 0; tag < 8; tag++) {
            io.nop(tag);
        }
        io.poll((tag, result) -> order.add(tag));
        assertThat(order).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void theVirtualClockMovesOnlyInPollAndPark() {
        SimIo io = SimIo.open(SimOptions.seed(1));
        assertThat(io.nowNanos()).isZero();
        io.timeout(1, 5_000_000);
        assertThat(io.nowNanos()).as("after a submission").isZero();
        long[] firedAt = {-1};
        io.park(1_000_000, (tag, result) -> firedAt[0] = io.nowNanos());
        assertThat(io.nowNanos()).as("after a park of 1 ms with the timeout not due").isEqualTo(1_000_000);
        assertThat(firedAt[0]).isEqualTo(-1);
        io.park(Long.MAX_VALUE, (tag, result) -> firedAt[0] = io.nowNanos());
        assertThat(firedAt[0]).as("when the 5 ms timeout fired").isEqualTo(5_000_000);
        io.poll((tag, result) -> { });
        assertThat(io.nowNanos()).as("a poll lets a microsecond pass").isEqualTo(5_001_000);
        io.close();
    }
}
