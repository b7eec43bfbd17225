package io.ringio.testkit.sim;

import io.ringio.io.FileStat;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.sys.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static io.ringio.io.OpenFlags.CREATE;
import static io.ringio.io.OpenFlags.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux's answers for path edge cases the contract suite does not reach: trailing slashes, "."
 * and ".." as the last component (rename(2), rmdir(2), open(2)), and cancel of an operation that
 * has completed but not been delivered.
 */
class SimIoNamespaceTest {
    private final Arena arena = Arena.ofConfined();
    private SimIo io;
    private Blocking b;

    @BeforeEach
    void setUp() {
        io = SimIo.open(SimOptions.seed(3));
        io.createDurableDirectories("/data/sub/x");
        b = new Blocking(io, arena);
        b.close(b.open("/data/f", WRITE | CREATE));
    }

    @AfterEach
    void tearDown() {
        io.close();
        arena.close();
    }

    private int errno(java.util.function.LongPredicate op) {
        return b.exec(op);
    }

    @Test
    void aTrailingSlashDemandsADirectory() {
        assertThat(errno(t -> io.rename(t, "/data/f", "/data/g/", false))).as("rename a file to a name with a slash")
                .isEqualTo(-Errno.ENOTDIR);
        assertThat(errno(t -> io.rename(t, "/data/f/", "/data/g", false))).as("rename a file named with a slash")
                .isEqualTo(-Errno.ENOTDIR);
        assertThat(errno(t -> io.open(t, "/data/new/", WRITE | CREATE, 0644))).as("create a file named with a slash")
                .isEqualTo(-Errno.EISDIR);
        assertThat(errno(t -> io.open(t, "/data/f/", WRITE, 0))).as("open a file named with a slash")
                .isEqualTo(-Errno.ENOTDIR);
        assertThat(errno(t -> io.mkdir(t, "/data/f/", 0755))).as("mkdir over a file, with a slash")
                .isEqualTo(-Errno.EEXIST);
        assertThat(errno(t -> io.unlink(t, "/data/f/"))).as("unlink a file named with a slash")
                .isEqualTo(-Errno.ENOTDIR);
        assertThat(errno(t -> io.stat(t, "/data/f/", new FileStat()))).isEqualTo(-Errno.ENOTDIR);
        assertThat(errno(t -> io.rename(t, "/data/sub/", "/data/moved/", false))).as("a directory, with slashes")
                .isZero();
        assertThat(b.exists("/data/moved/x")).isTrue();
    }

    @Test
    void dotAndDotDotAsTheLastComponent() {
        assertThat(errno(t -> io.rmdir(t, "/data/sub/x/.."))).isEqualTo(-Errno.ENOTEMPTY);
        assertThat(errno(t -> io.rmdir(t, "/data/sub/."))).isEqualTo(-Errno.EINVAL);
        assertThat(errno(t -> io.rmdir(t, "/"))).isEqualTo(-Errno.EBUSY);
        assertThat(errno(t -> io.rename(t, "/data/sub/.", "/data/y", false))).isEqualTo(-Errno.EBUSY);
        assertThat(errno(t -> io.rename(t, "/data/f", "/data/sub/x/..", false))).isEqualTo(-Errno.EBUSY);
        assertThat(errno(t -> io.rename(t, "/data/f", "/data/sub/x/..", true))).isEqualTo(-Errno.EEXIST);
        assertThat(errno(t -> io.rename(t, "/data/missing", "/data/sub/.", false))).as("checked before existence")
                .isEqualTo(-Errno.EBUSY);
        assertThat(errno(t -> io.mkdir(t, "/data/sub/..", 0755))).isEqualTo(-Errno.EEXIST);
    }

    @Test
    void aDirectoryCannotMoveIntoItself() {
        assertThat(errno(t -> io.rename(t, "/data/sub", "/data/sub/x/inside", false))).isEqualTo(-Errno.EINVAL);
        assertThat(errno(t -> io.rename(t, "/data/sub", "/data/sub", false))).as("onto itself").isZero();
        assertThat(errno(t -> io.rename(t, "/data/sub", "/data/sub", true))).as("onto itself, no-replace")
                .isEqualTo(-Errno.EEXIST);
    }

    @Test
    void cancelOfACompletedUndeliveredOperationFailsWithEnoent() {
        java.util.Map<Long, Integer> results = new java.util.HashMap<>();
        assertThat(io.linkNext()).isTrue();
        io.nop(1);
        io.cancel(2, 1); // runs when the nop has completed, before it is delivered
        while (results.size() < 2) {
            io.park(1_000_000_000L, results::put);
        }
        assertThat(results).containsEntry(1L, 0).containsEntry(2L, -Errno.ENOENT);
    }

    @Test
    void parkingForeverWithNothingInFlightDoesNotWrapTheClock() {
        io.park(Long.MAX_VALUE, (t, r) -> { });
        assertThat(io.nowNanos()).isEqualTo(Long.MAX_VALUE);
        io.nop(1);
        int[] result = {1};
        io.park(0, (t, r) -> result[0] = r);
        assertThat(result[0]).isZero();
        FileStat stat = new FileStat();
        assertThat(b.exec(t -> io.stat(t, "/data/f", stat))).isZero();
        assertThat(stat.modifiedEpochNanos()).isPositive();
    }
}
