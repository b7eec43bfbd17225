package io.ringio.bench.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MachineCpuTest {
    private static final List<String> STAT = List.of(
            "cpu  2258506 6898 820656 4124526 613712 0 16868 4691 0 0",
            "cpu0 1109292 3815 285827 2469778 81627 0 2214 2098 0 0",
            "cpu1 1149213 3083 534829 1654748 532084 0 14653 2592 0 0",
            "intr 123 4 5",
            "ctxt 5587468",
            "cpu_extra 1 2 3");

    @Test
    void idleIsIdlePlusIowaitPlusStealAndTheCpusAreTheNumberedLines() {
        MachineCpu m = MachineCpu.parse(STAT);

        assertThat(m.cpus()).isEqualTo(2);
        assertThat(m.idleTicks()).isEqualTo(4124526L + 613712 + 4691);
    }

    @Test
    void busyIsTheCpusTimesTheWallTimeLessTheIdleTime() {
        MachineCpu from = new MachineCpu(2, 1_000);
        MachineCpu to = new MachineCpu(2, 1_150);

        // 2 CPUs for 1 s = 2 CPU seconds, 150 ticks of 10 ms idle = 1.5: 0.5 busy.
        assertThat(MachineCpu.busySeconds(from, to, 1.0, 100)).isCloseTo(0.5, within(1e-12));
        // Idle read a tick late can exceed the wall time: busy is never negative.
        assertThat(MachineCpu.busySeconds(from, new MachineCpu(2, 1_201), 1.0, 100)).isZero();
    }

    @Test
    void aFailedReadingOrAChangeOfCpusIsNotMeasured() {
        assertThat(MachineCpu.busySeconds(new MachineCpu(0, 0), new MachineCpu(2, 10), 1.0, 100)).isNaN();
        assertThat(MachineCpu.busySeconds(new MachineCpu(2, 0), new MachineCpu(3, 10), 1.0, 100)).isNaN();
    }

    @Test
    void aFileThatIsNotProcStatIsRefused() {
        assertThatThrownBy(() -> MachineCpu.parse(List.of("intr 1 2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MachineCpu.parse(List.of("cpu  1 2 3 4")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steal");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aThreadSpinningOnThisMachineShowsAsBusyTime() {
        MachineCpu from = MachineCpu.read();
        long t0 = System.nanoTime();
        long spins = 0;
        while (System.nanoTime() - t0 < 400_000_000L) {
            spins++;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        MachineCpu to = MachineCpu.read();

        assertThat(from.cpus()).isEqualTo(to.cpus()).isGreaterThan(0);
        double busy = MachineCpu.busySeconds(from, to, wall);
        // One CPU spun for the whole 0.4 s: at least that, less a tick per CPU at each end.
        assertThat(busy).as("after %d spins", spins).isBetween(wall - 0.02 * from.cpus(), from.cpus() * wall);
    }
}
