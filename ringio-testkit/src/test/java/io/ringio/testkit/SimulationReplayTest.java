package io.ringio.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay command a failing seed prints, with and without the repository's launcher. */
class SimulationReplayTest {
    private static final SimSeed SEED = new SimSeed(0x1f3aL);
    private static final String CLASS_NAME = "io.ringio.example.CrashTest$Nested";

    @Test
    void inAModuleNextToTheLauncherReplaysThroughTheLauncher(@TempDir Path root) throws IOException {
        Path module = moduleIn(root);
        Files.writeString(root.resolve("ringio"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("ringio"), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(SimulationReplay.command(module, CLASS_NAME, "survives", SEED)).isEqualTo(
                "./ringio test -pl ringio-sample -am -Dtest='io.ringio.example.CrashTest$Nested#survives'"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -Dringio.sim.seed=0x1f3a");
    }

    @Test
    void aLauncherThatIsNotExecutableIsNotUsed(@TempDir Path root) throws IOException {
        Path module = moduleIn(root);
        Files.writeString(root.resolve("ringio"), "not a launcher\n");
        Files.setPosixFilePermissions(root.resolve("ringio"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SimulationReplay.command(module, CLASS_NAME, "survives", SEED)).isEqualTo(
                "mvn test -Dtest='io.ringio.example.CrashTest$Nested#survives' -Dringio.sim.seed=0x1f3a");
    }

    @Test
    void withoutTheLauncherReplaysWithPlainMaven(@TempDir Path root) throws IOException {
        assertThat(SimulationReplay.command(moduleIn(root), CLASS_NAME, "survives", SEED)).isEqualTo(
                "mvn test -Dtest='io.ringio.example.CrashTest$Nested#survives' -Dringio.sim.seed=0x1f3a");
    }

    @Test
    void messageGivesSeedAndCauseThenTheReplayLine() {
        String message = SimulationReplay.message(SEED, new AssertionError("lost a write"), "mvn test -Dx");

        assertThat(message).isEqualTo("simulation seed 0x1f3a failed: lost a write\n  replay: mvn test -Dx");
    }

    private static Path moduleIn(Path root) throws IOException {
        Path module = Files.createDirectory(root.resolve("ringio-sample"));
        Files.writeString(module.resolve("pom.xml"), "<project/>\n");
        return module;
    }
}
