package io.ringio.buffer;

import io.ringio.ring.RingMemlockTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop's buffer pool under a non-root user's locked-memory limit, in a child JVM: it degrades,
 * never fails, and registers as many size classes as the limit takes (under this machine's 8 MiB,
 * the smallest 7 of the default 9 here: the ring's own memory counts against the limit too).
 */
class MemlockLoopTest {
    String run(Path root, long limit, String... extra) throws Exception {
        Path cp = root.resolve("cp");
        Path work = root.resolve("work");
        Files.createDirectories(cp);
        Files.createDirectories(work);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("/usr/bin/prlimit", "--memlock=" + limit + ":" + limit,
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", java, "--enable-native-access=ALL-UNNAMED", "-ea", "-Xshare:off",
                "-cp", RingMemlockTest.readableClassPath(cp), MemlockLoopChild.class.getName(), work.toString()));
        command.addAll(List.of(extra));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void underA64KiBLimitNothingIsRegisteredAndEverythingWorks(@TempDir Path root) throws Exception {
        String out = run(root, 65536);
        assertThat(out).contains("heapOk=true", "pooledOk=true", "done=true", "registered=false, registeredClasses=0");
    }

    @Test
    void underThe8MiBLimitTheSmallestClassesAreRegistered(@TempDir Path root) throws Exception {
        String out = run(root, 8L << 20);
        assertThat(out).contains("heapOk=true", "pooledOk=true", "done=true", "registered=true");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("registeredClasses=(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        // The default pool is 9 MiB: not all of it fits, most of it does.
        assertThat(Integer.parseInt(m.group(1))).as(out).isBetween(5, 8);
    }
}
