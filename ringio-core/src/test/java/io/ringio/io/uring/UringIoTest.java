package io.ringio.io.uring;

import io.ringio.io.FileStat;
import io.ringio.io.IoBackend;
import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Errno;
import io.ringio.sys.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * UringIo's own behaviour: what the shared contract suite (ringio-testkit) cannot reach from the
 * interface, such as retries, the FTRUNCATE fallback, registered buffers and handle hygiene.
 */
class UringIoTest {
    @TempDir
    Path dir;

    private UringIo io;
    private Arena arena;

    @BeforeEach
    void open() {
        io = UringIo.open(IoOptions.defaults().withCapacity(64), "test");
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        io.close();
        arena.close();
    }

    private Map<Long, Integer> await(int count) {
        return awaitOn(io, count);
    }

    private int openFile(String name, int flags) {
        assertThat(io.open(1000, dir.resolve(name).toString(), flags, 0644)).isTrue();
        int fd = await(1).get(1000L);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        return fd;
    }

    @Test
    void anOperationRefusedBeforeTheKernelSawItLeavesItsTagFree() throws Exception {
        try (UringIo single = UringIo.open(IoOptions.defaults().withCapacity(8).withSingleIssuer(true), "issuer")) {
            assertThat(single.open(1, dir.resolve("s").toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
            int f = awaitOn(single, 1).get(1L);
            MemorySegment buf = arena.allocate(16);
            java.util.concurrent.atomic.AtomicReference<Throwable> refused = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    single.read(2, f, buf, 0);
                } catch (Throwable e) {
                    refused.set(e);
                }
            });
            other.join();
            assertThat(refused.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("SINGLE_ISSUER");
            assertThat(single.inFlight()).isZero();
            // The same tag again, from the ring's own thread: accepted, and it completes.
            assertThat(single.read(2, f, buf, 0)).isTrue();
            assertThat(awaitOn(single, 1).get(2L)).isZero();
        }
    }

    @Test
    void writeSyncAndReadBackThroughTheSeam() {
        int f = openFile("a", OpenFlags.READ_WRITE | OpenFlags.CREATE);
        MemorySegment out = arena.allocateFrom("through the seam");
        assertThat(io.linkNext()).isTrue();
        io.write(1, f, out, 0);
        io.sync(2, f, true);
        Map<Long, Integer> r = await(2);
        assertThat(r.get(1L)).isEqualTo((int) out.byteSize());
        assertThat(r.get(2L)).isZero();
        MemorySegment in = arena.allocate(out.byteSize());
        io.read(3, f, in, 0);
        assertThat(await(1).get(3L)).isEqualTo((int) out.byteSize());
        assertThat(in.getString(0)).isEqualTo("through the seam");
        FileStat stat = new FileStat();
        io.stat(4, f, stat);
        assertThat(await(1).get(4L)).isZero();
        assertThat(stat.size()).isEqualTo(out.byteSize());
        assertThat(stat.type()).isEqualTo(FileStat.Type.FILE);
        io.close(5, f);
        assertThat(await(1).get(5L)).isZero();
    }

    @Test
    void aHandleThisIoClosedIsBadEvenIfTheKernelReusedTheNumber() throws IOException {
        int f = openFile("b", OpenFlags.READ_WRITE | OpenFlags.CREATE);
        io.close(1, f);
        await(1);
        // Another file opened behind the Io's back is likely to get the same fd number.
        Path other = dir.resolve("other");
        Files.writeString(other, "not yours");
        try (var channel = java.nio.channels.FileChannel.open(other)) {
            io.read(2, f, arena.allocate(16), 0);
            assertThat(await(1).get(2L)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void ftruncateFallbackRunsOutsideTheRingOnOlderKernels() throws IOException {
        try (UringIo old = UringIo.open(8, "test without FTRUNCATE", false)) {
            old.open(1, dir.resolve("t").toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644);
            List<long[]> got = new ArrayList<>();
            while (got.isEmpty()) {
                old.park(100_000_000L, (tag, result) -> got.add(new long[] {tag, result}));
            }
            int f = (int) got.get(0)[1];
            assertThat(old.truncate(2, f, 1234)).isTrue();
            got.clear();
            old.poll((tag, result) -> got.add(new long[] {tag, result}));
            assertThat(got).hasSize(1);
            assertThat(got.get(0)).containsExactly(2, 0);
            assertThat(Files.size(dir.resolve("t"))).isEqualTo(1234);
            assertThat(old.linkNext()).isTrue();
            assertThatThrownBy(() -> old.truncate(3, f, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FTRUNCATE");
        }
    }

    @Test
    void eagainIsRetriedInsideAndNeverReported() {
        int[] pipe = new int[2];
        assertThat(Syscalls.pipe2(pipe, Syscalls.O_CLOEXEC | Syscalls.O_NONBLOCK)).isZero();
        try {
            io.adopt(pipe[0]);
            // A non-blocking pipe with no data: the kernel answers -EAGAIN, and UringIo retries.
            io.read(1, pipe[0], arena.allocate(8), 0);
            assertThat(io.poll((tag, result) -> { })).as("the read, still waiting for data").isZero();
            MemorySegment one = arena.allocateFrom("x");
            assertThat(Syscalls.write(Syscalls.newCallState(arena), pipe[1], one.asSlice(0, 1))).isEqualTo(1);
            assertThat(await(1).get(1L)).isEqualTo(1);
        } finally {
            Syscalls.close(pipe[0]);
            Syscalls.close(pipe[1]);
        }
    }

    @Test
    void operationsOnAnOpenedFileNameItsRegisteredEntryNotTheFd() throws Throwable {
        assertThat(io.hasFileTable()).isTrue();
        assertThat(readThroughReplacedFd(io)).isEqualTo("registered");
        assertThat(io.registeredFiles()).isZero();
        try (UringIo plain = UringIo.open(IoOptions.defaults().withCapacity(8).withRegisteredFiles(false), "test")) {
            assertThat(plain.hasFileTable()).isFalse();
            assertThat(readThroughReplacedFd(plain)).isEqualTo("plain fd");
        }
    }

    /**
     * Opens two files through {@code target}, points the first one's fd at the second file with
     * dup2 behind the Io's back, and reads through the first handle: the registered entry still
     * names the first file, a plain fd now names the second.
     */
    private String readThroughReplacedFd(UringIo target) throws Throwable {
        int f = openWith(target, "registered");
        int g = openWith(target, "plain fd");
        assertThat(target.registeredFiles()).isEqualTo(target.hasFileTable() ? 2 : 0);
        Linker linker = Linker.nativeLinker();
        MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        assertThat((int) dup2.invokeExact(g, f)).isEqualTo(f);
        MemorySegment in = arena.allocate(64);
        target.read(1, f, in, 0);
        int n = awaitOn(target, 1).get(1L);
        assertThat(n).isPositive();
        target.close(2, f);
        target.close(3, g);
        assertThat(awaitOn(target, 2).values()).containsOnly(0);
        return new String(in.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    private int openWith(UringIo target, String content) {
        MemorySegment text = arena.allocate(content.length());
        text.copyFrom(MemorySegment.ofArray(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String path = dir.resolve(content).toString();
        assertThat(target.open(1000, path, OpenFlags.READ_WRITE | OpenFlags.CREATE, 0644)).isTrue();
        int fd = awaitOn(target, 1).get(1000L);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        target.write(1001, fd, text, 0);
        assertThat(awaitOn(target, 1).get(1001L)).isEqualTo(content.length());
        return fd;
    }

    private Map<Long, Integer> awaitOn(UringIo target, int count) {
        Map<Long, Integer> got = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.size() < count) {
            assertThat(System.nanoTime()).as("waiting for %d completions, have %s", count, got).isLessThan(deadline);
            target.park(100_000_000L,
                    (tag, result) -> assertThat(got.put(tag, result)).as("tag %d twice", tag).isNull());
        }
        return got;
    }

    @Test
    void aSubmitBatchOfOneHandsEachOperationOrChainToTheKernelAtOnce() {
        try (UringIo eager = UringIo.open(IoOptions.defaults().withCapacity(8).withSubmitBatch(1), "test")) {
            int g = openWith(eager, "eager");
            assertThat(eager.linkNext()).isTrue();
            eager.write(1, g, arena.allocateFrom("eager, linked"), 0);
            assertThat(eager.waitingSubmissions()).as("a chain goes once it is whole").isEqualTo(1);
            eager.sync(2, g, true);
            assertThat(eager.waitingSubmissions()).isZero();
            assertThat(awaitOn(eager, 2)).containsEntry(1L, "eager, linked".length() + 1).containsEntry(2L, 0);
            eager.read(3, g, arena.allocate(16), 0);
            assertThat(eager.waitingSubmissions()).isZero();
            assertThat(awaitOn(eager, 1).get(3L)).isEqualTo(14);
        }
    }

    @Test
    void submissionsWaitUntilABatchIsThereOrThePoll() {
        try (UringIo three = UringIo.open(IoOptions.defaults().withCapacity(64).withSubmitBatch(3), "test");
             UringIo perPoll = UringIo.open(IoOptions.defaults().withCapacity(16).withSubmitBatch(0), "test")) {
            int f = openWith(three, "three");
            three.read(1, f, arena.allocate(16), 0);
            three.read(2, f, arena.allocate(16), 0);
            assertThat(three.waitingSubmissions()).as("two of a batch of three wait").isEqualTo(2);
            three.read(3, f, arena.allocate(16), 0);
            assertThat(three.waitingSubmissions()).as("the third sends all three").isZero();
            assertThat(awaitOn(three, 3)).containsOnlyKeys(1L, 2L, 3L);
            three.nop(4);
            three.nop(5);
            assertThat(three.linkNext()).isTrue();
            three.nop(6);
            assertThat(three.waitingSubmissions()).as("a chain is not split to fill a batch").isEqualTo(3);
            three.nop(7);
            assertThat(three.waitingSubmissions()).as("the chain's end sends it").isZero();
            assertThat(awaitOn(three, 4)).containsOnlyKeys(4L, 5L, 6L, 7L);

            int g = openWith(perPoll, "per-poll");
            for (int i = 0; i < 10; i++) {
                perPoll.read(i, g, arena.allocate(16), 0);
            }
            assertThat(perPoll.waitingSubmissions()).as("0: everything waits for the poll").isEqualTo(10);
            assertThat(awaitOn(perPoll, 10)).hasSize(10);
        }
    }

    @Test
    void theSubmitBatchIsZeroOrMore() {
        assertThat(IoOptions.defaults().submitBatch()).isEqualTo(IoOptions.SUBMIT_BATCH_DEFAULT);
        assertThatThrownBy(() -> IoOptions.defaults().withSubmitBatch(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("submitBatch=-1");
    }

    @Test
    void readsInsideARegisteredBufferGoThroughReadFixed() {
        MemorySegment region = arena.allocate(64 * 1024, 4096);
        assertThat(io.registerBuffers(region)).isTrue();
        int f = openFile("fixed", OpenFlags.READ_WRITE | OpenFlags.CREATE);
        MemorySegment out = region.asSlice(0, 4096).fill((byte) 9);
        io.write(1, f, out, 0);
        assertThat(await(1).get(1L)).isEqualTo(4096);
        MemorySegment in = region.asSlice(4096, 4096);
        io.read(2, f, in, 0);
        assertThat(await(1).get(2L)).isEqualTo(4096);
        assertThat(in.mismatch(out)).isEqualTo(-1);
        assertThat(io.registeredBuffers()).isEqualTo(1);
    }

    @Test
    void pathBuffersGrowInChunksOnlyAsFarAsTheCapacityNeeds() {
        assertThat(io.pathBuffersMade()).isZero();
        int accepted = 0;
        for (int i = 0; i < io.capacity() + 8; i++) {
            if (io.mkdir(i, dir.resolve("d" + i).toString(), 0755)) {
                accepted++;
            }
        }
        // Refused only at capacity, with the pool grown to exactly what was in use.
        assertThat(accepted).isEqualTo(io.capacity());
        assertThat(io.pathBuffersMade()).isEqualTo(io.capacity());
        await(accepted);
        assertThat(io.mkdir(999, dir.resolve("again").toString(), 0755)).isTrue();
        assertThat(await(1).get(999L)).isZero();
        assertThat(io.pathBuffersMade()).as("reused, not grown").isEqualTo(io.capacity());
    }

    @Test
    void handlersMayNotPollOrCloseFromInside() {
        io.nop(1);
        List<Throwable> thrown = new ArrayList<>();
        while (io.inFlight() > 0) {
            io.park(100_000_000L, (tag, result) -> {
                try {
                    io.poll((t, r) -> { });
                } catch (IllegalStateException e) {
                    thrown.add(e);
                }
            });
        }
        assertThat(thrown).hasSize(1);
    }

    @Test
    void theBackendSaysWhatItIs() {
        assertThat(io.backend().kind()).isEqualTo(IoBackend.Kind.URING);
        assertThat(io.backend().reason()).isEqualTo("test");
        assertThat(io.capacity()).isEqualTo(64);
    }
}
