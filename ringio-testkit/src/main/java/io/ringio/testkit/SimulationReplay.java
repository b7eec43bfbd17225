package io.ringio.testkit;

import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a failing simulation seed tells the user: the message that names the seed, and one shell
 * command that replays exactly that seed of that test method.
 */
final class SimulationReplay {
    /** The repository's launcher, found in the parent of the module directory Surefire runs in. */
    private static final String LAUNCHER_NAME = "ringio";

    private SimulationReplay() {}

    /**
     * The command that replays {@code seed} of {@code methodName} in {@code testClassName} (a
     * binary name, so that a nested class reads {@code Outer$Inner}, as Surefire needs it), for
     * a test JVM whose working directory is {@code workingDirectory}. When that directory is a
     * Maven module whose parent holds an executable {@code ringio} launcher, the command runs
     * {@code ./ringio test} from that parent on this module only; otherwise it is a plain
     * {@code mvn test} for the user to run where they ran the build.
     */
    static String command(Path workingDirectory, String testClassName, String methodName, SimSeed seed) {
        // Single quotes, because the shell would otherwise expand the '$' of a nested class.
        String selector = "-Dtest='" + testClassName + "#" + methodName + "'";
        String seedFlag = "-D" + SimulationExtension.SEED_PROPERTY + "=" + seed;
        Path module = workingDirectory.toAbsolutePath().normalize();
        Path root = module.getParent();
        if (root != null && Files.isRegularFile(module.resolve("pom.xml")) && isLauncher(root.resolve(LAUNCHER_NAME))) {
            // -am builds the modules this one needs; with a -Dtest filter, those modules run no
            // tests, which Surefire would report as a failure without failIfNoSpecifiedTests.
            return "./" + LAUNCHER_NAME + " test -pl " + module.getFileName() + " -am " + selector
                    + " -Dsurefire.failIfNoSpecifiedTests=false " + seedFlag;
        }
        return "mvn test " + selector + " " + seedFlag;
    }

    /**
     * The message of a seed's failure: the seed and the original failure's message on the first
     * line, the replay command on the second.
     */
    static String message(SimSeed seed, Throwable failure, String replayCommand) {
        return "simulation seed " + seed + " failed: " + describe(failure) + "\n  replay: " + replayCommand;
    }

    /**
     * The error that reports {@code failure} with {@code message}, with {@code failure} as its
     * cause. An opentest4j failure that carries expected and actual values keeps them, so that an
     * IDE still offers its comparison.
     */
    static AssertionError failure(String message, Throwable failure) {
        if (failure instanceof AssertionFailedError comparison
                && comparison.isExpectedDefined() && comparison.isActualDefined()) {
            return new AssertionFailedError(message, comparison.getExpected().getValue(),
                    comparison.getActual().getValue(), failure);
        }
        return new AssertionError(message, failure);
    }

    /**
     * An assertion's message says what went wrong by itself; any other throwable also needs its
     * type ("java.lang.IllegalStateException: ring closed"), and may have no message at all.
     */
    private static String describe(Throwable failure) {
        if (failure instanceof AssertionError && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return failure.toString();
    }

    private static boolean isLauncher(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
