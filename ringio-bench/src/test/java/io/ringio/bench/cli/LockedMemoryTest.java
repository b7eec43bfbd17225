package io.ringio.bench.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockedMemoryTest {
    private static final String PROC_LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max locked memory         8388608              16777216             bytes
            Max address space         unlimited            unlimited            bytes
            """;

    @Test
    void parsesSoftAndHardLimitInBytes() {
        assertThat(LockedMemory.parseLimit(PROC_LIMITS)).contains(new LockedMemory.Limit(8 << 20, 16 << 20));
        assertThat(LockedMemory.parseLimit(PROC_LIMITS).orElseThrow().describe()).isEqualTo("soft 8 MiB, hard 16 MiB");
    }

    @Test
    void parsesUnlimited() {
        String limits = "Max locked memory         unlimited            unlimited            bytes\n";
        LockedMemory.Limit limit = LockedMemory.parseLimit(limits).orElseThrow();

        assertThat(limit.softBytes()).isEqualTo(LockedMemory.UNLIMITED);
        assertThat(limit.describe()).isEqualTo("unlimited");
        assertThat(new LockedMemory.Limit(65536, LockedMemory.UNLIMITED).describe())
                .isEqualTo("soft 64 KiB, hard unlimited");
    }

    @Test
    void missingOrGarbledRowIsUnknown() {
        assertThat(LockedMemory.parseLimit("Max cpu time  unlimited  unlimited  seconds\n")).isEmpty();
        assertThat(LockedMemory.parseLimit("Max locked memory  lots  more  bytes\n")).isEmpty();
    }

    @Test
    void currentLimitOfThisProcessIsReadable() {
        assertThat(LockedMemory.currentLimit()).isPresent();
    }

    @Test
    void formatsBytesInKibAndMib() {
        assertThat(LockedMemory.formatBytes(512)).isEqualTo("512 bytes");
        assertThat(LockedMemory.formatBytes(64 * 1024)).isEqualTo("64 KiB");
        assertThat(LockedMemory.formatBytes(1536)).isEqualTo("1.5 KiB");
        assertThat(LockedMemory.formatBytes(8L << 20)).isEqualTo("8 MiB");
        assertThat(LockedMemory.formatBytes(3L << 19)).isEqualTo("1.5 MiB");
    }
}
