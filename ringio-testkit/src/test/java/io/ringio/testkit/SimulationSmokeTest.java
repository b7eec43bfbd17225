package io.ringio.testkit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SimulationTest} as a user meets it, under this build's own Surefire: a property that
 * must hold for every seed. It also gives {@code -Dringio.sim.seed} something to replay.
 */
class SimulationSmokeTest {
    @SimulationTest(seeds = 20)
    void everySeedReadsBackFromItsPrintedForm(SimSeed seed) {
        assertThat(SimSeed.parse(seed.toString())).isEqualTo(seed);
    }
}
