package io.ringio.bench.machine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The walk through sysfs, on a small fake sysfs laid out as the kernel lays out the real one. */
class BlockDevicesTest {
    @TempDir
    Path sys;

    private BlockDevices devices;

    @BeforeEach
    void setUp() {
        devices = new BlockDevices(sys, sys.resolve("no-mountinfo"));
    }

    @Test
    void aPartitionIsDescribedByItsWholeDisk() throws IOException {
        Path scsiDevice = dir("devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0");
        write(scsiDevice.resolve("model"), "Samsung SSD 870 QVO 2TB \n");
        write(scsiDevice.resolve("vendor"), "ATA     \n");
        Files.createSymbolicLink(scsiDevice.resolve("subsystem"), dir("bus/scsi"));
        Path sda = dir("devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda");
        Files.createSymbolicLink(sda.resolve("device"), scsiDevice);
        write(sda.resolve("size"), "3907029168\n");
        write(dir(sda.resolve("queue")).resolve("rotational"), "0\n");
        write(sda.resolve("queue/scheduler"), "[mq-deadline] kyber bfq none\n");
        Path sda2 = dir(sda.resolve("sda2"));
        write(sda2.resolve("partition"), "2\n");
        write(sda2.resolve("size"), "2048\n");
        link("dev/block/8:2", sda2);

        Path block = devices.byDeviceNumber(new DeviceNumber(8, 2)).orElseThrow();

        assertThat(devices.describeBlock(block))
                .isEqualTo("sda2 on sda (ata, 1.8 TiB, non-rotational, scheduler mq-deadline, model Samsung SSD 870 QVO 2TB)");
    }

    @Test
    void virtioDiskWithoutModelNamesItsVendor() throws IOException {
        Path virtio = dir("devices/pci0000:00/0000:00:02.0/virtio1");
        write(virtio.resolve("vendor"), "0x1af4\n");
        Files.createSymbolicLink(virtio.resolve("subsystem"), dir("bus/virtio"));
        Path vda = dir("devices/pci0000:00/0000:00:02.0/virtio1/block/vda");
        Files.createSymbolicLink(vda.resolve("device"), virtio);
        write(vda.resolve("size"), "536870912\n");
        write(dir(vda.resolve("queue")).resolve("rotational"), "1\n");
        write(vda.resolve("queue/scheduler"), "none\n");
        link("dev/block/254:0", vda);

        assertThat(devices.describeBlock(devices.byDeviceNumber(new DeviceNumber(254, 0)).orElseThrow()))
                .isEqualTo("vda (virtio, 256 GiB, rotational, scheduler none, vendor 0x1af4)");
    }

    @Test
    void missingFilesAreUnknownPartsNotExceptions() throws IOException {
        Path hardware = dir("devices/platform/mystery");
        Path disk = dir("devices/platform/mystery/block/xvdq");
        Files.createSymbolicLink(disk.resolve("device"), hardware);
        link("dev/block/202:0", disk);

        assertThat(devices.describeBlock(devices.byDeviceNumber(new DeviceNumber(202, 0)).orElseThrow()))
                .isEqualTo("xvdq (transport unknown, size unknown, rotational unknown, scheduler unknown)");
    }

    @Test
    void garbledFilesAreUnknownPartsNotExceptions() throws IOException {
        Path disk = dir("devices/virtual/block/zram0");
        write(disk.resolve("size"), "lots\n");
        write(dir(disk.resolve("queue")).resolve("rotational"), "2\n");
        write(disk.resolve("queue/scheduler"), "\n");
        link("dev/block/253:0", disk);

        assertThat(devices.describeBlock(devices.byDeviceNumber(new DeviceNumber(253, 0)).orElseThrow()))
                .isEqualTo("zram0 (virtual, size unknown, rotational unknown, scheduler unknown)");
    }

    @Test
    void deviceMapperAndLoopDevicesSayWhatTheyStandOn() throws IOException {
        Path dm = dir("devices/virtual/block/dm-0");
        write(dir(dm.resolve("dm")).resolve("name"), "vg0-root\n");
        Path loop = dir("devices/virtual/block/loop3");
        write(dir(loop.resolve("loop")).resolve("backing_file"), "/var/lib/images/disk.img\n");

        assertThat(devices.describeBlock(dm)).startsWith("dm-0 (device-mapper vg0-root, size unknown");
        assertThat(devices.describeBlock(loop)).startsWith("loop3 (loop of /var/lib/images/disk.img, size unknown");
    }

    @Test
    void aDeviceNumberSysfsDoesNotKnowFindsNothing() {
        assertThat(devices.byDeviceNumber(new DeviceNumber(0, 45))).isEmpty();
    }

    @Test
    void aMountSourceIsFoundThroughTheBlockClass() throws IOException {
        Path scsiDevice = dir("devices/pci0000:00/0000:00:17.0/ata9/host8/target8:0:0/8:0:0:0");
        Path sdz = dir(scsiDevice.resolve("block/sdz"));
        Files.createSymbolicLink(sdz.resolve("device"), scsiDevice);
        Path sdz9 = dir(sdz.resolve("sdz9"));
        write(sdz9.resolve("partition"), "9\n");
        link("class/block/sdz9", sdz9);
        // btrfs: st_dev is anonymous (major 0), but the mount's source names the partition.
        var mount = new MountTable.Mount("0:45", Path.of("/data"), "btrfs", "/dev/sdz9");

        Path block = devices.byMountSource(mount).orElseThrow();

        assertThat(devices.describeBlock(block)).startsWith("sdz9 on sdz (ata, size unknown");
        assertThat(devices.byMountSource(new MountTable.Mount("0:46", Path.of("/"), "overlay", "overlay"))).isEmpty();
    }

    @Test
    void schedulerInUseIsTheBracketedOne() {
        assertThat(BlockDevices.schedulerInUse("none [mq-deadline] kyber bfq")).contains("mq-deadline");
        assertThat(BlockDevices.schedulerInUse("[none] mq-deadline")).contains("none");
        assertThat(BlockDevices.schedulerInUse("none")).contains("none");
        assertThat(BlockDevices.schedulerInUse("none mq-deadline")).isEmpty();
    }

    @Test
    void sizesAreInTheLargestIecUnitTheyReach() {
        assertThat(BlockDevices.formatIec(512)).isEqualTo("512 bytes");
        assertThat(BlockDevices.formatIec(1536)).isEqualTo("1.5 KiB");
        assertThat(BlockDevices.formatIec(256L << 30)).isEqualTo("256 GiB");
        assertThat(BlockDevices.formatIec(2_000_398_934_016L)).isEqualTo("1.8 TiB");
        assertThat(BlockDevices.formatIec(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    private Path dir(String relative) throws IOException {
        return Files.createDirectories(sys.resolve(relative));
    }

    private static Path dir(Path path) throws IOException {
        return Files.createDirectories(path);
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
    }

    private void link(String relative, Path target) throws IOException {
        Path link = sys.resolve(relative);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }
}
