package io.ringio.file;

import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An interrupted {@code lock} must not release the locks other threads hold through the same,
 * still open, channel (the JDK's lock closes its channel on an interrupt, which would).
 */
class RingFileChannelLockTest {
    @TempDir
    Path dir;

    @Test
    void aLockCallOfAnInterruptedThreadLeavesTheHeldLocksValid() throws Exception {
        for (IoOptions.Choice backend : new IoOptions.Choice[] {IoOptions.Choice.URING, IoOptions.Choice.CHANNEL}) {
            try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults().withIo(IoOptions.defaults().withBackend(backend)));
                 RingFileChannel channel = RingFileChannel.open(loop, dir.resolve("f-" + backend), CREATE, READ, WRITE)) {
                FileLock held = channel.lock(0, 10, false);
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        channel.lock(100, 10, false);
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                });
                t.start();
                t.join();
                assertThat(thrown.get()).isInstanceOf(FileLockInterruptionException.class);
                assertThat(channel.isOpen()).isTrue();
                assertThat(held.isValid()).as(backend + ": the lock held before the interrupted call").isTrue();
                held.release();
            }
        }
    }

    /** Another process holds [0, 10): lock waits for it, an interrupt ends the wait, and after its release lock takes it. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLockThatWaitsForAnotherProcessEndsOnAnInterruptAndTakesTheLockOnceFree() throws Exception {
        Path file = dir.resolve("contended");
        try (EventLoop loop = EventLoop.start(EventLoopOptions.defaults());
             RingFileChannel channel = RingFileChannel.open(loop, file, CREATE, READ, WRITE)) {
            FileLock held = channel.lock(100, 10, false);
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("locked");

                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        channel.lock(0, 10, false);
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                });
                waiter.start();
                Thread.sleep(200);
                assertThat(waiter.isAlive()).as("waiting for the other process's lock").isTrue();
                waiter.interrupt();
                waiter.join(10_000);
                assertThat(thrown.get()).isInstanceOf(FileLockInterruptionException.class);
                assertThat(held.isValid()).isTrue();

                holder.getOutputStream().close(); // the holder releases its lock and exits
                FileLock taken = channel.lock(0, 10, false);
                assertThat(taken.isValid()).isTrue();
                taken.release();
            } finally {
                holder.destroy();
                holder.waitFor();
            }
        }
    }

    /** Holds an exclusive lock on [0, 10) of the file in its argument until its standard input ends. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), READ, WRITE);
                 FileLock lock = channel.lock(0, 10, false)) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the parent closes our input
                }
            }
        }
    }
}
