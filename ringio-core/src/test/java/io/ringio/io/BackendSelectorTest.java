package io.ringio.io;

import org.junit.jupiter.api.Test;

import static io.ringio.io.IoOptions.Choice.AUTO;
import static io.ringio.io.IoOptions.Choice.CHANNEL;
import static io.ringio.io.IoOptions.Choice.URING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSelectorTest {
    private static final String CAUSE = "io_uring_setup failed: EPERM (...)";

    @Test
    void autoPicksUringWhenUsableAndChannelWithTheCauseWhenNot() {
        assertThat(BackendSelector.choose(AUTO, null, null, true, null).kind()).isEqualTo(IoBackend.Kind.URING);
        IoBackend fallback = BackendSelector.choose(AUTO, null, null, false, CAUSE);
        assertThat(fallback.kind()).isEqualTo(IoBackend.Kind.CHANNEL);
        assertThat(fallback.reason()).contains(CAUSE);
    }

    @Test
    void thePropertyOverridesTheEnvironmentWhichOverridesTheOptions() {
        assertThat(BackendSelector.choose(URING, null, "channel", true, null).kind()).isEqualTo(IoBackend.Kind.CHANNEL);
        IoBackend byProperty = BackendSelector.choose(CHANNEL, "uring", "channel", true, null);
        assertThat(byProperty.kind()).isEqualTo(IoBackend.Kind.URING);
        assertThat(byProperty.reason()).contains("-Dringio.backend=uring");
        assertThat(BackendSelector.choose(CHANNEL, " AUTO ", null, true, null).kind()).isEqualTo(IoBackend.Kind.URING);
    }

    @Test
    void forcingUringWhereItIsUnusableFailsWithTheCause() {
        assertThatThrownBy(() -> BackendSelector.choose(AUTO, null, "uring", false, CAUSE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(CAUSE).hasMessageContaining("RINGIO_BACKEND");
    }

    @Test
    void anUnknownOverrideIsRejectedWithItsValue() {
        assertThatThrownBy(() -> BackendSelector.choose(AUTO, "epoll", null, true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringio.backend=epoll");
    }

    @Test
    void ioOpenHonoursTheSystemProperty() {
        String before = System.getProperty(BackendSelector.PROPERTY);
        try {
            System.setProperty(BackendSelector.PROPERTY, "channel");
            try (Io io = Io.open(IoOptions.defaults().withCapacity(8))) {
                assertThat(io.backend().kind()).isEqualTo(IoBackend.Kind.CHANNEL);
            }
            System.setProperty(BackendSelector.PROPERTY, "uring");
            try (Io io = Io.open(IoOptions.defaults().withCapacity(8))) {
                assertThat(io.backend().kind()).isEqualTo(IoBackend.Kind.URING);
            }
        } finally {
            if (before == null) {
                System.clearProperty(BackendSelector.PROPERTY);
            } else {
                System.setProperty(BackendSelector.PROPERTY, before);
            }
        }
    }
}
