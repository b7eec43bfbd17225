package io.ringio.testkit;

import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;

import java.nio.file.Path;

/** The file layer's contract on the FileChannel backend, on a started loop. */
class ChannelRingFileContractTest extends RingFileContractTest {
    @Override
    protected EventLoop newLoop(Path dir) {
        return EventLoop.start(EventLoopOptions.defaults()
                .withIo(IoOptions.defaults().withBackend(IoOptions.Choice.CHANNEL).withCapacity(256)));
    }
}
