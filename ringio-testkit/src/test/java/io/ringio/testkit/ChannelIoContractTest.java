package io.ringio.testkit;

import io.ringio.io.Io;
import io.ringio.io.IoOptions;
import io.ringio.io.channel.ChannelIo;

/** The Io contract on the FileChannel backend. */
class ChannelIoContractTest extends IoContractTest {
    @Override
    protected Io newIo(int capacity) {
        return ChannelIo.open(capacity, IoOptions.WORKERS_DEFAULT, "the contract suite asks for FileChannel");
    }
}
