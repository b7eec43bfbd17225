package io.ringio.bench.machine;

/**
 * A device number split into major and minor, as {@code /sys/dev/block/MAJ:MIN} and the third
 * column of {@code /proc/self/mountinfo} spell it. Linux itself uses 12 bits of major and 20 of
 * minor; glibc's encoding leaves room for 32 bits of each, hence {@code long} here.
 *
 * @param major the driver's number, 254 for the first virtio disk here
 * @param minor the device's number within the driver
 */
record DeviceNumber(long major, long minor) {
    DeviceNumber {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("major=" + major + " minor=" + minor + " must not be negative");
        }
    }

    /**
     * Splits a 64-bit {@code dev_t} (a {@code st_dev}, which Java reads as {@code "unix:dev"}) the
     * way glibc's {@code major(3)} and {@code minor(3)} do ({@code bits/sysmacros.h}). The layout
     * keeps the old 8-bit major and minor where they were and puts the wider bits above them:
     * <pre>
     *  63          44 43                 20 19         8 7          0
     * +--------------+---------------------+------------+------------+
     * | major 31..12 | minor 31..8         | major 11..0| minor 7..0 |
     * +--------------+---------------------+------------+------------+
     * </pre>
     * Hence {@code major = (dev >> 8) & 0xfff | (dev >> 32) & ~0xfff} and
     * {@code minor = dev & 0xff | (dev >> 12) & ~0xff}, each as a 32-bit unsigned value.
     */
    static DeviceNumber of(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xffff_f000L);
        long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffff_ff00L);
        return new DeviceNumber(major, minor);
    }

    /** {@code "254:0"}. */
    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
