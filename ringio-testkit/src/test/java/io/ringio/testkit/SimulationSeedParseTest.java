package io.ringio.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SimSeed#parse} and {@link SimSeed#toString}: the form seeds are printed and replayed in. */
class SimulationSeedParseTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -1, -42, Long.MAX_VALUE, Long.MIN_VALUE, 0x1f3a5c7e9b2d4f60L})
    void printedSeedParsesBackToItself(long value) {
        SimSeed seed = new SimSeed(value);

        assertThat(SimSeed.parse(seed.toString())).isEqualTo(seed);
        assertThat(SimSeed.parse(Long.toString(value))).isEqualTo(seed);
    }

    @Test
    void printsUnsignedLowerCaseHexWithoutLeadingZeros() {
        assertThat(new SimSeed(42)).hasToString("0x2a");
        assertThat(new SimSeed(-1)).hasToString("0xffffffffffffffff");
        assertThat(new SimSeed(0)).hasToString("0x0");
    }

    @Test
    void readsHexInEitherCaseUnsignedDecimalAndSurroundingSpace() {
        assertThat(SimSeed.parse("0X2A").value()).isEqualTo(42);
        assertThat(SimSeed.parse("0x000000000000002a").value()).isEqualTo(42);
        assertThat(SimSeed.parse("18446744073709551615").value()).isEqualTo(-1);
        assertThat(SimSeed.parse(" 7\n").value()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0x", "abc", "12abc", "0x1g", "0x+1", "0x-1", "+5", "--1", "1.5",
            "0x10000000000000000", "18446744073709551616", "-9223372036854775809"})
    void rejectsTextThatIsNoSeedQuotingIt(String text) {
        assertThatThrownBy(() -> SimSeed.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
