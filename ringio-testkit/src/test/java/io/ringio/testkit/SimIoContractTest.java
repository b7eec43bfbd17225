package io.ringio.testkit;

import io.ringio.io.Io;
import io.ringio.io.sim.SimIo;
import io.ringio.io.sim.SimOptions;

import java.time.Instant;

/**
 * The Io contract on the simulator, with faults off. Each Io is a fresh disk holding the test's
 * temporary directory; its clock starts at the wall-clock time, so that the suite's checks of
 * modification times hold, and timeouts are measured on the virtual clock.
 */
class SimIoContractTest extends IoContractTest {
    private static final long SEED = 0x5EED_C0DEL;

    @Override
    protected Io newIo(int capacity) {
        Instant now = Instant.now();
        SimIo sim = SimIo.open(SimOptions.seed(SEED).withCapacity(capacity)
                .withEpochNanos(now.getEpochSecond() * 1_000_000_000L + now.getNano()));
        sim.createDurableDirectories(dir.toString());
        return sim;
    }

    @Override
    protected long clockNanos() {
        return ((SimIo) io).nowNanos();
    }

    @Override
    protected boolean usesHostFileSystem() {
        return false;
    }
}
