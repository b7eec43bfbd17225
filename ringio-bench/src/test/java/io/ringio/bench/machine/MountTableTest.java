package io.ringio.bench.machine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MountTableTest {
    private static final String MOUNTINFO = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
            25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684092k
            30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=1024k
            44 27 8:17 / /mnt/my\\040disk rw,relatime shared:12 master:3 - xfs /dev/sdb1 rw
            45 27 0:50 / /mnt/my rw - fuse.sshfs host:/ rw
            not a mountinfo line
            """;

    @Test
    void theLongestMountPointHoldsThePath() {
        MountTable table = MountTable.parse(MOUNTINFO);

        assertThat(table.containing(Path.of("/home/bench/file"))).map(MountTable.Mount::source).contains("/dev/vda");
        assertThat(table.containing(Path.of("/mnt/my disk/file")))
                .contains(new MountTable.Mount("8:17", Path.of("/mnt/my disk"), "xfs", "/dev/sdb1"));
        // "/mnt/my" is a prefix of "/mnt/my disk" as a string, not as a path.
        assertThat(table.containing(Path.of("/mnt/my/file"))).map(MountTable.Mount::type).contains("fuse.sshfs");
    }

    @Test
    void theLaterOfTwoMountsOnOnePointHidesTheEarlier() {
        assertThat(MountTable.parse(MOUNTINFO).containing(Path.of("/dev/shm/x")))
                .map(MountTable.Mount::device).contains("0:27");
    }

    @Test
    void aMountPointTheJvmCannotNameIsLeftOutLikeALineThatDoesNotParse() {
        MountTable table = MountTable.parse("""
                27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
                46 27 0:51 / /mnt/a\\000b rw - tmpfs tmpfs rw
                """);
        assertThat(table.containing(Path.of("/mnt/x"))).map(MountTable.Mount::source).contains("/dev/vda");
    }

    @Test
    void octalEscapesAreUndone() {
        assertThat(MountTable.unescape("a\\040b\\011c\\134d")).isEqualTo("a b\tc\\d");
        assertThat(MountTable.unescape("trailing\\04")).isEqualTo("trailing\\04");
        assertThat(MountTable.unescape("not\\0x9octal")).isEqualTo("not\\0x9octal");
    }

    @Test
    void aPathOutsideEveryMountHasNone() {
        assertThat(MountTable.parse("25 24 0:23 / /dev/shm rw - tmpfs tmpfs rw\n").containing(Path.of("/home")))
                .isEmpty();
    }
}
