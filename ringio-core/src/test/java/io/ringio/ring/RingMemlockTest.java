package io.ringio.ring;

import io.ringio.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Registration under the locked-memory limit of an unprivileged user: root bypasses
 * RLIMIT_MEMLOCK through CAP_IPC_LOCK, so the case is run in a child JVM as {@code nobody}
 * with a 64 KiB limit and no capabilities.
 */
public class RingMemlockTest {
    private static final long LIMIT_BYTES = 64 * 1024;

    @Test
    void registrationRefusedByTheMemlockLimitIsAReturnCodeAndTheRingCarriesOn(@TempDir Path classes) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        Path prlimit = Path.of("/usr/bin/prlimit");
        assumeThat(Files.isExecutable(setpriv) && Files.isExecutable(prlimit))
                .as("needs setpriv and prlimit from util-linux").isTrue();
        assumeThat(System.getProperty("user.name")).as("dropping to nobody needs root").isEqualTo("root");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(prlimit.toString(), "--memlock=" + LIMIT_BYTES + ":" + LIMIT_BYTES,
                setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", java, "--enable-native-access=ALL-UNNAMED", "-ea", "-Xshare:off",
                "-cp", readableClassPath(classes), MemlockLimitedRegistration.class.getName(),
                Long.toString(4 * 1024 * 1024), Long.toString(16 * 1024));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("large=" + -Errno.ENOMEM)
                .contains("registered=0")
                .contains("small=0")
                .contains("nop=0");
    }

    /**
     * Copies the main and test class trees to a fresh world-readable directory: the checkout may
     * live where {@code nobody} cannot read (under /root, say). Also for other tests that run a
     * child JVM as {@code nobody}.
     */
    public static String readableClassPath(Path root) throws IOException {
        StringBuilder classPath = new StringBuilder();
        for (Class<?> c : List.of(Ring.class, MemlockLimitedRegistration.class)) {
            Path source = Path.of(URI.create(c.getProtectionDomain().getCodeSource().getLocation().toString()));
            Path target = root.resolve(Integer.toString(classPath.length()));
            try (Stream<Path> tree = Files.walk(source)) {
                for (Path from : (Iterable<Path>) tree::iterator) {
                    Path to = target.resolve(source.relativize(from).toString());
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
                            Files.isDirectory(to) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            classPath.append(classPath.isEmpty() ? "" : ":").append(target);
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return classPath.toString();
    }

}
