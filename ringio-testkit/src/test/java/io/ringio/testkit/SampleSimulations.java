package io.ringio.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sample test classes for {@link SimulationExtensionTest}, which runs them in a nested JUnit
 * engine. Some fail on purpose, so they must not run on their own: the file's name matches none
 * of Surefire's default includes, and each class is disabled unless the nested engine is given
 * {@link #RUN_SAMPLES_KEY}, in case a -Dtest pattern selects it anyway.
 */
final class SampleSimulations {
    /** The configuration parameter that enables the samples. */
    static final String RUN_SAMPLES_KEY = "io.ringio.testkit.runSimulationSamples";

    /** Every seed a sample was handed, in order; cleared before each nested run. */
    static final List<SimSeed> SEEN = Collections.synchronizedList(new ArrayList<>());
    /** Invocations of {@link FailsOnThirdSeed}, so that it fails on the third whatever the seeds. */
    static final AtomicInteger CALLS = new AtomicInteger();

    private SampleSimulations() {}

    static void reset() {
        SEEN.clear();
        CALLS.set(0);
    }

    /** Disables a sample unless the nested engine carries {@link #RUN_SAMPLES_KEY}. */
    static final class OnlyInNestedEngine implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_SAMPLES_KEY).isPresent()
                    ? ConditionEvaluationResult.enabled("run by SimulationExtensionTest")
                    : ConditionEvaluationResult.disabled("a sample for SimulationExtensionTest, which runs it");
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class SevenSeeds {
        @SimulationTest(seeds = 7)
        void recordsItsSeed(SimSeed seed) {
            SEEN.add(seed);
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class TwoMethods {
        @SimulationTest(seeds = 5)
        void first(SimSeed seed) {
            SEEN.add(seed);
        }

        @SimulationTest(seeds = 5)
        void second(SimSeed seed) {
            SEEN.add(seed);
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class DefaultSeedCount {
        @SimulationTest
        void recordsItsSeed(SimSeed seed) {
            SEEN.add(seed);
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class FailsOnThirdSeed {
        @SimulationTest(seeds = 7)
        void failsOnItsThirdSeed(SimSeed seed) {
            SEEN.add(seed);
            assertEquals(1, CALLS.incrementAndGet() == 3 ? 2 : 1, "deliberate failure");
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class ThrowsOnFirstSeed {
        @SimulationTest(seeds = 3)
        void throwsOnItsFirstSeed(SimSeed seed) {
            SEEN.add(seed);
            throw new IllegalStateException("deliberate exception");
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class FailsInAfterEach {
        @SimulationTest(seeds = 4)
        void passes(SimSeed seed) {
            SEEN.add(seed);
        }

        @AfterEach
        void failsAfterTheSecondSeed() {
            if (SEEN.size() == 2) {
                throw new AssertionError("deliberate failure after the test");
            }
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class AlwaysAborts {
        @SimulationTest(seeds = 3)
        void abortsEverySeed(SimSeed seed) {
            SEEN.add(seed);
            assumeTrue(false, "deliberate assumption failure");
        }
    }

    @ExtendWith(OnlyInNestedEngine.class)
    static final class NoSeeds {
        @SimulationTest(seeds = 0)
        void neverRuns(SimSeed seed) {
            SEEN.add(seed);
        }
    }
}
