package io.ringio.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * How the {@code ./ringio} launcher chooses a JDK: JAVA_HOME, then java on PATH, then the newest
 * JDK 25+ under RINGIO_JVM_DIR (default /usr/lib/jvm); and the one line it prints when there is
 * none. Every case runs {@code ./ringio java-home}, which never builds, so these tests take
 * milliseconds. Fake JDKs are directories with a {@code release} file and stub executables; the
 * launcher reads the version from the release file and never runs them.
 */
class LauncherJdkDiscoveryTest {
    private static final Path ROOT = Path.of(System.getProperty("ringio.root", "..")).toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("ringio");
    private static final Path SYSTEM_JVM_DIR = Path.of("/usr/lib/jvm");
    private static final Path SYSTEM_JDK_17 = SYSTEM_JVM_DIR.resolve("java-17-openjdk-amd64");
    private static final String SYSTEM_PATH = "/usr/bin:/bin";
    private static final int JDK_FEATURE_MIN = 25;
    private static final long LAUNCH_TIMEOUT_SECONDS = 30;
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(?:1\\.)?(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void refusesWithOneLineWhenJavaHomeAndPathHaveJdk17AndNoJvmDirHasMore() throws Exception {
        assumeThat(featureVersion(SYSTEM_JDK_17)).as("JDK 17 at " + SYSTEM_JDK_17).isEqualTo(17);
        assumeThat(javaOnSystemPathFeatureVersion()).as("java on " + SYSTEM_PATH).isLessThan(JDK_FEATURE_MIN);
        Path emptyJvmDir = Files.createDirectory(tmp.resolve("jvm"));

        Launch launch = launch(Map.of("JAVA_HOME", SYSTEM_JDK_17.toString(), "PATH", SYSTEM_PATH,
                "RINGIO_JVM_DIR", emptyJvmDir.toString()));

        assertRefused(launch);
    }

    @Test
    void refusesWhenEveryCandidateIsTooOldOrNotAJdk() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15", true);
        Path jvmDir = Files.createDirectory(tmp.resolve("jvm"));
        fakeJdkIn(jvmDir, "jdk-11", "11.0.2", true);
        fakeJdkIn(jvmDir, "jre-26", "26", false);
        fakeJdkIn(jvmDir, "jdk-8", "1.8.0_402", true);

        Launch launch = launch(Map.of("JAVA_HOME", jdk17.toString(), "PATH", pathWithJava(jdk17),
                "RINGIO_JVM_DIR", jvmDir.toString()));

        assertRefused(launch);
    }

    @Test
    void findsAJdk25OnThisMachineWithoutJavaHome() throws Exception {
        assumeThat(newestSystemJdkFeatureVersion()).as("newest JDK under " + SYSTEM_JVM_DIR)
                .isGreaterThanOrEqualTo(JDK_FEATURE_MIN);

        Launch launch = launch(Map.of("PATH", SYSTEM_PATH));

        assertThat(launch.exitCode()).as("exit code; stderr: %s", launch.err()).isZero();
        assertThat(launch.err()).isEmpty();
        assertThat(launch.out()).hasSize(1);
        Path home = Path.of(launch.out().getFirst());
        assertThat(featureVersion(home)).as("feature version of " + home).isGreaterThanOrEqualTo(JDK_FEATURE_MIN);
        assertThat(home.resolve("bin/javac")).isExecutable();
    }

    @Test
    void prefersJavaHomeWhenItIsNewEnough() throws Exception {
        Path jdk25 = fakeJdk("jdk-25", "25.0.3", true);
        Path jvmDir = Files.createDirectory(tmp.resolve("jvm"));
        fakeJdkIn(jvmDir, "jdk-26", "26", true);

        Launch launch = launch(Map.of("JAVA_HOME", jdk25 + "/", "PATH", SYSTEM_PATH,
                "RINGIO_JVM_DIR", jvmDir.toString()));

        assertThat(launch.out()).containsExactly(jdk25.toString());
        assertThat(launch.exitCode()).isZero();
    }

    @Test
    void usesJavaOnPathWhenJavaHomeIsTooOld() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15", true);
        Path jdk25 = fakeJdk("jdk-25", "25-ea", true);
        Path jvmDir = Files.createDirectory(tmp.resolve("jvm"));
        fakeJdkIn(jvmDir, "jdk-26", "26", true);

        Launch launch = launch(Map.of("JAVA_HOME", jdk17.toString(), "PATH", pathWithJava(jdk25),
                "RINGIO_JVM_DIR", jvmDir.toString()));

        assertThat(launch.out()).containsExactly(jdk25.toRealPath().toString());
    }

    @Test
    void picksTheNewestJdkInTheJvmDirectory() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15", true);
        Path jvmDir = Files.createDirectory(tmp.resolve("jvm"));
        fakeJdkIn(jvmDir, "java-17-openjdk-amd64", "17.0.15", true);
        fakeJdkIn(jvmDir, "temurin-25-jdk-amd64", "25.0.3", true);
        Path jdk26 = fakeJdkIn(jvmDir, "temurin-26-jdk-amd64", "26.0.1", true);
        fakeJdkIn(jvmDir, "temurin-27-jre-amd64", "27", false);

        Launch launch = launch(Map.of("PATH", pathWithJava(jdk17), "RINGIO_JVM_DIR", jvmDir.toString()));

        assertThat(launch.out()).containsExactly(jdk26.toString());
        assertThat(launch.err()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private record Launch(int exitCode, List<String> out, List<String> err) {}

    private Launch launch(Map<String, String> environment) throws IOException, InterruptedException {
        Path out = tmp.resolve("launcher.out");
        Path err = tmp.resolve("launcher.err");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "java-home")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(new HashMap<>(environment));
        Process process = builder.start();
        if (!process.waitFor(LAUNCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./ringio java-home did not finish in " + LAUNCH_TIMEOUT_SECONDS + " s");
        }
        return new Launch(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    private static void assertRefused(Launch launch) {
        assertThat(launch.exitCode()).isNotZero();
        assertThat(launch.out()).isEmpty();
        assertThat(launch.err()).singleElement().asString()
                .contains("JDK " + JDK_FEATURE_MIN + " or newer", "JAVA_HOME", "install");
    }

    private Path fakeJdk(String name, String javaVersion, boolean withJavac) throws IOException {
        return fakeJdkIn(tmp, name, javaVersion, withJavac);
    }

    /** A directory that looks like a JDK (or a JRE, without javac) of the given JAVA_VERSION. */
    private static Path fakeJdkIn(Path dir, String name, String javaVersion, boolean withJavac) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + javaVersion + "\"\n");
        stubExecutable(home.resolve("bin/java"));
        if (withJavac) {
            stubExecutable(home.resolve("bin/javac"));
        }
        return home;
    }

    private static void stubExecutable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\necho 'a fake JDK from LauncherJdkDiscoveryTest' >&2\nexit 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A PATH whose java is a symlink to {@code jdk}'s, ahead of the system directories. */
    private String pathWithJava(Path jdk) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("path-bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
        return bin + ":" + SYSTEM_PATH;
    }

    /** The feature version in a Java installation's release file, or -1 when there is none. */
    private static int featureVersion(Path home) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The feature version of the JDK that /usr/bin/java leads to; -1 when there is no such java. */
    private static int javaOnSystemPathFeatureVersion() {
        for (String dir : SYSTEM_PATH.split(":")) {
            Path java = Path.of(dir, "java");
            if (Files.isExecutable(java)) {
                try {
                    return featureVersion(java.toRealPath().getParent().getParent());
                } catch (IOException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static int newestSystemJdkFeatureVersion() throws IOException {
        if (!Files.isDirectory(SYSTEM_JVM_DIR)) {
            return -1;
        }
        try (Stream<Path> homes = Files.list(SYSTEM_JVM_DIR)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/javac")))
                    .mapToInt(LauncherJdkDiscoveryTest::featureVersion).max().orElse(-1);
        }
    }
}
