package io.ringio.testkit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test method once per simulation seed, handing each run its seed as a {@link SimSeed}
 * parameter:
 *
 * <pre>{@code
 * @SimulationTest(seeds = 200)
 * void syncedDataSurvivesACrash(SimSeed seed) {
 *     SimIo io = SimIo.open(SimOptions.seed(seed.value()));
 *     ...
 * }
 * }</pre>
 *
 * <h2>Which seeds</h2>
 * The seeds are derived from the test class's name, the method's name and the run's index, so
 * every build runs the same seeds (a CI failure happens again on a laptop) while different tests
 * explore different seeds. Renaming a test therefore changes its seeds. Each run shows its seed
 * in its display name, {@code [3] seed 0x5f0e...}, where {@code [3]} is the run's 1-based
 * position.
 *
 * <h2>System properties</h2>
 * Read when a test method starts; JUnit configuration parameters of the same names work too.
 * <ul>
 *   <li>{@code -Dringio.sim.seed=0x5f0e...} (or decimal): replay. Every {@code @SimulationTest}
 *       that runs, runs exactly this one seed, whatever {@link #seeds()} and
 *       {@code ringio.sim.seeds} say. Combine it with {@code -Dtest=Class#method} to run one case.
 *   <li>{@code -Dringio.sim.seeds=N}: run N seeds (N &gt;= 1) in every {@code @SimulationTest}
 *       instead of {@link #seeds()}, for long runs behind a flag.
 *   <li>{@code -Dringio.sim.baseSeed=<seed>}: mixed into the derivation, so that a long run with
 *       a new base explores seeds the usual runs never try. A failure still prints the one seed
 *       that failed, which replays without the base.
 * </ul>
 * A property that does not parse fails the test method, naming the property and its value.
 *
 * <h2>When a seed fails</h2>
 * The failure's message starts with {@code simulation seed 0x... failed:} and the original
 * message, and its second line is one command that replays exactly that seed of that method;
 * the original throwable is its cause. The same lines go to {@code System.err}. From a module of
 * this repository (its parent directory holds the {@code ringio} launcher) the line reads:
 *
 * <pre>
 *   replay: ./ringio test -pl ringio-testkit -am -Dtest='io.ringio.testkit.CrashTest#syncedDataSurvivesACrash' -Dsurefire.failIfNoSpecifiedTests=false -Dringio.sim.seed=0x5f0e...
 * </pre>
 *
 * to be run from the repository root; elsewhere it is a plain
 * {@code mvn test -Dtest='...#...' -Dringio.sim.seed=0x...}. After the first failing seed, the
 * method's remaining seeds are skipped with the reason {@code an earlier seed (0x...) failed},
 * so that one bug is reported once rather than once per seed. A failed assumption
 * ({@link org.opentest4j.TestAbortedException}) is not a failure: it passes through unchanged
 * and the next seeds still run.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(SimulationExtension.class)
public @interface SimulationTest {
    /**
     * How many seeds to run, at least 1; {@code -Dringio.sim.seeds} overrides it and
     * {@code -Dringio.sim.seed} reduces it to one.
     */
    int seeds() default 100;
}
