package io.ringio.bench.machine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The disk under a path, found and described through sysfs. Every step is best-effort: a file
 * sysfs does not have turns into an "unknown" part of the description, never an exception.
 *
 * <p>The way there: the path's {@code st_dev} names a block device as
 * {@code /sys/dev/block/MAJ:MIN}, a link to the device's directory. A partition's directory has
 * a {@code partition} file and sits inside its disk's directory, which holds the queue settings
 * and the {@code device} link to the hardware. File systems such as btrfs report an anonymous
 * {@code st_dev} (major 0) instead, so the mount's source in {@code /proc/self/mountinfo} is the
 * second way; tmpfs, overlay and FUSE have no block device at all.
 */
final class BlockDevices {
    /** sysfs {@code size} files count 512-byte sectors, whatever the device's block size (block/genhd.c). */
    static final long SECTOR_BYTES = 512;

    private static final Pattern ATA_PORT = Pattern.compile("/ata\\d+/");
    private static final Pattern USB_BUS = Pattern.compile("/usb\\d+/");
    private static final Pattern SCHEDULER_IN_USE = Pattern.compile("\\[([^]]+)]");
    private static final String[] IEC_UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private final Path sysRoot;
    private final Path mountInfo;

    /**
     * @param sysRoot   where sysfs is mounted, {@code /sys}
     * @param mountInfo the mount table to fall back on, {@code /proc/self/mountinfo}
     */
    BlockDevices(Path sysRoot, Path mountInfo) {
        this.sysRoot = sysRoot;
        this.mountInfo = mountInfo;
    }

    /** This machine's: {@code /sys} and {@code /proc/self/mountinfo}. */
    static BlockDevices ofThisMachine() {
        return new BlockDevices(Path.of("/sys"), Path.of("/proc/self/mountinfo"));
    }

    /**
     * The disk under {@code path}, which must exist, such as
     * {@code "vda (virtio, 256 GiB, non-rotational, scheduler none, vendor 0x1af4)"}, or
     * {@code "sda2 on sda (ata, ...)"} for a partition, or {@code "no block device (tmpfs)"}.
     *
     * @param fileSystem the file system type, for the message when there is no block device
     */
    String describe(Path path, String fileSystem) {
        Optional<DeviceNumber> number = deviceNumber(path);
        Optional<Path> byNumber = number.flatMap(this::byDeviceNumber);
        if (byNumber.isPresent()) {
            return describeBlock(byNumber.get());
        }
        // Only now is the mount table needed: st_dev named no device that sysfs shows.
        Optional<MountTable.Mount> mount = realPath(path).flatMap(this::mountOf);
        Optional<Path> bySource = mount.flatMap(this::byMountSource);
        if (bySource.isPresent()) {
            return describeBlock(bySource.get());
        }
        // A block device that sysfs does not show, as in a container without /sys.
        if (mount.isPresent() && mount.get().source().startsWith("/dev/")) {
            String source = mount.get().source();
            return source.substring(source.lastIndexOf('/') + 1) + " (no sysfs entry)";
        }
        if (number.isPresent() && number.get().major() != 0) {
            return "block device " + number.get() + " (no sysfs entry)";
        }
        return "no block device (" + fileSystem + ")";
    }

    /** The path's {@code st_dev}, or empty when the file system provider does not say. */
    static Optional<DeviceNumber> deviceNumber(Path path) {
        try {
            return Files.getAttribute(path, "unix:dev") instanceof Long dev
                    ? Optional.of(DeviceNumber.of(dev))
                    : Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The sysfs directory of block device {@code number} (a disk or a partition), if there is one. */
    Optional<Path> byDeviceNumber(DeviceNumber number) {
        return realPath(sysRoot.resolve("dev").resolve("block").resolve(number.toString()));
    }

    /** The sysfs directory of the mount's source when it is a device node such as {@code /dev/sda2}. */
    Optional<Path> byMountSource(MountTable.Mount mount) {
        if (!mount.source().startsWith("/dev/")) {
            return Optional.empty();
        }
        Path source;
        try {
            source = Path.of(mount.source());
        } catch (InvalidPathException e) {
            return Optional.empty(); // a name this JVM's file-name encoding cannot hold
        }
        // /dev/mapper/vg-root and /dev/disk/by-uuid/... are links to the node, /dev/dm-0.
        Path node = realPath(source).orElse(source);
        return realPath(sysRoot.resolve("class").resolve("block").resolve(node.getFileName().toString()));
    }

    private Optional<MountTable.Mount> mountOf(Path realPath) {
        try {
            return MountTable.parse(Files.readString(mountInfo)).containing(realPath);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The disk that holds the block device at {@code blockDirectory}, named and described. */
    String describeBlock(Path blockDirectory) {
        boolean partition = Files.exists(blockDirectory.resolve("partition"));
        Path disk = partition ? blockDirectory.getParent() : blockDirectory;
        String name = partition
                ? blockDirectory.getFileName() + " on " + disk.getFileName()
                : disk.getFileName().toString();
        List<String> parts = new ArrayList<>();
        parts.add(transport(disk));
        parts.add(firstLine(disk.resolve("size")).flatMap(BlockDevices::parseLong)
                .map(sectors -> formatIec(sectors * SECTOR_BYTES)).orElse("size unknown"));
        parts.add(firstLine(disk.resolve("queue").resolve("rotational"))
                .map(flag -> switch (flag) {
                    case "0" -> "non-rotational";
                    case "1" -> "rotational";
                    default -> "rotational unknown";
                })
                .orElse("rotational unknown"));
        parts.add("scheduler " + firstLine(disk.resolve("queue").resolve("scheduler"))
                .flatMap(BlockDevices::schedulerInUse).orElse("unknown"));
        model(disk).ifPresent(parts::add);
        return name + " (" + String.join(", ", parts) + ")";
    }

    /**
     * How the disk is attached: {@code virtio}, {@code nvme}, {@code ata}, {@code usb},
     * {@code scsi}, ...; for a device with no hardware behind it, what it stands on.
     */
    private static String transport(Path disk) {
        Optional<String> mapperName = firstLine(disk.resolve("dm").resolve("name"));
        if (mapperName.isPresent()) {
            return "device-mapper " + mapperName.get();
        }
        Optional<String> backingFile = firstLine(disk.resolve("loop").resolve("backing_file"));
        if (backingFile.isPresent()) {
            return "loop of " + backingFile.get();
        }
        if (!Files.exists(disk.resolve("device"))) {
            return "virtual"; // md, zram, ram, a loop device with no file...
        }
        // SATA and USB disks show up on the scsi bus; their place in the device tree says more.
        String where = disk.toString() + "/";
        if (ATA_PORT.matcher(where).find()) {
            return "ata";
        }
        if (USB_BUS.matcher(where).find()) {
            return "usb";
        }
        return realPath(disk.resolve("device").resolve("subsystem"))
                .map(subsystem -> subsystem.getFileName().toString())
                .orElse("transport unknown");
    }

    /** {@code device/model} (NVMe, SCSI), else {@code device/vendor} (virtio's PCI vendor id). */
    private static Optional<String> model(Path disk) {
        Path device = disk.resolve("device");
        return firstLine(device.resolve("model")).map(model -> "model " + model)
                .or(() -> firstLine(device.resolve("vendor")).map(vendor -> "vendor " + vendor));
    }

    /** The bracketed entry of a {@code queue/scheduler} line such as {@code "none [mq-deadline] kyber"}. */
    static Optional<String> schedulerInUse(String line) {
        var matcher = SCHEDULER_IN_USE.matcher(line);
        if (matcher.find()) {
            return Optional.of(matcher.group(1));
        }
        // Devices without an elevator list a single "none" with no brackets.
        return line.isBlank() || line.contains(" ") ? Optional.empty() : Optional.of(line);
    }

    /** A byte count in the largest IEC unit it reaches, with one decimal unless exact: "256 GiB", "1.8 TiB". */
    static String formatIec(long bytes) {
        int unit = 0;
        while (unit + 1 < IEC_UNITS.length && bytes >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        long scale = 1L << (10 * unit);
        return bytes % scale == 0
                ? bytes / scale + " " + IEC_UNITS[unit]
                : String.format(Locale.ROOT, "%.1f %s", (double) bytes / scale, IEC_UNITS[unit]);
    }

    /** The first line of a small file, trimmed; empty when it is missing, unreadable or blank. */
    static Optional<String> firstLine(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line = reader.readLine();
            return line == null || line.isBlank() ? Optional.empty() : Optional.of(line.trim());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** {@code text} as a long, or empty when it is not one. */
    static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
