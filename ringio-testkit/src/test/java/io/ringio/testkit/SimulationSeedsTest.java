package io.ringio.testkit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link SimulationSeeds} derives seeds, checked against independent definitions. */
class SimulationSeedsTest {
    private static final String TEST_NAME = "io.ringio.example.CrashTest#syncedDataSurvivesACrash";

    @Test
    void nameHashIsFnv1a64() {
        // Test vectors from the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/).
        assertThat(SimulationSeeds.nameHash("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(SimulationSeeds.nameHash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(SimulationSeeds.nameHash("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void seedsAreTheOutputsOfSplitMix64StartedAtTheNameHash() {
        // The JDK's SplittableRandom is SplitMix64 with the same increment and output function.
        SplittableRandom reference = new SplittableRandom(SimulationSeeds.nameHash(TEST_NAME));
        SimulationSeeds seeds = seeds(100, Map.of());

        for (int i = 0; i < 100; i++) {
            assertThat(seeds.seed(i).value()).as("seed %d", i).isEqualTo(reference.nextLong());
        }
    }

    @Test
    void derivationIsPinnedSoThatCiKeepsItsSeeds() {
        // A change here changes the seeds of every @SimulationTest in every build: make it on
        // purpose, and say so in the commit.
        assertThat(seeds(100, Map.of()).seed(0)).hasToString("0x6e5a3db07a0b226f");
    }

    @Test
    void tenThousandSeedsAreDistinct() {
        SimulationSeeds seeds = seeds(10_000, Map.of());
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < seeds.count(); i++) {
            distinct.add(seeds.seed(i).value());
        }
        assertThat(distinct).hasSize(10_000);
    }

    @Test
    void aBaseSeedOfZeroIsTheSameAsNone() {
        assertThat(seeds(3, Map.of(SimulationExtension.BASE_SEED_PROPERTY, "0")).seed(2))
                .isEqualTo(seeds(3, Map.of()).seed(2));
    }

    @Test
    void replayRunsOneSeedWhateverTheCounts() {
        SimulationSeeds seeds = seeds(100, Map.of(SimulationExtension.SEED_PROPERTY, "0x2a",
                SimulationExtension.SEEDS_PROPERTY, "7", SimulationExtension.BASE_SEED_PROPERTY, "3"));

        assertThat(seeds.count()).isEqualTo(1);
        assertThat(seeds.seed(0)).isEqualTo(new SimSeed(42));
    }

    private static SimulationSeeds seeds(int annotatedCount, Map<String, String> settings) {
        return SimulationSeeds.forTest(TEST_NAME, annotatedCount, key -> Optional.ofNullable(settings.get(key)));
    }
}
