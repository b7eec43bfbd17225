package io.ringio.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RingSupportTest {
    @Test
    void kernelReleasesAreComparedByMajorAndMinor() {
        assertThat(RingSupport.kernelAtLeast("6.18.44-fc-v657", 5, 19)).isTrue();
        assertThat(RingSupport.kernelAtLeast("5.19.0", 5, 19)).isTrue();
        assertThat(RingSupport.kernelAtLeast("5.15.0-91-generic", 5, 19)).isFalse();
        assertThat(RingSupport.kernelAtLeast("4.19.0", 5, 19)).isFalse();
        assertThat(RingSupport.kernelAtLeast("10.0", 5, 19)).isTrue();
        assertThat(RingSupport.kernelAtLeast("unknown", 5, 19)).as("unknown: let the kernel decide").isTrue();
    }

    @Test
    void eachRefusalNamesItsFix() {
        assertThat(RingSupport.fixFor(io.ringio.sys.Errno.ENOSYS, null)).contains("upgrade the kernel");
        assertThat(RingSupport.fixFor(io.ringio.sys.Errno.EPERM, null)).containsAnyOf("io_uring_disabled", "seccomp");
        assertThat(RingSupport.fixFor(io.ringio.sys.Errno.ENOMEM, null)).contains("ulimit -l");
        assertThat(RingSupport.nativeAccessFix()).contains("--enable-native-access=");
    }
}
