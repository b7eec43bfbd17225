package io.ringio.testkit;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.io.uring.UringIo;

/** The Io contract on io_uring. */
class UringIoContractTest extends IoContractTest {
    @Override
    protected Io newIo(int capacity) {
        return UringIo.open(IoOptions.defaults().withBackend(IoOptions.Choice.URING).withCapacity(capacity),
                "the contract suite asks for io_uring");
    }
}
