package io.ringio.ring;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightSetTest {
    @Test
    void randomAddsAndRemovesAgreeWithHashSet() {
        Random random = new Random(7);
        InFlightSet set = new InFlightSet(500);
        Set<Long> model = new HashSet<>();
        for (int step = 0; step < 200_000; step++) {
            // A small key space forces long probe runs and many backward shifts.
            long key = random.nextInt(1000) - 500L;
            if (random.nextBoolean() && !set.isFull() && !set.contains(key)) {
                set.add(key);
                model.add(key);
            } else {
                assertThat(set.remove(key)).isEqualTo(model.remove(key));
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        for (long key = -500; key < 500; key++) {
            assertThat(set.contains(key)).as("key %d", key).isEqualTo(model.contains(key));
        }
    }

    @Test
    void reportsFullAtItsLimit() {
        InFlightSet set = new InFlightSet(3);
        set.add(1);
        set.add(2);
        assertThat(set.isFull()).isFalse();
        set.add(3);
        assertThat(set.isFull()).isTrue();
        assertThat(set.remove(2)).isTrue();
        assertThat(set.isFull()).isFalse();
    }
}
