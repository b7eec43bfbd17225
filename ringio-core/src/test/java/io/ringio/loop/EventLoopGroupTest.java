package io.ringio.loop;

import io.ringio.file.RingFile;
import io.ringio.io.IoOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLoopGroupTest {
    @TempDir
    Path dir;

    private static EventLoopOptions options() {
        return EventLoopOptions.defaults().withIo(IoOptions.defaults().withCapacity(64).withSingleIssuer(true));
    }

    @Test
    void filesOpenedOnNextAreSpreadEvenlyAndEachStaysOnItsLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(3, options())) {
            assertThat(group.loops()).hasSize(3).doesNotHaveDuplicates();
            List<RingFile> files = new ArrayList<>();
            Map<EventLoop, Integer> perLoop = new HashMap<>();
            for (int i = 0; i < 9; i++) {
                RingFile file = RingFile.openBlocking(group.next(), dir.resolve("f" + i), READ, WRITE, CREATE);
                files.add(file);
                perLoop.merge(file.loop(), 1, Integer::sum);
            }
            assertThat(perLoop).hasSize(3).allSatisfy((loop, n) -> assertThat(n).isEqualTo(3));
            for (int i = 0; i < files.size(); i++) {
                EventLoop loop = files.get(i).loop();
                assertThat(loop).as("file %d, opened in turn", i).isSameAs(group.loops().get(i % 3));
                long writesBefore = loop.stats().completedWrites();
                files.get(i).blocking().writeFully(new byte[] {(byte) i}, 0, 1, 0);
                assertThat(loop.stats().completedWrites() - writesBefore).as("the write ran on the file's loop")
                        .isEqualTo(1);
            }
            for (RingFile file : files) {
                file.close();
            }
        }
    }

    @Test
    void closingTheGroupClosesEveryLoop() {
        EventLoopGroup group = EventLoopGroup.start(2, options());
        group.close();
        assertThat(group.loops()).allSatisfy(loop -> {
            assertThat(loop.isClosed()).isTrue();
            assertThat(loop.terminationFuture()).isDone();
        });
    }

    @Test
    void aGroupOutsideItsSizeIsRefused() {
        assertThatThrownBy(() -> EventLoopGroup.start(0, options())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count=0");
        assertThatThrownBy(() -> EventLoopGroup.start(EventLoopGroup.LOOPS_MAX + 1, options()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommonGroupHasALoopPerCoreAndRefusesToClose() {
        EventLoopGroup common = EventLoopGroup.common();
        assertThat(EventLoopGroup.common()).isSameAs(common);
        assertThat(common.loops()).hasSize(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(common::close).isInstanceOf(IllegalStateException.class);
    }
}
