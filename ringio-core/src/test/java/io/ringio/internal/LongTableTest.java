package io.ringio.internal;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LongTableTest {
    @Test
    void behavesLikeAMapUnderRandomPutsAndRemoves() {
        long seed = 20260101L;
        SplittableRandom random = new SplittableRandom(seed);
        int limit = 100;
        LongTable<Object> table = new LongTable<>(limit);
        Map<Long, Object> model = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            // A small key range forces collisions, long probe runs and many backward shifts;
            // negative keys, zero and Long.MIN_VALUE are ordinary keys.
            long key = random.nextInt(8) == 0 ? Long.MIN_VALUE
                    : random.nextLong(-150, 150) * (random.nextBoolean() ? 1 : 1L << 40);
            if (random.nextBoolean() && !model.containsKey(key) && !table.isFull()) {
                Object value = new Object();
                table.put(key, value);
                model.put(key, value);
            } else {
                assertThat(table.remove(key)).as("seed %d step %d", seed, step).isSameAs(model.remove(key));
            }
            assertThat(table.size()).isEqualTo(model.size());
            if (step % 64 == 0) {
                for (Map.Entry<Long, Object> e : model.entrySet()) {
                    assertThat(table.get(e.getKey())).as("seed %d step %d", seed, step).isSameAs(e.getValue());
                }
            }
        }
    }

    @Test
    void isFullAtItsLimitAndEmptyAfterClear() {
        LongTable<String> table = new LongTable<>(3);
        for (long key = 0; key < 3; key++) {
            table.put(key, "v" + key);
        }
        assertThat(table.isFull()).isTrue();
        assertThat(table.containsKey(3)).isFalse();
        assertThat(table.remove(1)).isEqualTo("v1");
        assertThat(table.isFull()).isFalse();
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(0)).isNull();
    }
}
