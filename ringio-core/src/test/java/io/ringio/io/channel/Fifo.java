package io.ringio.io.channel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A named pipe, for an operation that blocks a worker until the test lets it go: open(2) of a
 * FIFO for reading waits until a writer opens it.
 */
record Fifo(Path path, FileChannel[] writer) implements AutoCloseable {
    static Fifo create(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            fail("mkfifo " + path + " exited with " + mkfifo.exitValue());
        }
        return new Fifo(path, new FileChannel[1]);
    }

    /** Opens the write end, which lets a reader blocked in open(2) go on. */
    void openWriter() throws IOException {
        writer[0] = FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /** Waits until some ChannelIo worker is inside the JDK's native open (blocked on the FIFO). */
    static void awaitWorkerBlockedInOpen() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().startsWith("ringio-channel-") && Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals("sun.nio.fs.UnixNativeDispatcher") && f.getMethodName().startsWith("open"))) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        fail("no ringio-channel worker blocked in open within 10 s");
    }

    @Override
    public void close() throws IOException {
        if (writer[0] != null) {
            writer[0].close();
        }
    }
}
