package io.ringio.io.channel;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TagTableTest {
    @Test
    void behavesLikeAMapUnderRandomAddsAndRemoves() {
        long seed = 20260101L;
        SplittableRandom random = new SplittableRandom(seed);
        int limit = 100;
        TagTable table = new TagTable(limit);
        Map<Long, ChannelOp> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            // A small key range forces collisions and long probe runs; negative and zero keys too.
            long tag = random.nextLong(-150, 150) * (random.nextBoolean() ? 1 : 1L << 40);
            if (random.nextBoolean() && !model.containsKey(tag) && !table.isFull()) {
                ChannelOp op = new ChannelOp();
                table.put(tag, op);
                model.put(tag, op);
            } else {
                assertThat(table.remove(tag)).as("seed %d step %d", seed, step).isEqualTo(model.remove(tag) != null);
            }
            assertThat(table.size()).isEqualTo(model.size());
            if (step % 64 == 0) {
                for (Map.Entry<Long, ChannelOp> e : model.entrySet()) {
                    assertThat(table.get(e.getKey())).as("seed %d step %d", seed, step).isSameAs(e.getValue());
                }
            }
        }
    }

    @Test
    void isFullAtItsLimitAndEmptyAfterClear() {
        TagTable table = new TagTable(3);
        for (long tag = 0; tag < 3; tag++) {
            table.put(tag, new ChannelOp());
        }
        assertThat(table.isFull()).isTrue();
        assertThat(table.get(3)).isNull();
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(0)).isNull();
    }
}
