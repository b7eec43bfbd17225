package io.ringio.loop;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-off queue's close: offers fail from then on, and what got in before is still taken. */
class MpscQueueTest {
    @Test
    void aClosedQueueRefusesOffersAndKeepsWhatCameBefore() {
        MpscQueue<String> queue = new MpscQueue<>(4);
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        queue.close();
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.offer("c")).isFalse();
        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        assertThat(queue.offer("d")).isFalse();
        queue.close();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aFullQueueThatClosesStillRefuses() {
        MpscQueue<String> queue = new MpscQueue<>(2);
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isFalse();
        queue.close();
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.offer("c")).as("a freed cell in a closed queue").isFalse();
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.isEmpty()).isTrue();
    }
}
