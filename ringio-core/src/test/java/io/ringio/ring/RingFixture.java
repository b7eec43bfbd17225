package io.ringio.ring;

import io.ringio.sys.Syscalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers shared by the ring tests: waiting for completions, pipes, and process resource counts. */
final class RingFixture {
    private RingFixture() {}

    /** Longest a test waits for one completion before it fails. */
    static final long WAIT_NANOS = 5_000_000_000L;

    /**
     * Submits what is prepared and waits until {@code count} completions have arrived; returns
     * them as user_data to result, in arrival order. Fails on a duplicate user_data.
     */
    static Map<Long, Integer> awaitCompletions(Ring ring, int count) {
        Map<Long, Integer> results = new LinkedHashMap<>();
        CompletionBatch batch = new CompletionBatch(256);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (results.size() < count) {
            assertThat(System.nanoTime() - deadline).as("waited too long for %d completions, got %s", count, results)
                    .isNegative();
            int r = ring.submitAndWait(1, 100_000_000L);
            assertThat(r).as("submitAndWait").isGreaterThanOrEqualTo(0);
            ring.copyCompletions(batch);
            for (int i = 0; i < batch.size(); i++) {
                Integer previous = results.put(batch.userData(i), batch.result(i));
                assertThat(previous).as("duplicate completion for user_data %d", batch.userData(i)).isNull();
            }
        }
        assertThat(results).hasSize(count);
        return results;
    }

    /** A NUL-terminated copy of {@code path} in {@code arena}. */
    static MemorySegment cPath(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    /** A new pipe as {read, write} fds. */
    static int[] pipe() {
        int[] fds = new int[2];
        assertThat(Syscalls.pipe2(fds, Syscalls.O_CLOEXEC)).isZero();
        return fds;
    }

    static void closeAll(int... fds) {
        for (int fd : fds) {
            Syscalls.close(fd);
        }
    }

    /** How many file descriptors this process has open. */
    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many memory mappings this process has. */
    static long mappings() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Native memory in Native Memory Tracking's "Other" category, in KiB: where the JDK counts
     * FFM arena allocations (the "direct" buffer pool does not see them). Needs the JVM to run
     * with {@code -XX:NativeMemoryTracking=summary}, as the pom's Surefire configuration does.
     */
    static long nativeOtherKib() {
        String summary;
        try {
            var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            summary = (String) server.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("cannot read native memory tracking", e);
        }
        var matcher = java.util.regex.Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(summary);
        if (!matcher.find()) {
            throw new IllegalStateException("no NMT 'Other' line: run the JVM with -XX:NativeMemoryTracking=summary; got: "
                    + summary.lines().limit(3).toList());
        }
        return Long.parseLong(matcher.group(1));
    }
}
