package io.ringio.bench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitsTest {
    @Test
    void sizesTakeBinarySuffixes() {
        assertThat(Units.bytes("4096")).isEqualTo(4096);
        assertThat(Units.bytes("4k")).isEqualTo(4096);
        assertThat(Units.bytes("128KiB")).isEqualTo(128 << 10);
        assertThat(Units.bytes("1G")).isEqualTo(1L << 30);
        assertThat(Units.bytes("2m")).isEqualTo(2L << 20);
    }

    @Test
    void nonsenseSizesAreRejected() {
        assertThatThrownBy(() -> Units.bytes("-4k")).isInstanceOf(TypeConversionException.class).hasMessageContaining("'-4k'");
        assertThatThrownBy(() -> Units.bytes("4x")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> Units.bytes("99999999999t")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void durationsAreSecondsUnlessTheySayOtherwise() {
        assertThat(Units.nanos("2")).isEqualTo(2_000_000_000L);
        assertThat(Units.nanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Units.nanos("500ms")).isEqualTo(500_000_000L);
        assertThat(Units.nanos("1m")).isEqualTo(60_000_000_000L);
        assertThatThrownBy(() -> Units.nanos("-1s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> Units.nanos("soon")).isInstanceOf(TypeConversionException.class);
    }
}
