package io.ringio.bench.machine;

import io.ringio.bench.report.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MachineInfoTest {
    @TempDir
    Path dir;

    @Test
    void describesCoresMemoryKernelAndJdkOfThisMachine() throws IOException {
        Machine machine = MachineInfo.describe(dir);

        assertThat(machine.cores()).isPositive().isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(machine.memoryBytes()).isPositive().isEqualTo(memTotalKib() * 1024);
        assertThat(machine.kernel()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(machine.jdk()).startsWith(Runtime.version().toString()).contains(System.getProperty("java.vendor"));
        assertThat(machine.cpu()).isNotBlank();
        if (System.getProperty("os.arch").equals("amd64")) {
            // x86 kernels always print a "model name" line.
            assertThat(machine.cpu()).isNotEqualTo(MachineInfo.UNKNOWN);
        }
    }

    @Test
    void fileSystemIsTheTypeOfTheFileStoreUnderThePath() throws IOException {
        assertThat(MachineInfo.describe(dir).fileSystem()).isEqualTo(Files.getFileStore(dir).type());
    }

    @Test
    void deviceNumberOfThePathIsTheOneMountinfoGivesItsMount() throws IOException {
        // btrfs gives each subvolume an anonymous st_dev that mountinfo does not show.
        assumeTrue(!Files.getFileStore(dir).type().equals("btrfs"), "not btrfs");
        MountLine mount = MountLine.of(dir);

        assertThat(BlockDevices.deviceNumber(dir)).map(DeviceNumber::toString).contains(mount.majorMinor());
    }

    @Test
    void diskNamesTheDeviceThatMountinfoSaysTheMountIsFrom() throws IOException {
        MountLine mount = MountLine.of(dir);
        assumeTrue(mount.source().startsWith("/dev/"), "the temporary directory is on a block device");
        // /dev/mapper/x and /dev/root are links to the node itself.
        String node = Path.of(mount.source()).toRealPath().getFileName().toString();

        String disk = MachineInfo.describe(dir).disk();

        // "vda (virtio, ...)" for a whole disk, "sda2 on sda (ata, ...)" for a partition.
        assertThat(disk).startsWith(node + " ").doesNotContain(MachineInfo.UNKNOWN).doesNotContain("no sysfs entry");
    }

    @Test
    void tmpfsHasNoBlockDevice() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "/dev/shm is a tmpfs");

        Machine machine = MachineInfo.describe(shm);

        assertThat(machine.fileSystem()).isEqualTo("tmpfs");
        assertThat(machine.disk()).isEqualTo("no block device (tmpfs)");
    }

    @Test
    void aFileNotYetCreatedIsDescribedByTheDirectoryAboveIt() {
        Machine ofDirectory = MachineInfo.describe(dir);

        Machine ofFutureFile = MachineInfo.describe(dir.resolve("not-yet").resolve("bench.dat"));

        assertThat(ofFutureFile.disk()).isEqualTo(ofDirectory.disk());
        assertThat(ofFutureFile.fileSystem()).isEqualTo(ofDirectory.fileSystem()).isNotEqualTo(MachineInfo.UNKNOWN);
    }

    @Test
    void decodesDeviceNumbersTheWayGlibcMakedevEncodesThem() {
        assertThat(DeviceNumber.of(0xfe00)).isEqualTo(new DeviceNumber(254, 0));
        long[][] majorMinor = {{8, 1}, {254, 0}, {259, 65_536}, {4095, 1_048_575}, {0x12345, 0xabcdef},
                {0xffff_ffffL, 0xffff_ffffL}};
        for (long[] pair : majorMinor) {
            assertThat(DeviceNumber.of(makedev(pair[0], pair[1])))
                    .as("makedev(%d, %d)", pair[0], pair[1])
                    .isEqualTo(new DeviceNumber(pair[0], pair[1]));
        }
    }

    /** glibc's {@code gnu_dev_makedev} ({@code bits/sysmacros.h}), written out independently of the decoder. */
    private static long makedev(long major, long minor) {
        return (major & 0x0000_0fffL) << 8
                | (major & 0xffff_f000L) << 32
                | (minor & 0x0000_00ffL)
                | (minor & 0xffff_ff00L) << 12;
    }

    private static long memTotalKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no MemTotal in /proc/meminfo");
    }

    /** The mountinfo line of the mount holding a path, parsed here apart from {@link MountTable}. */
    private record MountLine(String majorMinor, String mountPoint, String source) {
        static MountLine of(Path path) throws IOException {
            Path real = path.toRealPath();
            MountLine best = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                int dash = Arrays.asList(fields).indexOf("-");
                MountLine mount = new MountLine(fields[2], fields[4].replace("\\040", " "), fields[dash + 2]);
                // The longest mount point wins; on the same point, the later mount hides the earlier.
                if (real.startsWith(mount.mountPoint())
                        && (best == null || mount.mountPoint().length() >= best.mountPoint().length())) {
                    best = mount;
                }
            }
            assertThat(best).as("a mount holding %s", real).isNotNull();
            return best;
        }
    }
}
