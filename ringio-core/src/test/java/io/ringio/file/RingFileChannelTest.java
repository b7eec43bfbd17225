package io.ringio.file;

import io.ringio.buffer.BufferPool;
import io.ringio.io.IoOptions;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;
import io.ringio.ring.Ring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link RingFileChannel} against the JDK's {@link FileChannel}: every case runs the same
 * operations on a ring channel and on a JDK channel, each on its own file, and compares every
 * outcome (return values, buffer states, positions, sizes, exception types) and the files'
 * contents at the end. The cases run once over io_uring and once over the FileChannel backend.
 *
 * <p>The random sequence takes its seed from {@code -Dringio.channel.seed=0x...} when given, and
 * otherwise draws one and names it in every failure message.
 */
class RingFileChannelTest {
    private static final String SEED_PROPERTY = "ringio.channel.seed";
    /** Operations in one random sequence. */
    private static final int RANDOM_OPS = 2_000;
    /** Largest buffer of an ordinary random operation. */
    private static final int BUFFER_BYTES_MAX = 8192;
    /** A heap buffer this large takes several pooled chunks. */
    private static final int LARGE_BYTES = 2 * BufferPool.CLASS_MAX_BYTES + 4321;
    /** How far past the end random positions reach. */
    private static final int PAST_END_BYTES = 4096;

    /** One operation, applied to each side's channel and (where it needs one) its peer channel. */
    @FunctionalInterface
    interface Op {
        Object apply(FileChannel channel, FileChannel peer) throws Exception;
    }

    /** An operation and how a failure message names it. */
    record Step(String text, Op op) {}

    /** A buffer both sides make alike: contents from {@code fill}, then position and limit. */
    record BufferSpec(boolean direct, int capacity, int position, int limit, long fill, boolean readOnly) {
        ByteBuffer make() {
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            b.put(pattern(capacity, fill)).clear();
            b.limit(limit).position(position);
            return readOnly ? b.asReadOnlyBuffer() : b;
        }

        @Override
        public String toString() {
            return (direct ? "direct" : "heap") + (readOnly ? " read-only" : "") + "[" + position + ", " + limit + ") of "
                    + capacity;
        }
    }

    @Nested
    class OnUring extends Cases {
        @Override
        IoOptions.Choice backend() {
            return IoOptions.Choice.URING;
        }
    }

    @Nested
    class OnFileChannelBackend extends Cases {
        @Override
        IoOptions.Choice backend() {
            return IoOptions.Choice.CHANNEL;
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Timeout(60)
    abstract class Cases {
        EventLoop loop;
        Path dir;

        abstract IoOptions.Choice backend();

        @BeforeAll
        void startLoop() {
            if (backend() == IoOptions.Choice.URING) {
                assumeTrue(Ring.isAvailable(), () -> "io_uring is not usable here: " + Ring.unavailabilityCause());
            }
            loop = EventLoop.start(EventLoopOptions.defaults()
                    .withIo(IoOptions.defaults().withBackend(backend()).withCapacity(256).withSingleIssuer(true)));
        }

        @AfterAll
        void closeLoop() {
            if (loop != null) {
                loop.close();
            }
        }

        @BeforeEach
        void useDirectory(@TempDir Path tempDir) {
            dir = tempDir;
        }

        @AfterEach
        void everyPooledBufferCameBack() {
            assertThat(loop.buffers().stats().inUse()).as("pooled buffers still out").isZero();
        }

        // -------------------------------------------------------------- the random sequence

        @Test
        void aRandomSequenceOfOperationsMatchesFileChannel() throws Exception {
            String property = System.getProperty(SEED_PROPERTY);
            long seed = property != null ? Long.decode(property) : ThreadLocalRandom.current().nextLong();
            String replay = "seed=0x" + Long.toHexString(seed) + " on " + backend() + " (replay with -D" + SEED_PROPERTY
                    + "=0x" + Long.toHexString(seed) + ")";
            Random random = new Random(seed);
            byte[] peerBytes = pattern(20_000 + random.nextInt(20_000), random.nextLong());
            Pair main = pair("main", pattern(random.nextInt(30_000), random.nextLong()), READ, WRITE);
            Pair peer = pair("peer", peerBytes, READ, WRITE);
            try (main; peer) {
                for (int i = 0; i < RANDOM_OPS; i++) {
                    Step step = randomStep(random, main.jdk.size(), peer.jdk.size());
                    String where = replay + ", step " + i + ": " + step.text();
                    same(where, main, peer, step.op());
                    same(where + ", then position()", main, peer, (c, p) -> c.position());
                    same(where + ", then size()", main, peer, (c, p) -> c.size());
                }
            }
            main.assertSameContents(replay);
            peer.assertSameContents(replay);
        }

        private Step randomStep(Random r, long size, long peerSize) {
            int kind = r.nextInt(100);
            if (kind < 14) {
                BufferSpec b = randomBuffer(r);
                return new Step("read(" + b + ")", (c, p) -> {
                    ByteBuffer buf = b.make();
                    return List.of(c.read(buf), digest(buf));
                });
            } else if (kind < 28) {
                BufferSpec b = randomBuffer(r);
                long at = randomPosition(r, size);
                return new Step("read(" + b + ", " + at + ")", (c, p) -> {
                    ByteBuffer buf = b.make();
                    return List.of(c.read(buf, at), digest(buf));
                });
            } else if (kind < 42) {
                BufferSpec b = randomBuffer(r);
                return new Step("write(" + b + ")", (c, p) -> {
                    ByteBuffer buf = b.make();
                    return List.of(c.write(buf), digest(buf));
                });
            } else if (kind < 56) {
                BufferSpec b = randomBuffer(r);
                long at = randomPosition(r, size);
                return new Step("write(" + b + ", " + at + ")", (c, p) -> {
                    ByteBuffer buf = b.make();
                    return List.of(c.write(buf, at), digest(buf));
                });
            } else if (kind < 62) {
                return vectorStep(r, true);
            } else if (kind < 68) {
                return vectorStep(r, false);
            } else if (kind < 75) {
                long at = randomPosition(r, size);
                return new Step("position(" + at + ")", (c, p) -> c.position(at));
            } else if (kind < 80) {
                long to = r.nextInt(10) == 0 ? -1 - r.nextInt(3) : (long) r.nextInt((int) Math.min(size + 2000, Integer.MAX_VALUE));
                return new Step("truncate(" + to + ")", (c, p) -> c.truncate(to));
            } else if (kind < 83) {
                boolean metaData = r.nextBoolean();
                return new Step("force(" + metaData + ")", (c, p) -> {
                    c.force(metaData);
                    return "forced";
                });
            } else if (kind < 89) {
                long at = randomPosition(r, size);
                long count = r.nextInt(20) == 0 ? Long.MAX_VALUE : r.nextInt(20_000);
                return new Step("transferTo(" + at + ", " + count + ", peer)",
                        (c, p) -> List.of(c.transferTo(at, count, p), p.position()));
            } else if (kind < 95) {
                long at = randomPosition(r, size);
                long count = r.nextInt(20) == 0 ? Long.MAX_VALUE : r.nextInt(20_000);
                return new Step("transferFrom(peer, " + at + ", " + count + ")",
                        (c, p) -> List.of(c.transferFrom(p, at, count), p.position()));
            } else {
                long at = randomPosition(r, peerSize);
                return new Step("peer.position(" + at + ")", (c, p) -> p.position(at).position());
            }
        }

        /** A scattering read or gathering write over 0 to 4 buffers, now and then with a bad range. */
        private Step vectorStep(Random r, boolean read) {
            int count = r.nextInt(5);
            List<BufferSpec> specs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                specs.add(randomBuffer(r));
            }
            int offset = count == 0 ? 0 : r.nextInt(count + 1);
            int length = r.nextInt(count - offset + 1) + (r.nextInt(30) == 0 ? 1 : 0);
            String text = (read ? "read(" : "write(") + specs + ", " + offset + ", " + length + ")";
            return new Step(text, (c, p) -> {
                ByteBuffer[] buffers = new ByteBuffer[count];
                for (int i = 0; i < count; i++) {
                    buffers[i] = specs.get(i).make();
                }
                long n = read ? c.read(buffers, offset, length) : c.write(buffers, offset, length);
                List<Object> result = new ArrayList<>();
                result.add(n);
                for (ByteBuffer b : buffers) {
                    result.add(digest(b));
                }
                return result;
            });
        }

        private BufferSpec randomBuffer(Random r) {
            boolean direct = r.nextBoolean();
            int capacity = r.nextInt(300) == 0 ? LARGE_BYTES : r.nextInt(BUFFER_BYTES_MAX + 1);
            int position = r.nextInt(10) == 0 ? 0 : r.nextInt(capacity / 4 + 1);
            int limit = r.nextInt(20) == 0 ? position : capacity - r.nextInt((capacity - position) / 4 + 1);
            boolean readOnly = r.nextInt(50) == 0;
            return new BufferSpec(direct, capacity, position, limit, r.nextLong(), readOnly);
        }

        /** Mostly within the file, sometimes past its end, now and then negative. */
        private long randomPosition(Random r, long size) {
            if (r.nextInt(50) == 0) {
                return -1 - r.nextInt(10);
            }
            return (long) (r.nextDouble() * (size + PAST_END_BYTES));
        }

        // -------------------------------------------------------------- focused cases

        @Test
        void readsAtOrPastTheEndReturnMinusOneAndEmptyBuffersZero() throws Exception {
            try (Pair p = pair("eof", pattern(1000, 1), READ, WRITE)) {
                same("read at end", p, null, (c, x) -> c.read(ByteBuffer.allocate(10), 1000));
                same("read past end", p, null, (c, x) -> c.read(ByteBuffer.allocateDirect(10), 5000));
                same("read across the end", p, null, (c, x) -> {
                    ByteBuffer b = ByteBuffer.allocate(100);
                    return List.of(c.read(b, 950), digest(b));
                });
                same("empty buffer past end", p, null, (c, x) -> c.read(ByteBuffer.allocate(0), 5000));
                same("relative read past end", p, null, (c, x) -> c.position(2000).read(ByteBuffer.allocate(10)));
                same("scattering read past end", p, null,
                        (c, x) -> c.read(new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocate(5)}));
                same("scattering read of empty buffers", p, null,
                        (c, x) -> c.read(new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocate(0)}));
                same("position unchanged by reads past end", p, null, (c, x) -> c.position());
                Object minusOne = same("relative read at end", p, null, (c, x) -> c.position(1000).read(ByteBuffer.allocate(1)));
                assertThat(minusOne).isEqualTo(-1);
            }
        }

        @Test
        void appendWritesGoToTheEndAndThePositionIsTheSize() throws Exception {
            try (Pair p = pair("append", pattern(100, 2), APPEND); Pair peer = pair("append-peer", pattern(5000, 3), READ)) {
                same("position at open", p, peer, (c, x) -> c.position());
                same("write", p, peer, (c, x) -> List.of(c.write(ByteBuffer.wrap(pattern(50, 4))), c.position()));
                same("position(0) then write", p, peer,
                        (c, x) -> List.of(c.position(0).write(ByteBuffer.wrap(pattern(7, 5))), c.position(), c.size()));
                same("positional write", p, peer,
                        (c, x) -> List.of(c.write(ByteBuffer.wrap(pattern(9, 6)), 3), c.position(), c.size()));
                same("gathering write", p, peer, (c, x) -> List.of(c.write(new ByteBuffer[] {
                        ByteBuffer.wrap(pattern(11, 7)), ByteBuffer.allocateDirect(13)}), c.position()));
                same("truncate then write", p, peer,
                        (c, x) -> List.of(c.truncate(60).position(), c.write(ByteBuffer.wrap(pattern(3, 8))), c.size()));
                same("transferFrom", p, peer, (c, x) -> List.of(c.transferFrom(x, 0, 3000), c.size(), x.position()));
                same("read", p, peer, (c, x) -> c.read(ByteBuffer.allocate(1), 0));
                p.assertSameContents("append");
            }
        }

        @Test
        void heapBuffersLargerThanAPooledChunkMoveWhole() throws Exception {
            try (Pair p = pair("large", new byte[0], READ, WRITE)) {
                same("large write", p, null, (c, x) -> c.write(ByteBuffer.wrap(pattern(LARGE_BYTES, 9))));
                same("large positional read", p, null, (c, x) -> {
                    ByteBuffer b = ByteBuffer.allocate(LARGE_BYTES + 100);
                    return List.of(c.read(b, 0), digest(b));
                });
                same("large relative read across the end", p, null, (c, x) -> {
                    ByteBuffer b = ByteBuffer.allocate(LARGE_BYTES);
                    return List.of(c.position(100).read(b), digest(b), c.position());
                });
            }
        }

        @Test
        void transfersCountAndMoveLikeFileChannel() throws Exception {
            try (Pair p = pair("from", pattern(200_000, 10), READ, WRITE); Pair peer = pair("to", pattern(100, 11), READ, WRITE)) {
                same("transferTo past the end", p, peer, (c, x) -> c.transferTo(300_000, 10, x));
                same("transferTo across the end", p, peer, (c, x) -> List.of(c.transferTo(150_000, 100_000, x), x.position()));
                same("transferTo whole", p, peer, (c, x) -> List.of(c.transferTo(0, Long.MAX_VALUE, x), x.position(), c.position()));
                same("transferFrom past the end", p, peer,
                        (c, x) -> List.of(c.transferFrom(x.position(5), 250_000, 70_000), c.size(), x.position()));
                same("transferFrom at the source's end", p, peer, (c, x) -> c.transferFrom(x, 0, 10));
                same("transferTo negative count", p, peer, (c, x) -> c.transferTo(0, -1, x));
                same("transferFrom negative position", p, peer, (c, x) -> c.transferFrom(x, -1, 1));
            }
            try (Pair p = pair("ro", pattern(100, 12), READ); Pair peer = pair("ro-peer", pattern(100, 13), READ)) {
                same("transferTo a read-only target", p, peer, (c, x) -> c.transferTo(0, 10, x));
                same("transferFrom into a read-only channel", p, peer, (c, x) -> c.transferFrom(x, 0, 10));
            }
            try (Pair p = pair("wo", pattern(100, 14), WRITE); Pair peer = pair("wo-peer", pattern(100, 15), WRITE)) {
                same("transferTo from a write-only channel", p, peer, (c, x) -> c.transferTo(0, 10, x));
                same("transferFrom a write-only source", p, peer, (c, x) -> c.transferFrom(x, 0, 10));
            }
        }

        @Test
        void everyOperationOnAClosedChannelThrowsClosedChannelException() throws Exception {
            Pair p = pair("closed", pattern(100, 16), READ, WRITE);
            Pair peer = pair("closed-peer", pattern(100, 17), READ, WRITE);
            try (peer) {
                p.close();
                for (Step step : everyOperation()) {
                    Object outcome = same(step.text(), p, peer, step.op());
                    if (!step.text().startsWith("negative")) {
                        // A negative position is refused before the channel is looked at, by both.
                        assertThat(outcome).as(step.text()).isEqualTo("throws " + ClosedChannelException.class.getName());
                    }
                }
                same("isOpen", p, peer, (c, x) -> c.isOpen());
                same("close again", p, peer, (c, x) -> {
                    c.close();
                    return "closed";
                });
                same("transferTo a closed target", peer, p, (c, x) -> c.transferTo(0, 1, x));
                same("transferFrom a closed source", peer, p, (c, x) -> c.transferFrom(x, 0, 1));
            }
        }

        @Test
        void aChannelOpenedForWritingOnlyRefusesReads() throws Exception {
            try (Pair p = pair("write-only", pattern(100, 18), WRITE); Pair peer = pair("wo-peer2", pattern(100, 19), READ, WRITE)) {
                List<Object> outcomes = new ArrayList<>();
                for (Step step : everyOperation()) {
                    outcomes.add(same(step.text(), p, peer, step.op()));
                }
                assertThat(outcomes).contains("throws " + NonReadableChannelException.class.getName());
                p.assertSameContents("write-only");
                peer.assertSameContents("write-only");
            }
        }

        @Test
        void aChannelOpenedForReadingOnlyRefusesWrites() throws Exception {
            try (Pair p = pair("read-only", pattern(100, 20), READ); Pair peer = pair("ro-peer2", pattern(100, 21), READ, WRITE)) {
                List<Object> outcomes = new ArrayList<>();
                for (Step step : everyOperation()) {
                    outcomes.add(same(step.text(), p, peer, step.op()));
                }
                assertThat(outcomes).contains("throws " + NonWritableChannelException.class.getName());
                p.assertSameContents("read-only");
                peer.assertSameContents("read-only");
            }
            try (Pair p = pair("default", pattern(10, 22))) {
                same("no options reads", p, null, (c, x) -> c.read(ByteBuffer.allocate(20), 0));
                same("no options does not write", p, null, (c, x) -> c.write(ByteBuffer.allocate(20), 0));
            }
        }

        @Test
        void mapGoesToAPlainChannelOnTheSamePath() throws Exception {
            try (Pair p = pair("map", pattern(10_000, 23), READ, WRITE); Arena arena = Arena.ofConfined()) {
                same("map READ_ONLY", p, null, (c, x) -> {
                    MappedByteBuffer m = c.map(MapMode.READ_ONLY, 100, 5000);
                    return List.of(m.isReadOnly(), digest(m));
                });
                same("map READ_WRITE past the end grows the file", p, null, (c, x) -> {
                    MappedByteBuffer m = c.map(MapMode.READ_WRITE, 0, 12_000);
                    m.put(50, (byte) 7).put(11_999, (byte) 9);
                    m.force();
                    ByteBuffer b = ByteBuffer.allocate(3);
                    return List.of(c.size(), c.read(b, 49), digest(b), c.read(ByteBuffer.allocate(1), 11_999));
                });
                same("a write shows in an earlier mapping", p, null, (c, x) -> {
                    MappedByteBuffer m = c.map(MapMode.READ_ONLY, 0, 100);
                    c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
                    return List.of(m.get(10), m.get(11), m.get(12));
                });
                same("map PRIVATE", p, null, (c, x) -> c.map(MapMode.PRIVATE, 0, 10).put(0, (byte) 5).get(0));
                same("map into an arena", p, null, (c, x) -> {
                    MemorySegment s = c.map(MapMode.READ_ONLY, 8, 100, arena);
                    return List.of(s.byteSize(), s.isReadOnly(), digest(s.asByteBuffer()));
                });
                same("map negative position", p, null, (c, x) -> c.map(MapMode.READ_ONLY, -1, 10));
                same("map too large", p, null, (c, x) -> c.map(MapMode.READ_ONLY, 0, Integer.MAX_VALUE + 1L));
                same("map null mode", p, null, (c, x) -> c.map(null, 0, 10));
                p.assertSameContents("map");
            }
            try (Pair p = pair("map-ro", pattern(1000, 24), READ)) {
                same("read-only channel maps READ_ONLY", p, null, (c, x) -> digest(c.map(MapMode.READ_ONLY, 0, 1000)));
                same("read-only channel maps READ_WRITE", p, null, (c, x) -> c.map(MapMode.READ_WRITE, 0, 10));
                same("read-only channel maps PRIVATE", p, null, (c, x) -> c.map(MapMode.PRIVATE, 0, 10));
            }
        }

        @Test
        void lockGoesToAPlainChannelAndNamesTheRingChannel() throws Exception {
            Pair p = pair("lock", pattern(1000, 25), READ, WRITE);
            FileLock ringLock = p.ring.lock();
            FileLock jdkLock = p.jdk.lock();
            assertThat(describe(ringLock)).isEqualTo(describe(jdkLock));
            assertThat(ringLock.channel()).isSameAs(p.ring);
            same("an overlapping tryLock", p, null, (c, x) -> c.tryLock(10, 20, true));
            try (FileChannel other = FileChannel.open(p.ringPath, WRITE)) {
                assertThatThrownBy(other::tryLock).as("the JVM's lock table knows the ring channel's lock")
                        .isInstanceOf(OverlappingFileLockException.class);
            }
            same("release", () -> released(ringLock), () -> released(jdkLock));
            assertThat(describe(ringLock)).isEqualTo(describe(jdkLock)).contains("invalid");
            FileLock ringShared = p.ring.tryLock(10, 20, true);
            FileLock jdkShared = p.jdk.tryLock(10, 20, true);
            assertThat(describe(ringShared)).isEqualTo(describe(jdkShared)).contains("shared, valid");
            same("a negative range", p, null, (c, x) -> c.lock(-1, 10, false));
            same("a lock after a lock of everything is released", p, null, (c, x) -> c.tryLock(100, 0, false));
            p.close();
            assertThat(describe(ringShared)).as("closing the channel releases its locks")
                    .isEqualTo(describe(jdkShared)).contains("invalid");
            same("release after close", () -> released(ringShared), () -> released(jdkShared));
            same("lock after close", p, null, (c, x) -> c.lock());
            try (Pair ro = pair("lock-ro", pattern(10, 26), READ); Pair wo = pair("lock-wo", pattern(10, 27), WRITE)) {
                same("exclusive lock of a read-only channel", ro, null, (c, x) -> c.lock());
                same("shared tryLock of a read-only channel", ro, null, (c, x) -> describe(c.tryLock(0, 5, true)));
                same("shared lock of a write-only channel", wo, null, (c, x) -> c.lock(0, 5, true));
                same("exclusive lock of a write-only channel", wo, null, (c, x) -> describe(c.lock(0, 5, false)));
            }
        }

        @Test
        void openFailuresAreTheJdkExceptions() throws Exception {
            Path existing = Files.write(dir.resolve("exists"), new byte[] {1});
            List<List<Object>> cases = List.of(
                    List.of(dir.resolve("missing"), new OpenOption[] {READ}),
                    List.of(existing, new OpenOption[] {WRITE, CREATE_NEW}),
                    List.of(existing, new OpenOption[] {READ, APPEND}),
                    List.of(existing, new OpenOption[] {APPEND, TRUNCATE_EXISTING}),
                    List.of(existing, new OpenOption[] {READ, null}),
                    List.of(dir, new OpenOption[] {WRITE}),
                    List.of(existing, new OpenOption[] {READ, READ, WRITE, WRITE}));
            for (List<Object> c : cases) {
                Path path = (Path) c.get(0);
                OpenOption[] options = (OpenOption[]) c.get(1);
                same("open " + path.getFileName() + " " + java.util.Arrays.toString(options),
                        () -> closeAfterOpen(RingFileChannel.open(loop, path, options)),
                        () -> closeAfterOpen(FileChannel.open(path, options)));
            }
            assertThatThrownBy(() -> RingFileChannel.open(loop, dir.resolve("missing"), READ))
                    .isInstanceOf(java.nio.file.NoSuchFileException.class)
                    .hasMessage(dir.resolve("missing").toString())
                    .hasCauseInstanceOf(io.ringio.io.NoSuchFileException.class);
        }

        @Test
        void relativeWritesFromManyThreadsNeverOverlap() throws Exception {
            int threads = 4;
            int writes = 100;
            int recordBytes = 256;
            try (FileChannel channel = RingFileChannel.open(loop, dir.resolve("threads"), CREATE, READ, WRITE)) {
                List<Thread> started = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    started.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < writes; i++) {
                            try {
                                channel.write(ByteBuffer.wrap(record(id, i, recordBytes)));
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }));
                }
                for (Thread t : started) {
                    t.join();
                }
                long total = (long) threads * writes * recordBytes;
                assertThat(channel.position()).isEqualTo(total);
                assertThat(channel.size()).isEqualTo(total);
                ByteBuffer all = ByteBuffer.allocate((int) total);
                assertThat(channel.read(all, 0)).isEqualTo((int) total);
                Set<Integer> seen = new HashSet<>();
                for (int at = 0; at < total; at += recordBytes) {
                    int id = all.get(at);
                    int i = all.getShort(at + 1);
                    assertThat(all.slice(at, recordBytes)).as("record at " + at).isEqualTo(ByteBuffer.wrap(record(id, i, recordBytes)));
                    seen.add(id * writes + i);
                }
                assertThat(seen).hasSize(threads * writes);
            }
        }

        @Test
        void anInterruptCancelsButLeavesTheChannelOpen() throws Exception {
            try (RingFileChannel channel = RingFileChannel.open(loop, dir.resolve("interrupt"), CREATE, READ, WRITE)) {
                // Several pooled chunks, so that the cancel usually lands before the last one;
                // an operation that completes anyway returns normally.
                int written = LARGE_BYTES;
                Thread.currentThread().interrupt();
                try {
                    channel.write(ByteBuffer.wrap(pattern(LARGE_BYTES, 28)));
                } catch (InterruptedIOException e) {
                    assertThat(e.bytesTransferred).isBetween(0, LARGE_BYTES);
                    written = e.bytesTransferred;
                } finally {
                    // Cleared before anything else blocks: with the status set, it would be cancelled too.
                    assertThat(Thread.interrupted()).as("the interrupt status stays set").isTrue();
                }
                assertThat(channel.position()).as("the position moved by what was written").isEqualTo(written);
                assertThat(channel.size()).isGreaterThanOrEqualTo(written);
                assertThat(channel.isOpen()).isTrue();
                long before = channel.position();
                assertThat(channel.write(ByteBuffer.wrap(new byte[] {1}))).isEqualTo(1);
                assertThat(channel.position()).isEqualTo(before + 1);
                assertThat(channel.ringFile().isOpen()).isTrue();
                assertThat(channel.ringFile().path()).isEqualTo(dir.resolve("interrupt").toString());
            }
        }

        // -------------------------------------------------------------- the differential harness

        /** A ring channel and a JDK channel opened alike, each on its own file. */
        final class Pair implements AutoCloseable {
            final Path ringPath;
            final Path jdkPath;
            final FileChannel ring;
            final FileChannel jdk;

            Pair(String name, byte[] contents, OpenOption... options) throws IOException {
                ringPath = Files.write(dir.resolve(name + ".ring"), contents);
                jdkPath = Files.write(dir.resolve(name + ".jdk"), contents);
                ring = RingFileChannel.open(loop, ringPath, options);
                jdk = FileChannel.open(jdkPath, options);
            }

            void assertSameContents(String where) throws IOException {
                assertThat(Files.readAllBytes(ringPath)).as("contents of %s, %s", ringPath.getFileName(), where)
                        .isEqualTo(Files.readAllBytes(jdkPath));
            }

            @Override
            public void close() throws IOException {
                try (jdk) {
                    ring.close();
                }
            }
        }

        private Pair pair(String name, byte[] contents, OpenOption... options) throws IOException {
            return new Pair(name, contents, options);
        }

        /** Applies {@code op} to both sides and asserts the same outcome; returns it. */
        private Object same(String where, Pair pair, Pair peer, Op op) {
            return same(where, () -> op.apply(pair.ring, peer == null ? null : peer.ring),
                    () -> op.apply(pair.jdk, peer == null ? null : peer.jdk));
        }

        /** Runs the JDK's call, then the ring's, and asserts the same outcome; returns it. */
        private Object same(String where, Call ring, Call jdk) {
            Object expected = outcome(jdk);
            Object actual = outcome(ring);
            assertThat(actual).as(where).isEqualTo(expected);
            return actual;
        }

    }

    // ------------------------------------------------------------------ shared helpers

    /** Each operation of a FileChannel once, with arguments that are valid for a readable and writable channel. */
    static List<Step> everyOperation() {
        return List.of(
                new Step("read", (c, p) -> c.read(ByteBuffer.allocate(10))),
                new Step("read at", (c, p) -> c.read(ByteBuffer.allocate(10), 5)),
                new Step("scattering read", (c, p) -> c.read(new ByteBuffer[] {ByteBuffer.allocate(3)})),
                new Step("write", (c, p) -> c.write(ByteBuffer.wrap(pattern(10, 30)))),
                new Step("write at", (c, p) -> c.write(ByteBuffer.wrap(pattern(10, 31)), 200)),
                new Step("gathering write", (c, p) -> c.write(new ByteBuffer[] {ByteBuffer.wrap(pattern(4, 32))})),
                new Step("position()", (c, p) -> c.position()),
                new Step("position(7)", (c, p) -> c.position(7).position()),
                new Step("size", (c, p) -> c.size()),
                new Step("truncate", (c, p) -> c.truncate(150).size()),
                new Step("force", (c, p) -> {
                    c.force(true);
                    return "forced";
                }),
                new Step("transferTo", (c, p) -> c.transferTo(0, 10, p)),
                new Step("transferFrom", (c, p) -> c.transferFrom(p, 0, 10)),
                new Step("map", (c, p) -> digest(c.map(MapMode.READ_ONLY, 0, 10))),
                new Step("map READ_WRITE", (c, p) -> digest(c.map(MapMode.READ_WRITE, 0, 10))),
                new Step("lock", (c, p) -> {
                    try (FileLock lock = c.lock()) {
                        return describe(lock);
                    }
                }),
                new Step("shared tryLock", (c, p) -> {
                    try (FileLock lock = c.tryLock(0, 10, true)) {
                        return describe(lock);
                    }
                }),
                new Step("read-only dst", (c, p) -> c.read(ByteBuffer.allocate(4).asReadOnlyBuffer(), 0)),
                new Step("negative position", (c, p) -> c.read(ByteBuffer.allocate(4), -1)));
    }

    /** A call whose outcome is compared. */
    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    /** What a call did, comparable across the two sides: its result described, or the exception's type. */
    static Object outcome(Call call) {
        try {
            return describe(call.call());
        } catch (Exception e) {
            return "throws " + e.getClass().getName();
        }
    }

    private static String describe(FileLock lock) {
        return "lock[" + lock.position() + ", " + lock.size() + (lock.isShared() ? ", shared" : "")
                + (lock.isValid() ? ", valid" : ", invalid") + "]";
    }

    private static String released(FileLock lock) throws IOException {
        lock.release();
        return "released";
    }

    private static String closeAfterOpen(FileChannel channel) throws IOException {
        channel.close();
        return "opened";
    }

    private static Object describe(Object result) {
        return switch (result) {
            case null -> "null";
            case FileChannel _ -> "a channel";
            case FileLock lock -> describe(lock);
            case ByteBuffer b -> digest(b);
            case List<?> list -> list.stream().map(RingFileChannelTest::describe).toList();
            default -> result;
        };
    }

    /** A buffer's position, limit and a CRC of all its bytes. */
    static String digest(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().clear());
        return "[" + b.position() + ", " + b.limit() + ") of " + b.capacity() + " crc " + Long.toHexString(crc.getValue());
    }

    static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A record of a writer thread: its id, its sequence number, then a filler both determine. */
    private static byte[] record(int id, int i, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.put((byte) id).putShort((short) i);
        while (b.hasRemaining()) {
            b.put((byte) (id * 31 + i));
        }
        return b.array();
    }
}
