package io.ringio.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The JUnit 5 extension behind {@link SimulationTest}: it runs the annotated method once per seed,
 * resolves its {@link SimSeed} parameter, names the seed and a replay command in any failure, and
 * skips the method's remaining seeds after the first failure. Use it through
 * {@link SimulationTest}, which registers it; registered on its own, it leaves test templates
 * that are not {@code @SimulationTest} methods to other providers.
 */
public final class SimulationExtension implements TestTemplateInvocationContextProvider {
    /** Replays one seed in every {@link SimulationTest} that runs: {@code -Dringio.sim.seed=0x2a}. */
    public static final String SEED_PROPERTY = "ringio.sim.seed";
    /** Overrides {@link SimulationTest#seeds()} everywhere: {@code -Dringio.sim.seeds=10000}. */
    public static final String SEEDS_PROPERTY = "ringio.sim.seeds";
    /** Mixed into every derived seed, to explore new ones: {@code -Dringio.sim.baseSeed=7}. */
    public static final String BASE_SEED_PROPERTY = "ringio.sim.baseSeed";

    /** Called by JUnit, which creates the extension from {@link SimulationTest}'s {@code @ExtendWith}. */
    public SimulationExtension() {}

    /** True for a method annotated {@link SimulationTest}. */
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), SimulationTest.class);
    }

    /**
     * One invocation per seed, produced lazily, so a long run does not hold a million contexts.
     *
     * @throws IllegalArgumentException naming the setting if a {@code ringio.sim.*} property or
     *     {@link SimulationTest#seeds()} is invalid; JUnit reports it as the method's failure
     */
    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        SimulationTest annotation = AnnotationSupport.findAnnotation(method, SimulationTest.class).orElseThrow();
        String testName = context.getRequiredTestClass().getName() + "#" + method.getName();
        SimulationSeeds seeds = SimulationSeeds.forTest(testName, annotation.seeds(), key -> setting(context, key));
        return IntStream.range(0, seeds.count())
                .mapToObj(index -> new SimulationInvocation(index + 1, seeds.seed(index)));
    }

    /**
     * A JUnit configuration parameter, else the system property of that name. Launchers usually
     * fall back to system properties themselves, but one may turn that off (the JUnit engine test
     * kit does by default), and {@code -Dringio.sim.seed} must replay under every launcher.
     */
    private static Optional<String> setting(ExtensionContext context, String key) {
        return context.getConfigurationParameter(key).or(() -> Optional.ofNullable(System.getProperty(key)));
    }
}
