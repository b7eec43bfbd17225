package io.ringio.testkit;

import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;

import java.nio.file.Path;

/** The file layer's contract on io_uring, on a started loop. */
class UringRingFileContractTest extends RingFileContractTest {
    @Override
    protected EventLoop newLoop(Path dir) {
        return EventLoop.start(EventLoopOptions.defaults()
                .withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING).withCapacity(256).withSingleIssuer(true)));
    }
}
