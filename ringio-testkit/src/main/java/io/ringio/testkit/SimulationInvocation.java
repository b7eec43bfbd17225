package io.ringio.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.opentest4j.IncompleteExecutionException;

import java.nio.file.Path;
import java.util.List;

/**
 * One run of a {@link SimulationTest} method with one seed. It is both the invocation context
 * and the extension that serves it: it resolves the {@link SimSeed} parameter, is skipped when an
 * earlier seed of the same method failed, and turns a failure into one that names the seed and
 * how to replay it.
 */
final class SimulationInvocation implements TestTemplateInvocationContext, ParameterResolver, ExecutionCondition,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SimulationExtension.class);
    /** In the template method's store: the first seed of that method that failed. */
    private static final String FIRST_FAILED_SEED_KEY = "firstFailedSeed";

    /** 1-based, as JUnit numbers invocations in their unique ids. */
    private final int position;
    private final SimSeed seed;

    SimulationInvocation(int position, SimSeed seed) {
        this.position = position;
        this.seed = seed;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return "[" + position + "] seed " + seed;
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(this);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SimSeed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return seed;
    }

    /** Disabled once another seed of the same method has failed: one bug, one failure. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        SimSeed failed = templateStore(context).get(FIRST_FAILED_SEED_KEY, SimSeed.class);
        if (failed != null) {
            return ConditionEvaluationResult.disabled("an earlier seed (" + failed + ") failed; replay it, fix it,"
                    + " then run the remaining seeds");
        }
        return ConditionEvaluationResult.enabled("no earlier seed of this method failed");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw reportFailure(context, throwable);
    }

    /** A failure in {@code @BeforeEach} depends on the seed as much as one in the test does. */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw reportFailure(context, throwable);
    }

    /** A check in {@code @AfterEach}, such as "the simulated disk was closed", depends on the seed too. */
    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw reportFailure(context, throwable);
    }

    /**
     * Records the seed as the method's first failure, prints the seed and the replay command,
     * and returns the failure to throw. A failed assumption or a skip is returned unchanged: it
     * says nothing about the seed, and JUnit must still see its type to report it as aborted.
     */
    private Throwable reportFailure(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof IncompleteExecutionException) {
            return throwable;
        }
        // getOrComputeIfAbsent keeps the first seed when seeds of one method run concurrently.
        templateStore(context).getOrComputeIfAbsent(FIRST_FAILED_SEED_KEY, key -> seed, SimSeed.class);
        String replay = SimulationReplay.command(Path.of(System.getProperty("user.dir")),
                context.getRequiredTestClass().getName(), context.getRequiredTestMethod().getName(), seed);
        String message = SimulationReplay.message(seed, throwable, replay);
        // Also on stderr, so that the replay line is in the build log even where a report shows
        // only the stack trace's last lines.
        System.err.println(message);
        return SimulationReplay.failure(message, throwable);
    }

    /** The store of the template method, shared by all of its seeds; the invocation's parent. */
    private static ExtensionContext.Store templateStore(ExtensionContext invocationContext) {
        return invocationContext.getParent().orElseThrow().getStore(NAMESPACE);
    }
}
