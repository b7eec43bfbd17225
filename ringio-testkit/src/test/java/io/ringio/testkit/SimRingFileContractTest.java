package io.ringio.testkit;

import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;
import io.ringio.loop.EventLoop;

import java.nio.file.Path;

/** The file layer's contract on the simulator, on a stepped loop that the test's waits run. */
class SimRingFileContractTest extends RingFileContractTest {
    @Override
    protected EventLoop newLoop(Path dir) {
        SimIo sim = SimIo.open(SimOptions.seed(0xF11EL).withCapacity(256));
        sim.createDurableDirectories(dir.toString());
        return EventLoop.stepped(sim);
    }
}
