package io.ringio.io.channel;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.io.uring.UringIo;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path operations whose answers the FileChannel backend must give as the kernel does, checked
 * on both: a missing rename source before an existing target, and a trailing slash, which
 * {@link Path} drops but the kernel reads as "must be a directory".
 */
class ChannelIoPathParityTest {
    @TempDir
    Path dir;

    private static Io open(String backend) {
        return backend.equals("uring") ? UringIo.open(IoOptions.defaults().withCapacity(8), "t") : ChannelIo.open(8, 1, "t");
    }

    private static int run(Io io, LongPredicate submit) {
        assertThat(submit.test(1)).isTrue();
        Map<Long, Integer> got = new HashMap<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.isEmpty() && System.nanoTime() < deadline) {
            io.park(10_000_000L, got::put);
        }
        assertThat(got).containsKey(1L);
        return got.get(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void renameNoReplaceOfAMissingSourceIsEnoentEvenWhenTheTargetExists(String backend) throws Exception {
        Files.writeString(dir.resolve("target"), "t");
        try (Io io = open(backend)) {
            int r = run(io, t -> io.rename(t, dir.resolve("missing").toString(), dir.resolve("target").toString(), true));
            assertThat(Errno.name(-r)).isEqualTo("ENOENT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void unlinkOfAFileThroughATrailingSlashIsEnotdirAndRemovesNothing(String backend) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "data");
        try (Io io = open(backend)) {
            int r = run(io, t -> io.unlink(t, f + "/"));
            assertThat(Files.exists(f)).as("the file is still there").isTrue();
            assertThat(Errno.name(-r)).isEqualTo("ENOTDIR");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void anOpenThatWouldCreateAFileThroughATrailingSlashIsEisdirAndCreatesNothing(String backend) {
        try (Io io = open(backend)) {
            int r = run(io, t -> io.open(t, dir.resolve("g") + "/", OpenFlags.WRITE | OpenFlags.CREATE, 0644));
            assertThat(Files.exists(dir.resolve("g"))).as("nothing created").isFalse();
            assertThat(Errno.name(-r)).isEqualTo("EISDIR");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void statOfAFileThroughATrailingSlashIsEnotdir(String backend) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "data");
        try (Io io = open(backend)) {
            int r = run(io, t -> io.stat(t, f + "/", new FileStat()));
            assertThat(Errno.name(-r)).isEqualTo("ENOTDIR");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void renameOfAFileOntoATrailingSlashIsEnotdirAndMovesNothing(String backend) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "data");
        try (Io io = open(backend)) {
            int r = run(io, t -> io.rename(t, f.toString(), dir.resolve("h") + "/", false));
            assertThat(Errno.name(-r)).isEqualTo("ENOTDIR");
            assertThat(Files.exists(f)).isTrue();
            assertThat(Files.exists(dir.resolve("h"))).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void otherAnswersThroughATrailingSlash(String backend) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "data");
        Path d = Files.createDirectory(dir.resolve("d"));
        Path ld = Files.createSymbolicLink(dir.resolve("ld"), d);
        try (Io io = open(backend)) {
            assertThat(Errno.name(-run(io, t -> io.open(t, f + "/", OpenFlags.WRITE | OpenFlags.CREATE, 0644))))
                    .as("a create through a file").isEqualTo("EISDIR");
            assertThat(Errno.name(-run(io, t -> io.mkdir(t, f + "/", 0755)))).as("mkdir over a file").isEqualTo("EEXIST");
            assertThat(Errno.name(-run(io, t -> io.unlink(t, ld + "/")))).as("unlink through a link to a directory")
                    .isEqualTo("ENOTDIR");
            assertThat(Files.isSymbolicLink(ld)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "channel"})
    void aDirectoryThroughATrailingSlashStillWorks(String backend) throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        try (Io io = open(backend)) {
            assertThat(run(io, t -> io.stat(t, d + "/", new FileStat()))).isZero();
            assertThat(run(io, t -> io.rename(t, d + "/", dir.resolve("e") + "/", false))).isZero();
            assertThat(Files.isDirectory(dir.resolve("e"))).isTrue();
        }
    }
}
