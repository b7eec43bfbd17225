package io.ringio.testkit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the classes of {@link SampleSimulations} in a nested JUnit engine and checks what
 * {@link SimulationTest} made of them: how many invocations, with which seeds, and how failures
 * are reported.
 */
class SimulationExtensionTest {
    private static final List<String> PROPERTIES = List.of(SimulationExtension.SEED_PROPERTY,
            SimulationExtension.SEEDS_PROPERTY, SimulationExtension.BASE_SEED_PROPERTY);

    @BeforeEach
    void resetSamples() {
        SampleSimulations.reset();
    }

    @Test
    void runsOneInvocationPerSeedEachShowingTheSeedItIsHanded() {
        EngineExecutionResults results = run(SampleSimulations.SevenSeeds.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.started(7).succeeded(7).failed(0).skipped(0));
        List<String> names = startedNames(results);
        assertThat(SampleSimulations.SEEN).hasSize(7).doesNotHaveDuplicates();
        for (int i = 0; i < 7; i++) {
            assertThat(names.get(i)).isEqualTo("[" + (i + 1) + "] seed " + SampleSimulations.SEEN.get(i));
        }
    }

    @Test
    void runsAHundredSeedsByDefault() {
        EngineExecutionResults results = run(SampleSimulations.DefaultSeedCount.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.started(100).succeeded(100));
        assertThat(SampleSimulations.SEEN).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void seedsAreTheSameInEveryRun() {
        run(SampleSimulations.SevenSeeds.class, Map.of());
        List<SimSeed> firstRun = List.copyOf(SampleSimulations.SEEN);
        SampleSimulations.reset();
        run(SampleSimulations.SevenSeeds.class, Map.of());

        assertThat(SampleSimulations.SEEN).hasSize(7).containsExactlyElementsOf(firstRun);
    }

    @Test
    void differentMethodsRunDifferentSeeds() {
        run(SampleSimulations.TwoMethods.class, Map.of());

        assertThat(SampleSimulations.SEEN).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void baseSeedChangesEverySeed() {
        run(SampleSimulations.SevenSeeds.class, Map.of());
        List<SimSeed> usual = List.copyOf(SampleSimulations.SEEN);
        SampleSimulations.reset();
        run(SampleSimulations.SevenSeeds.class, Map.of(SimulationExtension.BASE_SEED_PROPERTY, "0x7"));

        assertThat(SampleSimulations.SEEN).hasSize(7).doesNotHaveDuplicates().doesNotContainAnyElementsOf(usual);
    }

    @Test
    void aFailureNamesItsSeedAndTheLineThatReplaysIt() {
        NestedRun run = runCapturingStderr(SampleSimulations.FailsOnThirdSeed.class);
        EngineExecutionResults results = run.results();

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1).skipped(4));
        SimSeed failedSeed = SampleSimulations.SEEN.get(2);
        Throwable failure = onlyFailure(results);
        String replay = "-Dtest='" + SampleSimulations.FailsOnThirdSeed.class.getName() + "#failsOnItsThirdSeed'";
        assertThat(failure.getMessage())
                .startsWith("simulation seed " + failedSeed + " failed: deliberate failure")
                .contains("\n  replay: ")
                .contains(replay)
                .endsWith(" -D" + SimulationExtension.SEED_PROPERTY + "=" + failedSeed);
        // The original failure is kept, and so are its expected and actual values.
        assertThat(failure.getCause()).isInstanceOf(AssertionFailedError.class).hasMessageContaining("deliberate failure");
        assertThat(failure).isInstanceOfSatisfying(AssertionFailedError.class, comparison -> {
            assertThat(comparison.getExpected().getValue()).isEqualTo(1);
            assertThat(comparison.getActual().getValue()).isEqualTo(2);
        });
        assertThat(run.stderr()).isEqualTo(failure.getMessage() + System.lineSeparator());
    }

    @Test
    void seedsAfterAFailureAreSkippedNamingTheFailedSeed() {
        EngineExecutionResults results = runCapturingStderr(SampleSimulations.FailsOnThirdSeed.class).results();

        SimSeed failedSeed = SampleSimulations.SEEN.get(2);
        List<Event> skipped = results.testEvents().skipped().list();
        assertThat(skipped).hasSize(4);
        assertThat(skipped).allSatisfy(event -> assertThat(event.getPayload(String.class).orElseThrow())
                .startsWith("an earlier seed (" + failedSeed + ") failed"));
        assertThat(skipped.getFirst().getTestDescriptor().getDisplayName()).startsWith("[4] seed 0x");
        assertThat(SampleSimulations.SEEN).hasSize(3);
    }

    @Test
    void anExceptionThatIsNoAssertionKeepsItsTypeInTheMessage() {
        EngineExecutionResults results = runCapturingStderr(SampleSimulations.ThrowsOnFirstSeed.class).results();

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1).skipped(2));
        Throwable failure = onlyFailure(results);
        assertThat(failure).isExactlyInstanceOf(AssertionError.class)
                .hasMessageStartingWith("simulation seed " + SampleSimulations.SEEN.getFirst()
                        + " failed: java.lang.IllegalStateException: deliberate exception\n  replay: ")
                .cause().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailureInAfterEachNamesItsSeedToo() {
        EngineExecutionResults results = runCapturingStderr(SampleSimulations.FailsInAfterEach.class).results();

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1).skipped(2));
        assertThat(onlyFailure(results))
                .hasMessageStartingWith("simulation seed " + SampleSimulations.SEEN.get(1) + " failed: deliberate failure after the test");
    }

    @Test
    void aFailedAssumptionPassesThroughAndTheNextSeedsStillRun() {
        EngineExecutionResults results = run(SampleSimulations.AlwaysAborts.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.started(3).aborted(3).failed(0).skipped(0));
        assertThat(results.testEvents().aborted().list()).allSatisfy(event -> assertThat(
                event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isExactlyInstanceOf(TestAbortedException.class)
                .hasMessage("Assumption failed: deliberate assumption failure"));
    }

    @Test
    void theSeedPropertyRunsExactlyThatSeed() {
        EngineExecutionResults results = run(SampleSimulations.SevenSeeds.class,
                Map.of(SimulationExtension.SEED_PROPERTY, "0x2A"));

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SampleSimulations.SEEN).containsExactly(new SimSeed(42));
        assertThat(startedNames(results)).containsExactly("[1] seed 0x2a");
    }

    @Test
    void theSeedPropertyWinsOverTheSeedsProperty() {
        EngineExecutionResults results = run(SampleSimulations.SevenSeeds.class,
                Map.of(SimulationExtension.SEED_PROPERTY, "-1", SimulationExtension.SEEDS_PROPERTY, "50"));

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SampleSimulations.SEEN).containsExactly(new SimSeed(-1));
    }

    @Test
    void theSeedsPropertyOverridesTheAnnotatedCount() {
        EngineExecutionResults results = run(SampleSimulations.SevenSeeds.class,
                Map.of(SimulationExtension.SEEDS_PROPERTY, "3"));

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        // The first three of the usual seeds, so a short run is a prefix of the usual one.
        List<SimSeed> short3 = List.copyOf(SampleSimulations.SEEN);
        SampleSimulations.reset();
        run(SampleSimulations.SevenSeeds.class, Map.of());
        assertThat(SampleSimulations.SEEN.subList(0, 3)).isEqualTo(short3);
    }

    @Test
    void aBadSeedsPropertyFailsNamingThePropertyAndValue() {
        assertContainerFailsWith(Map.of(SimulationExtension.SEEDS_PROPERTY, "lots"), "-Dringio.sim.seeds=lots is invalid");
        assertContainerFailsWith(Map.of(SimulationExtension.SEEDS_PROPERTY, "0"), "-Dringio.sim.seeds=0 is invalid");
    }

    @Test
    void aBadSeedPropertyFailsNamingThePropertyAndValue() {
        assertContainerFailsWith(Map.of(SimulationExtension.SEED_PROPERTY, "0xZZ"), "-Dringio.sim.seed=0xZZ is invalid");
        assertContainerFailsWith(Map.of(SimulationExtension.BASE_SEED_PROPERTY, "seven"),
                "-Dringio.sim.baseSeed=seven is invalid");
    }

    @Test
    void aSeedCountBelowOneFailsNamingTheMethod() {
        EngineExecutionResults results = run(SampleSimulations.NoSeeds.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(containerFailure(results)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@SimulationTest(seeds = 0)")
                .hasMessageContaining("NoSeeds#neverRuns");
    }

    private static void assertContainerFailsWith(Map<String, String> properties, String message) {
        EngineExecutionResults results = run(SampleSimulations.SevenSeeds.class, properties);

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(containerFailure(results)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
        assertThat(SampleSimulations.SEEN).isEmpty();
    }

    /** What a nested run reported, and what it printed on {@code System.err}. */
    private record NestedRun(EngineExecutionResults results, String stderr) {}

    /**
     * Runs {@code sample} as {@link #run} does, with no properties, catching what it prints on
     * {@code System.err}: a sample's deliberate failure must not show in the build log as if it
     * were a real one.
     */
    private static NestedRun runCapturingStderr(Class<?> sample) {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            EngineExecutionResults results = run(sample, Map.of());
            return new NestedRun(results, stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(savedErr);
        }
    }

    /**
     * Runs {@code sample} in a nested Jupiter engine with exactly the {@code ringio.sim.*}
     * system properties in {@code properties} set (so that a -D given to this build does not
     * leak in), and puts back whatever was set before.
     */
    private static EngineExecutionResults run(Class<?> sample, Map<String, String> properties) {
        Map<String, String> saved = new HashMap<>();
        for (String property : PROPERTIES) {
            saved.put(property, System.getProperty(property));
            System.clearProperty(property);
        }
        try {
            properties.forEach(System::setProperty);
            return EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(SampleSimulations.RUN_SAMPLES_KEY, "true")
                    .selectors(selectClass(sample))
                    .execute();
        } finally {
            for (String property : PROPERTIES) {
                String value = saved.get(property);
                if (value == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, value);
                }
            }
        }
    }

    private static List<String> startedNames(EngineExecutionResults results) {
        return results.testEvents().started().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList();
    }

    private static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        return failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** The one failure of a container: the template method, when its seeds cannot be worked out. */
    private static Throwable containerFailure(EngineExecutionResults results) {
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        return failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}
