package io.ringio.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's own code, outside JMH: every mode runs its invocations and stops its threads. */
class LoopWaitBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"futures", "carried", "jdk"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eachModeRunsItsOperationsAndStops(String mode) throws Exception {
        LoopWaitBenchmark benchmark = new LoopWaitBenchmark();
        benchmark.mode = mode;
        try {
            benchmark.startLoop();
            for (int i = 0; i < 5; i++) {
                benchmark.operations();
            }
            assertThat(benchmark.completed()).isEqualTo(5L * LoopWaitBenchmark.OPS_PER_INVOCATION);
        } finally {
            benchmark.stopLoop();
        }
    }

    @Test
    void anUnknownModeIsRefused() {
        LoopWaitBenchmark benchmark = new LoopWaitBenchmark();
        benchmark.mode = "spinning";
        assertThatThrownBy(benchmark::startLoop).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("futures, carried or jdk");
    }
}
