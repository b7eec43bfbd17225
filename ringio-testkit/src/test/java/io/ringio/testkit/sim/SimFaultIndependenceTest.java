package io.ringio.testkit.sim;

import io.ringio.io.OpenFlags;
import io.ringio.io.sim.FaultKind;
import io.ringio.io.sim.FaultRule;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimLatency;
import io.ringio.io.sim.SimOptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault rule added after the others does not change when they fire, for the same seed: a user
 * who adds a rule to study a failing run still sees the failure the seed gave before.
 */
class SimFaultIndependenceTest {
    @Test
    void aShortWriteRuleOnAnotherFileDoesNotShiftWhenReadsFail() {
        FaultRule eio = FaultRule.withProbability(FaultKind.READ_EIO, 0.5).onPath("/r");
        List<Integer> alone = readResults(42, eio);
        List<Integer> withOther = readResults(42, eio, FaultRule.always(FaultKind.SHORT_WRITE).onPath("/w"));
        assertThat(alone).as("some reads fail, some do not").contains(-5).contains(4096);
        assertThat(withOther).as("the reads' outcomes with a SHORT_WRITE rule on /w added").isEqualTo(alone);
    }

    @Test
    void aSecondChanceRuleDoesNotShiftTheFirst() {
        FaultRule eio = FaultRule.withProbability(FaultKind.READ_EIO, 0.5).onPath("/r");
        List<Integer> alone = readResults(7, eio);
        List<Integer> withOther = readResults(7, eio, FaultRule.withProbability(FaultKind.WRITE_EIO, 0.5).onPath("/w"));
        assertThat(withOther).isEqualTo(alone);
    }

    /** A rule injected before a crash does not shift when the options' rules fire after it. */
    @Test
    void aRuleInjectedBeforeACrashDoesNotShiftTheRulesAfterIt() {
        FaultRule eio = FaultRule.withProbability(FaultKind.READ_EIO, 0.5).onPath("/r");
        List<List<Integer>> runs = new ArrayList<>();
        for (boolean inject : new boolean[] {false, true}) {
            SimIo io = SimIo.open(SimOptions.seed(11).withLatency(SimLatency.zero()).withFaults(eio));
            if (inject) {
                io.inject(FaultRule.withProbability(FaultKind.WRITE_EIO, 0.5).onPath("/w"));
            }
            runs.add(readResults(io.crash()));
        }
        assertThat(runs.get(0)).as("some reads fail, some do not").contains(-5).contains(4096);
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    private static List<Integer> readResults(long seed, FaultRule... rules) {
        return readResults(SimIo.open(SimOptions.seed(seed).withLatency(SimLatency.zero()).withFaults(rules)));
    }

    /** Opens /r and /w, fills /r, then 64 times writes /w and reads /r: each read's result. Closes {@code io}. */
    private static List<Integer> readResults(SimIo io) {
        List<Integer> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            int[] res = new int[1];
            io.open(1, "/r", OpenFlags.CREATE | OpenFlags.READ_WRITE, 0644);
            io.park(Long.MAX_VALUE, (t, r) -> res[0] = r);
            int r = res[0];
            io.open(2, "/w", OpenFlags.CREATE | OpenFlags.READ_WRITE, 0644);
            io.park(Long.MAX_VALUE, (t, x) -> res[0] = x);
            int w = res[0];
            io.write(3, r, buf, 0);
            io.park(Long.MAX_VALUE, (t, x) -> res[0] = x);
            for (int i = 0; i < 64; i++) {
                io.write(4, w, buf, 0);
                io.park(Long.MAX_VALUE, (t, x) -> { });
                io.read(5, r, buf, 0);
                io.park(Long.MAX_VALUE, (t, x) -> out.add(x));
            }
        } finally {
            io.close();
        }
        return out;
    }
}
