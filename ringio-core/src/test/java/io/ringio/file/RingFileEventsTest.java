package io.ringio.file;

import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/** What JFR sees: the file layer's own events, and no virtual thread pinned by a blocking call. */
class RingFileEventsTest {
    private static final int THREADS = 200;

    @TempDir
    Path dir;

    private static EventLoop uringLoop() {
        return EventLoop.start(EventLoopOptions.defaults()
                .withIo(IoOptions.defaults().withBackend(IoOptions.Choice.URING).withCapacity(256).withSingleIssuer(true)));
    }

    private List<RecordedEvent> record(Recording recording, ThrowingRunnable work) throws Exception {
        recording.start();
        work.run();
        recording.stop();
        Path out = dir.resolve("recording.jfr");
        recording.dump(out);
        recording.close();
        return RecordingFile.readAllEvents(out);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static final List<String> EVENTS = List.of("io.ringio.FileRead", "io.ringio.FileWrite", "io.ringio.FileForce");

    @Test
    void readsWritesAndSyncsAreRecordedWithPathBytesAndDuration() throws Exception {
        Recording recording = new Recording();
        for (String name : EVENTS) {
            recording.enable(name).withThreshold(Duration.ZERO);
        }
        Path path = dir.resolve("events");
        try (EventLoop loop = uringLoop()) {
            List<RecordedEvent> events = record(recording, () -> {
                try (RingFile file = RingFile.openBlocking(loop, path, READ, WRITE, CREATE)) {
                    file.blocking().writeFully(new byte[1000], 0, 1000, 24);
                    file.blocking().readAt(new byte[4000], 0, 4000, 0);
                    file.blocking().readAt(new byte[10], 0, 10, 5000);
                    file.blocking().datasync();
                    file.sync().join();
                }
            });
            List<RecordedEvent> reads = byName(events, "io.ringio.FileRead");
            List<RecordedEvent> writes = byName(events, "io.ringio.FileWrite");
            List<RecordedEvent> forces = byName(events, "io.ringio.FileForce");
            assertThat(reads).hasSize(2);
            assertThat(reads.get(0).getString("path")).isEqualTo(path.toString());
            assertThat(reads.get(0).getLong("bytesRead")).isEqualTo(1024);
            assertThat(reads.get(0).getBoolean("endOfFile")).isFalse();
            assertThat(reads.get(1).getLong("bytesRead")).isZero();
            assertThat(reads.get(1).getBoolean("endOfFile")).isTrue();
            assertThat(writes).hasSize(1);
            assertThat(writes.get(0).getLong("bytesWritten")).isEqualTo(1000);
            assertThat(writes.get(0).getLong("offset")).isEqualTo(24);
            assertThat(writes.get(0).getDuration().isNegative()).isFalse();
            assertThat(forces).extracting(e -> e.getBoolean("metaData")).containsExactly(false, true);
        }
    }

    @Test
    void theEventsDefaultToJdkFileReadsThresholdOf20Ms() {
        for (Class<? extends jdk.jfr.Event> type : List.of(FileReadEvent.class, FileWriteEvent.class, FileForceEvent.class)) {
            assertThat(EventType.getEventType(type).getSettingDescriptors())
                    .as(type.getSimpleName()).filteredOn(d -> d.getName().equals("threshold"))
                    .extracting(SettingDescriptor::getDefaultValue).containsExactly("20 ms");
        }
    }

    @Test
    void aRecordingThatDoesNotNameTheEventsTakesOnlyOperationsOver20Ms() throws Exception {
        Path path = dir.resolve("fast");
        try (EventLoop loop = uringLoop()) {
            List<RecordedEvent> events = record(new Recording(), () -> {
                try (RingFile file = RingFile.openBlocking(loop, path, READ, WRITE, CREATE)) {
                    for (int i = 0; i < 10; i++) {
                        file.blocking().writeAt(new byte[100], 0, 100, i * 100L);
                        file.blocking().readAt(new byte[100], 0, 100, i * 100L);
                    }
                }
            });
            // Only operations over the threshold, if any was that slow.
            assertThat(events).filteredOn(e -> EVENTS.contains(e.getEventType().getName()))
                    .allSatisfy(e -> assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20)));
        }
    }

    /**
     * Virtual threads blocked in ringio's blocking calls park without pinning their carriers. The
     * control, a virtual thread that parks inside a class initializer (which the JDK still cannot
     * unmount), shows that the recording would catch a pin.
     */
    @Test
    void blockingCallsNeverPinAVirtualThread() throws Exception {
        neverPinned(null, PinsInItsInitializer::touch, "PinsInItsInitializer");
    }

    /**
     * The same on virtual threads of the loop's own thread, where a pin would matter most: a
     * thread that parks pinned holds the loop's thread (the control's 30 ms park holds it that long).
     */
    @Test
    void blockingCallsNeverPinAVirtualThreadOfTheLoopsOwnThread() throws Exception {
        neverPinned(EventLoop::virtualThreadFactory, PinsInItsInitializerOnTheLoop::touch, "PinsInItsInitializerOnTheLoop");
    }

    private void neverPinned(java.util.function.Function<EventLoop, java.util.concurrent.ThreadFactory> factoryOf,
                             Runnable pinsOnce, String controlClass) throws Exception {
        Recording recording = new Recording();
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        // Off, or a slow read would be committed on its virtual thread, and JFR's own event writer
        // pins while it adds the path to its string pool: a pin of JFR's, not of ringio's wait
        // (FileReadEvent's Javadoc says so). So this checks the waits, not the events' commits.
        for (String name : EVENTS) {
            recording.disable(name);
        }
        Path path = dir.resolve("pinning");
        try (EventLoop loop = uringLoop()) {
            java.util.concurrent.ThreadFactory factory = factoryOf == null ? Thread.ofVirtual().factory() : factoryOf.apply(loop);
            RingFile file = RingFile.openBlocking(loop, path, READ, WRITE, CREATE);
            file.blocking().truncate(THREADS * 4096L);
            // Once on this platform thread first: a virtual thread that loads a class is pinned
            // while the class loader works, and that is the JVM's first use, not a blocking call.
            exercise(file, 0);
            List<RecordedEvent> events = record(recording, () -> {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long position = t * 4096L;
                    Thread thread = factory.newThread(() -> exercise(file, position));
                    threads.add(thread);
                    thread.start();
                }
                Thread control = factory.newThread(pinsOnce);
                control.start();
                for (Thread t : threads) {
                    t.join();
                }
                control.join();
            });
            List<RecordedEvent> pinned = byName(events, "jdk.VirtualThreadPinned");
            assertThat(pinned).as("pins of the control").anyMatch(pin -> isControl(pin, controlClass));
            assertThat(pinned).as("pins other than the control's").allMatch(pin -> isControl(pin, controlClass));
            file.close();
        }
    }

    private static void exercise(RingFile file, long position) {
        try {
            byte[] block = new byte[4096];
            for (int i = 0; i < 20; i++) {
                file.blocking().writeAt(block, 0, block.length, position);
                file.blocking().readFully(block, 0, block.length, position);
            }
            file.blocking().datasync();
            file.blocking().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Parks in its static initializer: the one place a virtual thread is still pinned by plain Java. */
    static final class PinsInItsInitializer {
        static {
            LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
        }

        static void touch() {
        }
    }

    /** The same, for the run on the loop's own threads: a class initializer runs once per JVM. */
    static final class PinsInItsInitializerOnTheLoop {
        static {
            LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
        }

        static void touch() {
        }
    }

    private static boolean isControl(RecordedEvent pin, String controlClass) {
        return pin.getStackTrace() != null && pin.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().endsWith("$" + controlClass));
    }

    private static List<RecordedEvent> byName(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
