package io.ringio.testkit;

import io.ringio.io.FileStat;
import io.ringio.io.Io;
import io.ringio.io.IoBackend;
import io.ringio.io.IoHandler;
import io.ringio.sys.Errno;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

import static io.ringio.io.OpenFlags.APPEND;
import static io.ringio.io.OpenFlags.CREATE;
import static io.ringio.io.OpenFlags.CREATE_NEW;
import static io.ringio.io.OpenFlags.DIRECT;
import static io.ringio.io.OpenFlags.DIRECTORY;
import static io.ringio.io.OpenFlags.DSYNC;
import static io.ringio.io.OpenFlags.READ;
import static io.ringio.io.OpenFlags.READ_WRITE;
import static io.ringio.io.OpenFlags.TRUNCATE;
import static io.ringio.io.OpenFlags.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract of {@link Io}, as its Javadoc states it, checked the same way on every backend
 * (the style of Lucene's {@code BaseDirectoryTestCase}). Subclass it once per backend and
 * implement {@link #newIo}; override a {@code supports...} method to skip, with a stated
 * reason, the cases a backend cannot honour. Users can run it against their own set-up: the
 * suite ships in {@code ringio-testkit}'s main jar.
 *
 * <p>Each test gets a fresh {@code Io} of {@link #CAPACITY} operations, a confined arena for
 * native memory (closed after the {@code Io}, since memory belongs to an operation until its
 * completion) and a {@link TempDir}. Every wait is bounded: a backend that loses a completion
 * fails with a message naming the tag instead of hanging. Files are created and checked through
 * the {@code Io} itself, so that a backend without a host file system (the simulator) runs the
 * same cases; the few that need {@code java.nio.file} as an independent witness say so through
 * {@link #usesHostFileSystem()}.
 */
@Timeout(value = IoContractTest.TEST_SECONDS_MAX, unit = TimeUnit.SECONDS)
public abstract class IoContractTest {
    /** Operations in flight that the {@code Io} of an ordinary test holds. */
    protected static final int CAPACITY = 128;
    /** Longest a test waits for any one completion before it fails. */
    protected static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Longest one test may run, waits included; a last resort against a hang. */
    static final long TEST_SECONDS_MAX = 120;
    /** How long one park waits while the suite waits for a completion. */
    private static final long PARK_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A timeout no test waits for: only cancellation or close can end it in time. */
    private static final long TIMEOUT_LONG_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A timeout a test waits for. */
    private static final long TIMEOUT_SHORT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Alignment and size of O_DIRECT transfers: the largest logical block size in common use. */
    protected static final int BLOCK_BYTES = 4096;
    private static final long GIB = 1L << 30;
    private static final int MODE_FILE = 0644;
    private static final int MODE_DIRECTORY = 0755;
    /** A handle no backend hands out in a test: above any fd limit and any table a test fills. */
    private static final int HANDLE_NEVER_OPENED = 1_000_000;
    /** A byte that no write in the suite puts in a read buffer, so that a read must overwrite it. */
    private static final byte POISON = (byte) 0xA5;

    @TempDir
    protected Path dir;
    /** Native memory for this test's buffers; closed after {@link #io}. */
    protected Arena arena;
    /** The backend under test; replaced by {@link #replaceIo} when a test needs another capacity. */
    protected Io io;
    private CompletionRecorder completions;
    private long lastTag;

    /** A new, open backend that holds at most {@code capacity} operations in flight. */
    protected abstract Io newIo(int capacity);

    /** The arena a test's buffers come from. Confined by default, the strictest kind for a backend. */
    protected Arena newArena() {
        return Arena.ofConfined();
    }

    /** Whether the backend can open files with {@code DIRECT} (O_DIRECT). */
    protected boolean supportsDirectIo() {
        return true;
    }

    /**
     * Whether the backend's files are the host's, so that {@code java.nio.file} can witness
     * permission bits, set modification times and symbolic links. A simulator says no.
     */
    protected boolean usesHostFileSystem() {
        return true;
    }

    /**
     * The clock that timeouts are measured against, in nanoseconds: {@link System#nanoTime()} for a
     * backend in real time, the virtual clock for a simulator. Deadlines that guard against a hang
     * stay in real time.
     */
    protected long clockNanos() {
        return System.nanoTime();
    }

    @BeforeEach
    final void openIoAndArena() {
        completions = new CompletionRecorder(Thread.currentThread());
        arena = newArena();
        io = newIo(CAPACITY);
    }

    @AfterEach
    final void closeIoThenArena() {
        try {
            io.close();
        } finally {
            // The Io first: close waits for every operation, after which the memory is free.
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers: submitting, waiting, and files through the Io
    // ---------------------------------------------------------------------------------------

    /** A tag no other operation of this test has used. */
    protected final long nextTag() {
        return ++lastTag;
    }

    /** Closes the test's {@code Io} and opens another of {@code capacity}. */
    protected final void replaceIo(int capacity) {
        io.close();
        io = newIo(capacity);
    }

    /** Submits with a fresh tag, asserting that the backend accepted the operation; returns the tag. */
    protected final long submit(LongPredicate submission) {
        return submit(nextTag(), submission);
    }

    /** Submits with {@code tag}, asserting that the backend accepted the operation; returns the tag. */
    protected final long submit(long tag, LongPredicate submission) {
        completions.expect(tag);
        boolean accepted = submission.test(tag);
        assertThat(accepted).as("submission with tag %d accepted (inFlight=%d, capacity=%d)", tag, io.inFlight(),
                io.capacity()).isTrue();
        return tag;
    }

    /** Submits with a fresh tag and waits for the result. */
    protected final int exec(LongPredicate submission) {
        return await(submit(submission));
    }

    /** Hands waiting submissions to the backend and delivers what is ready, without waiting. */
    protected final int pollOnce() {
        int delivered = io.poll(completions);
        checkViolations();
        return delivered;
    }

    /** Waits, at most {@link #AWAIT_NANOS}, for the completion of {@code tag}; returns its result. */
    protected final int await(long tag) {
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (!completions.has(tag)) {
            if (System.nanoTime() - deadline > 0) {
                failNotDelivered(tag);
            }
            io.park(PARK_SLICE_NANOS, completions);
            checkViolations();
        }
        return completions.claim(tag);
    }

    private void failNotDelivered(long tag) {
        int inFlight = io.inFlight();
        Map<Long, Integer> unclaimed = completions.unclaimed();
        fail("tag %d did not complete within %d ms; inFlight=%d%s; %d other completions delivered and not yet"
                + " awaited, such as %s", tag, TimeUnit.NANOSECONDS.toMillis(AWAIT_NANOS), inFlight,
                inFlight == 0 ? " (nothing is in flight: the completion was lost)" : "", unclaimed.size(),
                unclaimed.entrySet().stream().limit(8).toList());
    }

    /** Waits for every tag; returns the results in the order of {@code tags}. */
    protected final int[] awaitAll(long... tags) {
        int[] results = new int[tags.length];
        for (int i = 0; i < tags.length; i++) {
            results[i] = await(tags[i]);
        }
        return results;
    }

    /** Where a delivered tag came in the order of delivery (0 first). */
    protected final int deliveryPosition(long tag) {
        int position = completions.position(tag);
        assertThat(position).as("tag %d was delivered", tag).isNotNegative();
        return position;
    }

    /** Polls for a while and fails if anything is delivered: nothing is in flight any more. */
    protected final void assertNothingMoreIsDelivered() {
        Map<Long, Integer> before = completions.unclaimed();
        for (int i = 0; i < 4; i++) {
            io.park(PARK_SLICE_NANOS / 2, completions);
        }
        checkViolations();
        assertThat(completions.unclaimed()).as("completions after every operation had completed").isEqualTo(before);
        assertThat(io.inFlight()).as("inFlight once every operation has completed").isZero();
    }

    private void checkViolations() {
        List<String> violations = completions.violations();
        if (!violations.isEmpty()) {
            fail("the backend broke the completion contract: %s", violations);
        }
    }

    /** {@code result} as a number, with the errno's name when it is a failure. */
    static String describe(int result) {
        return result >= 0 ? Integer.toString(result)
                : "-" + Errno.name(-result) + " (" + result + ", " + Errno.message(-result) + ")";
    }

    /** Asserts a success (a non-negative result). */
    protected static void assertOk(int result, String what) {
        if (result < 0) {
            fail("%s: expected success, got %s", what, describe(result));
        }
    }

    /** Asserts a failure with {@code errno}, or a result of 0 when {@code errno} is 0. */
    protected static void assertErrno(int result, int errno, String what) {
        if (result != -errno) {
            fail("%s: expected %s, got %s", what, errno == 0 ? "0" : "-" + Errno.name(errno), describe(result));
        }
    }

    protected final String path(String name) {
        return dir.resolve(name).toString();
    }

    /** Opens {@code path}, asserting success; returns the handle. */
    protected final int open(String path, int flags) {
        int file = exec(t -> io.open(t, path, flags, MODE_FILE));
        assertOk(file, "open " + path + " flags=0x" + Integer.toHexString(flags));
        return file;
    }

    protected final void close(int file) {
        assertErrno(exec(t -> io.close(t, file)), 0, "close handle " + file);
    }

    /** Native memory holding {@code bytes}. */
    protected final MemorySegment segment(byte[] bytes) {
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    protected final MemorySegment segment(String ascii) {
        return segment(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Native memory of {@code length} bytes, each {@link #POISON}, so that a read must overwrite it. */
    protected final MemorySegment poisoned(long length) {
        return arena.allocate(length).fill(POISON);
    }

    /** A copy of a segment's bytes. */
    protected static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Deterministic bytes that differ with {@code seed} and along the array (never {@link #POISON} only). */
    protected static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7 + (i >>> 8) + 1);
        }
        return bytes;
    }

    protected static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Asserts equal bytes, naming the first difference instead of printing both arrays. */
    protected static void assertBytes(byte[] actual, byte[] expected, String what) {
        int mismatch = Arrays.mismatch(actual, expected);
        if (mismatch >= 0) {
            fail("%s: %d bytes expected, %d read; first difference at byte %d: expected %s, got %s", what,
                    expected.length, actual.length, mismatch,
                    mismatch < expected.length ? Byte.toString(expected[mismatch]) : "end",
                    mismatch < actual.length ? Byte.toString(actual[mismatch]) : "end");
        }
    }

    /** Writes all of {@code bytes} at {@code offset}, looping over short writes. */
    protected final void writeFully(int file, byte[] bytes, long offset) {
        MemorySegment buf = segment(bytes);
        long done = 0;
        while (done < bytes.length) {
            MemorySegment rest = buf.asSlice(done);
            long at = offset + done;
            int n = exec(t -> io.write(t, file, rest, at));
            assertOk(n, "write at " + at);
            assertThat(n).as("write at %d made progress", at).isPositive();
            done += n;
        }
    }

    /** One read of up to {@code length} bytes at {@code offset}; returns the bytes read. */
    protected final byte[] read(int file, int length, long offset) {
        MemorySegment buf = poisoned(length);
        int n = exec(t -> io.read(t, file, buf, offset));
        assertOk(n, "read " + length + " bytes at " + offset);
        assertThat(n).as("read count").isLessThanOrEqualTo(length);
        return bytes(buf.asSlice(0, n));
    }

    /** Creates (or replaces) {@code path} holding {@code content}, through the Io. */
    protected final void createFile(String path, byte[] content) {
        int file = open(path, WRITE | CREATE | TRUNCATE);
        writeFully(file, content, 0);
        close(file);
    }

    /** All of a file's bytes, read through the Io; for small files. */
    protected final byte[] contentOf(String path) {
        int file = open(path, READ);
        FileStat stat = new FileStat();
        assertErrno(exec(t -> io.stat(t, file, stat)), 0, "stat " + path);
        assertThat(stat.size()).as("size of %s, to read it whole", path).isLessThan(64L << 20);
        byte[] content = new byte[(int) stat.size()];
        int done = 0;
        while (done < content.length) {
            byte[] chunk = read(file, content.length - done, done);
            assertThat(chunk.length).as("read of %s at %d before its end", path, done).isPositive();
            System.arraycopy(chunk, 0, content, done, chunk.length);
            done += chunk.length;
        }
        close(file);
        return content;
    }

    /** Stats {@code path}, asserting success. */
    protected final FileStat stat(String path) {
        FileStat stat = new FileStat();
        assertErrno(exec(t -> io.stat(t, path, stat)), 0, "stat " + path);
        return stat;
    }

    protected final FileStat stat(int file) {
        FileStat stat = new FileStat();
        assertErrno(exec(t -> io.stat(t, file, stat)), 0, "stat handle " + file);
        return stat;
    }

    /** Whether {@code path} exists, by stat: true on success, false on ENOENT. */
    protected final boolean exists(String path) {
        int result = exec(t -> io.stat(t, path, new FileStat()));
        if (result == -Errno.ENOENT) {
            return false;
        }
        assertErrno(result, 0, "stat " + path);
        return true;
    }

    protected final void mkdir(String path) {
        assertErrno(exec(t -> io.mkdir(t, path, MODE_DIRECTORY)), 0, "mkdir " + path);
    }

    private void assumeHostFileSystem(String what) {
        assumeTrue(usesHostFileSystem(),
                "the backend's files are not on the host file system, so java.nio.file cannot witness " + what);
    }

    /** Opens with DIRECT, or skips the test when the file system refuses O_DIRECT altogether. */
    private int openDirectOrSkip(String path, int flags) {
        assumeTrue(supportsDirectIo(), "the backend does not support DIRECT (O_DIRECT)");
        int file = exec(t -> io.open(t, path, flags | DIRECT, MODE_FILE));
        assumeFalse(file == -Errno.EINVAL, "the file system under " + dir + " does not support O_DIRECT (open: EINVAL)");
        assertOk(file, "open " + path + " with DIRECT");
        return file;
    }

    /** The process's umask, found by creating a file that asks for every permission bit. */
    private int hostUmask() throws IOException {
        Path probe = Files.createFile(dir.resolve("umask-probe"),
                PosixFilePermissions.asFileAttribute(EnumSet.allOf(PosixFilePermission.class)));
        int granted = modeBits(Files.getPosixFilePermissions(probe));
        Files.delete(probe);
        return 0777 & ~granted;
    }

    private static int modeBits(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            // The enum runs OWNER_READ, OWNER_WRITE, ... OTHERS_EXECUTE: from bit 8 down to bit 0.
            bits |= 1 << (8 - p.ordinal());
        }
        return bits;
    }

    /**
     * Asserts that {@code call} is refused with IllegalArgumentException whose message names every
     * one of {@code mentions}, and that nothing was left in flight; returns the message.
     */
    private String assertRefused(String what, ThrowingCallable call, String... mentions) {
        int inFlightBefore = io.inFlight();
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("%s is refused", what).isInstanceOf(IllegalArgumentException.class);
        String message = thrown.getMessage();
        assertThat(message).as("%s: the exception's message", what).isNotBlank();
        for (String mention : mentions) {
            assertThat(message).as("%s: the message names the value", what).contains(mention);
        }
        assertThat(io.inFlight()).as("%s: a refused submission leaves nothing in flight", what).isEqualTo(inFlightBefore);
        return message;
    }

    /** Like {@link #assertRefused} when the message may name the value in one of several ways. */
    private void assertRefusedNamingAnyOf(String what, ThrowingCallable call, String... mentions) {
        String message = assertRefused(what, call);
        assertThat(Arrays.stream(mentions).anyMatch(message::contains))
                .as("%s: message %s names the value as one of %s", what, message.length() > 200
                        ? message.substring(0, 200) + "..." : message, Arrays.toString(mentions)).isTrue();
    }

    // ---------------------------------------------------------------------------------------
    // open
    // ---------------------------------------------------------------------------------------

    @Test
    void openWithCreateMakesAMissingFile() {
        String p = path("new");
        close(open(p, WRITE | CREATE));
        FileStat stat = stat(p);
        assertThat(stat.type()).isEqualTo(FileStat.Type.FILE);
        assertThat(stat.size()).isZero();
    }

    @Test
    void openWithCreateKeepsAnExistingFilesContent() {
        String p = path("kept");
        createFile(p, ascii("hello"));
        close(open(p, READ_WRITE | CREATE));
        assertBytes(contentOf(p), ascii("hello"), "content after open with CREATE");
    }

    @Test
    void openWithCreateNewMakesAMissingFile() {
        String p = path("fresh");
        int file = open(p, WRITE | CREATE_NEW);
        writeFully(file, ascii("x"), 0);
        close(file);
        assertBytes(contentOf(p), ascii("x"), "content of the new file");
    }

    @Test
    void openWithCreateNewOnAnExistingFileFailsWithEexist() {
        String p = path("taken");
        createFile(p, ascii("mine"));
        assertErrno(exec(t -> io.open(t, p, WRITE | CREATE_NEW, MODE_FILE)), Errno.EEXIST, "open CREATE_NEW on an existing file");
        assertBytes(contentOf(p), ascii("mine"), "content of the existing file");
    }

    @Test
    void openWithTruncateCutsTheFileToZero() {
        String p = path("cut");
        createFile(p, pattern(10_000, 1));
        close(open(p, WRITE | TRUNCATE));
        assertThat(stat(p).size()).isZero();
    }

    @Test
    void openWithAppendWritesAtTheEndWhateverTheOffset() {
        String p = path("log");
        createFile(p, ascii("abc"));
        int file = open(p, WRITE | APPEND);
        assertThat(exec(t -> io.write(t, file, segment("def"), 0))).isEqualTo(3);
        assertThat(exec(t -> io.write(t, file, segment("gh"), 1))).isEqualTo(2);
        close(file);
        assertBytes(contentOf(p), ascii("abcdefgh"), "content after two appends at offsets 0 and 1");
    }

    @Test
    void openWithDirectReadsAndWritesAlignedBlocks() {
        String p = path("direct");
        int file = openDirectOrSkip(p, READ_WRITE | CREATE);
        byte[] data = pattern(2 * BLOCK_BYTES, 2);
        MemorySegment out = arena.allocate(2 * BLOCK_BYTES, BLOCK_BYTES);
        MemorySegment.copy(data, 0, out, ValueLayout.JAVA_BYTE, 0, data.length);
        assertThat(exec(t -> io.write(t, file, out, BLOCK_BYTES))).isEqualTo(2 * BLOCK_BYTES);
        MemorySegment in = arena.allocate(2 * BLOCK_BYTES, BLOCK_BYTES).fill(POISON);
        assertThat(exec(t -> io.read(t, file, in, BLOCK_BYTES))).isEqualTo(2 * BLOCK_BYTES);
        assertBytes(bytes(in), data, "aligned O_DIRECT read of an aligned O_DIRECT write");
        close(file);
        assertThat(stat(p).size()).isEqualTo(3L * BLOCK_BYTES);
    }

    @Test
    void openWithDsyncWritesAndReadsBack() {
        String p = path("dsync");
        int file = open(p, READ_WRITE | CREATE | DSYNC);
        writeFully(file, pattern(5000, 3), 100);
        assertBytes(read(file, 5000, 100), pattern(5000, 3), "read back from an O_DSYNC file");
        close(file);
    }

    @Test
    void openOfADirectoryLetsItsEntriesBeSynced() {
        createFile(path("entry"), ascii("e"));
        int directory = open(dir.toString(), DIRECTORY);
        assertErrno(exec(t -> io.sync(t, directory, false)), 0, "fsync of a directory");
        close(directory);
    }

    @Test
    void openReadOnlyReadsButRefusesWritesWithEbadf() {
        String p = path("ro");
        createFile(p, ascii("read me"));
        int file = open(p, READ);
        assertBytes(read(file, 100, 0), ascii("read me"), "read through a read-only handle");
        assertErrno(exec(t -> io.write(t, file, segment("no"), 0)), Errno.EBADF, "write on a read-only handle");
        close(file);
        assertBytes(contentOf(p), ascii("read me"), "content after a refused write");
    }

    @Test
    void readOnAWriteOnlyHandleFailsWithEbadf() {
        String p = path("wo");
        createFile(p, ascii("secret"));
        int file = open(p, WRITE);
        assertErrno(exec(t -> io.read(t, file, poisoned(10), 0)), Errno.EBADF, "read on a write-only handle");
        close(file);
    }

    @Test
    void twoOpensOfOneFileAreIndependentHandles() {
        String p = path("twice");
        createFile(p, ascii("shared"));
        int first = open(p, READ);
        int second = open(p, READ);
        assertThat(first).as("handles of two opens").isNotEqualTo(second);
        close(first);
        assertBytes(read(second, 100, 0), ascii("shared"), "read through the handle still open");
        close(second);
    }

    @Test
    void openOfAMissingFileFailsWithEnoent() {
        String p = path("missing");
        assertErrno(exec(t -> io.open(t, p, READ, 0)), Errno.ENOENT, "open of a missing file");
        assertErrno(exec(t -> io.open(t, path("no-dir/child"), WRITE | CREATE, MODE_FILE)), Errno.ENOENT,
                "open with CREATE in a missing directory");
    }

    @Test
    void openOfADirectoryForWritingFailsWithEisdir() {
        String sub = path("sub");
        mkdir(sub);
        assertErrno(exec(t -> io.open(t, sub, WRITE, 0)), Errno.EISDIR, "open of a directory with WRITE");
        assertErrno(exec(t -> io.open(t, sub, READ_WRITE, 0)), Errno.EISDIR, "open of a directory with READ_WRITE");
    }

    @Test
    void openThroughARegularFileFailsWithEnotdir() {
        String p = path("plain");
        createFile(p, ascii("p"));
        assertErrno(exec(t -> io.open(t, p + "/child", READ, 0)), Errno.ENOTDIR, "open of a path through a file");
        assertErrno(exec(t -> io.open(t, p + "/child", WRITE | CREATE, MODE_FILE)), Errno.ENOTDIR,
                "open with CREATE of a path through a file");
    }

    @Test
    void openOfARegularFileAsADirectoryFailsWithEnotdir() {
        String p = path("not-a-dir");
        createFile(p, ascii("f"));
        assertErrno(exec(t -> io.open(t, p, DIRECTORY, 0)), Errno.ENOTDIR, "open of a regular file with DIRECTORY");
    }

    @Test
    void openWithCreateAppliesThePermissionBits() throws IOException {
        assumeHostFileSystem("permission bits");
        int umask = hostUmask();
        String p = path("moded");
        int file = exec(t -> io.open(t, p, WRITE | CREATE_NEW, 0640));
        assertOk(file, "open with CREATE_NEW and mode 0640");
        close(file);
        int mode = modeBits(Files.getPosixFilePermissions(Path.of(p)));
        assertThat(Integer.toOctalString(mode)).as("mode of a file created with 0640 under umask 0%s",
                Integer.toOctalString(umask)).isEqualTo(Integer.toOctalString(0640 & ~umask));
    }

    // ---------------------------------------------------------------------------------------
    // close
    // ---------------------------------------------------------------------------------------

    @Test
    void closeCompletesWithZero() {
        int file = open(path("c"), WRITE | CREATE);
        assertErrno(exec(t -> io.close(t, file)), 0, "close");
    }

    @Test
    void readAfterCloseFailsWithEbadf() {
        String p = path("closed-read");
        createFile(p, ascii("gone"));
        int file = open(p, READ);
        close(file);
        assertErrno(exec(t -> io.read(t, file, poisoned(10), 0)), Errno.EBADF, "read on a closed handle");
    }

    @Test
    void writeAfterCloseFailsWithEbadf() {
        String p = path("closed-write");
        createFile(p, ascii("kept"));
        int file = open(p, WRITE);
        close(file);
        assertErrno(exec(t -> io.write(t, file, segment("lost"), 0)), Errno.EBADF, "write on a closed handle");
        assertBytes(contentOf(p), ascii("kept"), "content after a write on a closed handle");
    }

    @Test
    void closingAHandleTwiceFailsWithEbadf() {
        int file = open(path("c2"), WRITE | CREATE);
        close(file);
        assertErrno(exec(t -> io.close(t, file)), Errno.EBADF, "second close of a handle");
    }

    @Test
    void operationsOnAHandleNeverOpenedFailWithEbadf() {
        int bad = HANDLE_NEVER_OPENED;
        assertErrno(exec(t -> io.read(t, bad, poisoned(8), 0)), Errno.EBADF, "read on a handle never opened");
        assertErrno(exec(t -> io.write(t, bad, segment("x"), 0)), Errno.EBADF, "write on a handle never opened");
        assertErrno(exec(t -> io.sync(t, bad, true)), Errno.EBADF, "sync on a handle never opened");
        assertErrno(exec(t -> io.stat(t, bad, new FileStat())), Errno.EBADF, "stat on a handle never opened");
        assertErrno(exec(t -> io.close(t, bad)), Errno.EBADF, "close of a handle never opened");
    }

    // ---------------------------------------------------------------------------------------
    // read and write
    // ---------------------------------------------------------------------------------------

    @Test
    void writeThenReadReturnsTheSameBytes() {
        int file = open(path("rw"), READ_WRITE | CREATE);
        byte[] data = pattern(10_000, 4);
        assertThat(exec(t -> io.write(t, file, segment(data), 12_345))).isEqualTo(data.length);
        assertBytes(read(file, data.length, 12_345), data, "read back at an unaligned offset");
        close(file);
    }

    @Test
    void readAtEndOfFileReturnsZero() {
        String p = path("eof");
        createFile(p, pattern(100, 5));
        int file = open(p, READ);
        assertThat(exec(t -> io.read(t, file, poisoned(10), 100))).as("read at the end of file").isZero();
        close(file);
    }

    @Test
    void readPastEndOfFileReturnsZero() {
        String p = path("past-eof");
        createFile(p, pattern(100, 6));
        int file = open(p, READ);
        assertThat(exec(t -> io.read(t, file, poisoned(10), 100_000))).as("read past the end of file").isZero();
        assertThat(exec(t -> io.read(t, file, poisoned(10), 6 * GIB))).as("read far past the end of file").isZero();
        close(file);
    }

    @Test
    void readAcrossTheEndOfFileIsShort() {
        String p = path("short");
        createFile(p, pattern(100, 7));
        int file = open(p, READ);
        byte[] tail = read(file, 4096, 50);
        assertBytes(tail, Arrays.copyOfRange(pattern(100, 7), 50, 100), "read across the end of file");
        close(file);
    }

    @Test
    void readOfAnEmptyFileReturnsZero() {
        String p = path("empty");
        close(open(p, WRITE | CREATE));
        int file = open(p, READ);
        assertThat(exec(t -> io.read(t, file, poisoned(64), 0))).isZero();
        close(file);
    }

    @Test
    void zeroLengthReadAndWriteCompleteWithZero() {
        String p = path("zero");
        createFile(p, ascii("abc"));
        int file = open(p, READ_WRITE);
        MemorySegment empty = arena.allocate(0);
        assertThat(exec(t -> io.write(t, file, empty, 1))).as("write of nothing").isZero();
        assertThat(exec(t -> io.read(t, file, empty, 1))).as("read of nothing").isZero();
        close(file);
        assertBytes(contentOf(p), ascii("abc"), "content after writing nothing");
    }

    @Test
    void writePastTheEndLeavesAZeroFilledGap() {
        String p = path("gap");
        int file = open(p, READ_WRITE | CREATE);
        writeFully(file, ascii("tail"), 100_000);
        assertThat(stat(file).size()).isEqualTo(100_004);
        assertBytes(read(file, 100_000, 0), new byte[100_000], "the gap before a write past the end");
        close(file);
    }

    @Test
    void writeAndReadBackBeyondFourGibibytes() {
        long offset = 5 * GIB + 3;
        byte[] data = pattern(BLOCK_BYTES, 8);
        int file = open(path("large"), READ_WRITE | CREATE);
        assertThat(exec(t -> io.write(t, file, segment(data), offset))).isEqualTo(data.length);
        assertThat(stat(file).size()).as("size after a write at 5 GiB + 3").isEqualTo(offset + data.length);
        assertBytes(read(file, data.length, offset), data, "read back at 5 GiB + 3");
        close(file);
    }

    @Test
    void holeBelowAWriteBeyondFourGibibytesReadsZeros() {
        int file = open(path("sparse"), READ_WRITE | CREATE);
        writeFully(file, pattern(BLOCK_BYTES, 9), 5 * GIB);
        // 1 GiB is where 5 GiB lands if an offset is cut to 32 bits.
        assertBytes(read(file, BLOCK_BYTES, GIB), new byte[BLOCK_BYTES], "hole at 1 GiB");
        assertBytes(read(file, BLOCK_BYTES, 4 * GIB - BLOCK_BYTES / 2), new byte[BLOCK_BYTES], "hole across 4 GiB");
        assertBytes(read(file, BLOCK_BYTES, 0), new byte[BLOCK_BYTES], "hole at 0");
        close(file);
    }

    @Test
    void readFromADirectoryHandleFailsWithEisdir() {
        int directory = open(dir.toString(), DIRECTORY);
        assertErrno(exec(t -> io.read(t, directory, poisoned(64), 0)), Errno.EISDIR, "read on a directory handle");
        close(directory);
    }

    @Test
    void unalignedDirectReadFailsWithEinval() throws IOException {
        String p = path("direct-unaligned");
        createFile(p, pattern(2 * BLOCK_BYTES, 10));
        int file = openDirectOrSkip(p, READ);
        MemorySegment aligned = arena.allocate(2 * BLOCK_BYTES, BLOCK_BYTES);
        MemorySegment unaligned = aligned.asSlice(1, 100);
        int result = exec(t -> io.read(t, file, unaligned, 1));
        close(file);
        if (result >= 0) {
            // Some file systems (btrfs, tmpfs) serve an unaligned O_DIRECT transfer through the page
            // cache instead of refusing it; ext4 and XFS always refuse it (open(2), "O_DIRECT").
            String type = usesHostFileSystem() ? Files.getFileStore(dir).type() : "unknown";
            assumeTrue(Set.of("ext4", "ext3", "ext2", "xfs").contains(type),
                    "the file system under " + dir + " (" + type + ") accepts unaligned O_DIRECT reads");
        }
        assertErrno(result, Errno.EINVAL, "O_DIRECT read of 100 bytes at offset 1 into a buffer at an odd address");
    }

    // ---------------------------------------------------------------------------------------
    // readv and writev
    // ---------------------------------------------------------------------------------------

    @Test
    void writevThenReadvRoundTrip() {
        int file = open(path("vec"), READ_WRITE | CREATE);
        byte[] data = pattern(600, 11);
        MemorySegment[] out = {segment(Arrays.copyOfRange(data, 0, 100)), segment(Arrays.copyOfRange(data, 100, 300)),
                segment(Arrays.copyOfRange(data, 300, 600))};
        assertThat(exec(t -> io.writev(t, file, out, 7))).isEqualTo(600);
        MemorySegment[] in = {poisoned(300), poisoned(200), poisoned(100)};
        assertThat(exec(t -> io.readv(t, file, in, 7))).isEqualTo(600);
        byte[] read = new byte[600];
        System.arraycopy(bytes(in[0]), 0, read, 0, 300);
        System.arraycopy(bytes(in[1]), 0, read, 300, 200);
        System.arraycopy(bytes(in[2]), 0, read, 500, 100);
        assertBytes(read, data, "readv of what writev wrote, split differently");
        close(file);
        assertBytes(Arrays.copyOfRange(contentOf(path("vec")), 7, 607), data, "file content after writev");
    }

    @Test
    void vectoredIoSkipsEmptySegments() {
        String p = path("vec-empty");
        int file = open(p, READ_WRITE | CREATE);
        MemorySegment[] out = {arena.allocate(0), segment("abc"), arena.allocate(0), arena.allocate(0), segment("defg"),
                arena.allocate(0)};
        assertThat(exec(t -> io.writev(t, file, out, 0))).isEqualTo(7);
        MemorySegment[] in = {arena.allocate(0), poisoned(2), arena.allocate(0), poisoned(5), arena.allocate(0)};
        assertThat(exec(t -> io.readv(t, file, in, 0))).isEqualTo(7);
        assertBytes(bytes(in[1]), ascii("ab"), "first non-empty segment");
        assertBytes(bytes(in[3]), ascii("cdefg"), "second non-empty segment");
        close(file);
        assertBytes(contentOf(p), ascii("abcdefg"), "file content");
    }

    @Test
    void vectoredIoOfOnlyEmptySegmentsCompletesWithZero() {
        String p = path("vec-none");
        createFile(p, ascii("xyz"));
        int file = open(p, READ_WRITE);
        MemorySegment[] empties = {arena.allocate(0), arena.allocate(0)};
        assertThat(exec(t -> io.writev(t, file, empties, 1))).isZero();
        assertThat(exec(t -> io.readv(t, file, empties, 1))).isZero();
        close(file);
        assertBytes(contentOf(p), ascii("xyz"), "file content");
    }

    @Test
    void writevAndReadvWithVectorMaxSegments() {
        String p = path("vec-max");
        int file = open(p, READ_WRITE | CREATE);
        // Sizes 0 to 4 bytes: some segments are empty, and the total stays small.
        MemorySegment[] out = new MemorySegment[Io.VECTOR_MAX];
        MemorySegment[] in = new MemorySegment[Io.VECTOR_MAX];
        int total = 0;
        for (int i = 0; i < Io.VECTOR_MAX; i++) {
            total += i % 5;
        }
        byte[] data = pattern(total, 12);
        for (int i = 0, at = 0; i < Io.VECTOR_MAX; at += i % 5, i++) {
            out[i] = segment(Arrays.copyOfRange(data, at, at + i % 5));
            in[i] = poisoned(i % 5);
        }
        assertThat(exec(t -> io.writev(t, file, out, 0))).isEqualTo(total);
        assertThat(exec(t -> io.readv(t, file, in, 0))).isEqualTo(total);
        for (int i = 0, at = 0; i < Io.VECTOR_MAX; at += i % 5, i++) {
            assertBytes(bytes(in[i]), Arrays.copyOfRange(data, at, at + i % 5), "segment " + i + " of readv");
        }
        close(file);
        assertBytes(contentOf(p), data, "file content after writev of " + Io.VECTOR_MAX + " segments");
    }

    @Test
    void readvAcrossTheEndOfFileFillsOnlyWhatExists() {
        String p = path("vec-eof");
        byte[] data = pattern(150, 13);
        createFile(p, data);
        int file = open(p, READ);
        MemorySegment[] in = {poisoned(100), poisoned(100), poisoned(100)};
        assertThat(exec(t -> io.readv(t, file, in, 0))).isEqualTo(150);
        assertBytes(bytes(in[0]), Arrays.copyOfRange(data, 0, 100), "first segment");
        assertBytes(bytes(in[1].asSlice(0, 50)), Arrays.copyOfRange(data, 100, 150), "second segment, up to the end");
        byte[] untouched = new byte[50];
        Arrays.fill(untouched, POISON);
        assertBytes(bytes(in[1].asSlice(50)), untouched, "second segment past the end");
        close(file);
    }

    // ---------------------------------------------------------------------------------------
    // sync
    // ---------------------------------------------------------------------------------------

    @Test
    void syncOfAWrittenFileCompletesWithZero() {
        int file = open(path("fsync"), READ_WRITE | CREATE);
        writeFully(file, pattern(8192, 14), 0);
        assertErrno(exec(t -> io.sync(t, file, false)), 0, "fsync");
        close(file);
    }

    @Test
    void dataOnlySyncOfAWrittenFileCompletesWithZero() {
        int file = open(path("fdatasync"), READ_WRITE | CREATE);
        writeFully(file, pattern(8192, 15), 0);
        assertErrno(exec(t -> io.sync(t, file, true)), 0, "fdatasync");
        close(file);
    }

    // ---------------------------------------------------------------------------------------
    // stat
    // ---------------------------------------------------------------------------------------

    @Test
    void statByHandleReportsSizeBlockSizeTypeAndModificationTime() {
        long before = Instant.now().minusSeconds(2).toEpochMilli() * 1_000_000L;
        int file = open(path("st"), READ_WRITE | CREATE);
        writeFully(file, pattern(1234, 16), 0);
        FileStat stat = stat(file);
        long after = Instant.now().plusSeconds(2).toEpochMilli() * 1_000_000L;
        close(file);
        assertThat(stat.size()).as("size").isEqualTo(1234);
        assertThat(stat.blockSize()).as("block size").isPositive();
        assertThat(Integer.bitCount(stat.blockSize())).as("block size %d is a power of two", stat.blockSize()).isOne();
        assertThat(stat.type()).as("type").isEqualTo(FileStat.Type.FILE);
        assertThat(stat.modifiedEpochNanos()).as("modification time of a file just written, in ns since the epoch")
                .isBetween(before, after);
    }

    @Test
    void statByPathReportsSizeBlockSizeTypeAndModificationTime() {
        long before = Instant.now().minusSeconds(2).toEpochMilli() * 1_000_000L;
        String p = path("st-path");
        createFile(p, pattern(4321, 17));
        FileStat stat = stat(p);
        long after = Instant.now().plusSeconds(2).toEpochMilli() * 1_000_000L;
        assertThat(stat.size()).as("size").isEqualTo(4321);
        assertThat(stat.blockSize()).as("block size").isPositive();
        assertThat(stat.type()).as("type").isEqualTo(FileStat.Type.FILE);
        assertThat(stat.modifiedEpochNanos()).as("modification time, in ns since the epoch").isBetween(before, after);
    }

    @Test
    void statOfADirectoryReportsADirectory() {
        String sub = path("sub");
        mkdir(sub);
        assertThat(stat(sub).type()).as("type by path").isEqualTo(FileStat.Type.DIRECTORY);
        int directory = open(sub, DIRECTORY);
        assertThat(stat(directory).type()).as("type by handle").isEqualTo(FileStat.Type.DIRECTORY);
        close(directory);
    }

    @Test
    void statReportsTheModificationTimeThatWasSet() throws IOException {
        assumeHostFileSystem("a modification time set from outside");
        String p = path("dated");
        createFile(p, ascii("old"));
        // Microsecond precision: what every file system and utimes(2) keep.
        Instant when = Instant.ofEpochSecond(1_000_000_000L, 123_456_000L);
        Files.setLastModifiedTime(Path.of(p), FileTime.from(when));
        long expected = when.getEpochSecond() * 1_000_000_000L + when.getNano();
        assertThat(stat(p).modifiedEpochNanos()).as("mtime by path").isEqualTo(expected);
        int file = open(p, READ);
        assertThat(stat(file).modifiedEpochNanos()).as("mtime by handle").isEqualTo(expected);
        close(file);
    }

    @Test
    void statByPathFollowsSymbolicLinks() throws IOException {
        assumeHostFileSystem("a symbolic link");
        String target = path("target");
        createFile(target, pattern(777, 18));
        Files.createSymbolicLink(dir.resolve("link"), Path.of(target));
        FileStat stat = stat(path("link"));
        assertThat(stat.type()).as("type of a link to a file").isEqualTo(FileStat.Type.FILE);
        assertThat(stat.size()).as("size of a link to a file").isEqualTo(777);
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertErrno(exec(t -> io.stat(t, path("dangling"), new FileStat())), Errno.ENOENT, "stat of a dangling link");
    }

    @Test
    void statOfAMissingPathFailsWithEnoent() {
        assertErrno(exec(t -> io.stat(t, path("missing"), new FileStat())), Errno.ENOENT, "stat of a missing path");
    }

    @Test
    void statThroughARegularFileFailsWithEnotdir() {
        String p = path("file");
        createFile(p, ascii("f"));
        assertErrno(exec(t -> io.stat(t, p + "/child", new FileStat())), Errno.ENOTDIR, "stat of a path through a file");
    }

    @Test
    void pathOperationsThroughARegularFileFailWithEnotdir() {
        String p = path("plain-file");
        createFile(p, ascii("f"));
        String through = p + "/child";
        String other = path("other");
        createFile(other, ascii("o"));
        Map<String, LongPredicate> operations = new java.util.LinkedHashMap<>();
        operations.put("unlink", t -> io.unlink(t, through));
        operations.put("rmdir", t -> io.rmdir(t, through));
        operations.put("mkdir", t -> io.mkdir(t, through, MODE_DIRECTORY));
        operations.put("rename from", t -> io.rename(t, through, path("x"), false));
        operations.put("rename to", t -> io.rename(t, other, through, false));
        operations.put("rename with noReplace to", t -> io.rename(t, other, through, true));
        // Every operation is tried, so that a failure names all that are wrong at once.
        List<String> wrong = new ArrayList<>();
        operations.forEach((what, operation) -> {
            int result = exec(operation);
            if (result != -Errno.ENOTDIR) {
                wrong.add(what + " gave " + describe(result));
            }
        });
        assertThat(wrong).as("path operations through a regular file that did not fail with -ENOTDIR").isEmpty();
        assertBytes(contentOf(other), ascii("o"), "the file a refused rename would have moved");
    }

    // ---------------------------------------------------------------------------------------
    // rename
    // ---------------------------------------------------------------------------------------

    @Test
    void renameMovesAFile() {
        String from = path("from");
        String to = path("to");
        createFile(from, ascii("moving"));
        assertErrno(exec(t -> io.rename(t, from, to, false)), 0, "rename");
        assertThat(exists(from)).as("old name exists").isFalse();
        assertBytes(contentOf(to), ascii("moving"), "content under the new name");
    }

    @Test
    void renameReplacesAnExistingTarget() {
        String from = path("new-version");
        String to = path("current");
        createFile(from, ascii("new"));
        createFile(to, ascii("old"));
        assertErrno(exec(t -> io.rename(t, from, to, false)), 0, "rename over an existing file");
        assertThat(exists(from)).as("old name exists").isFalse();
        assertBytes(contentOf(to), ascii("new"), "content of the replaced target");
    }

    @Test
    void renameWithNoReplaceMovesToAFreeName() {
        String from = path("a");
        String to = path("b");
        createFile(from, ascii("A"));
        assertErrno(exec(t -> io.rename(t, from, to, true)), 0, "rename with noReplace to a free name");
        assertThat(exists(from)).as("old name exists").isFalse();
        assertBytes(contentOf(to), ascii("A"), "content under the new name");
    }

    @Test
    void renameWithNoReplaceOntoAnExistingFileFailsWithEexistAndKeepsBoth() {
        String from = path("a");
        String to = path("b");
        createFile(from, ascii("A"));
        createFile(to, ascii("B"));
        assertErrno(exec(t -> io.rename(t, from, to, true)), Errno.EEXIST, "rename with noReplace onto an existing file");
        assertBytes(contentOf(from), ascii("A"), "source after a refused rename");
        assertBytes(contentOf(to), ascii("B"), "target after a refused rename");
    }

    @Test
    void renameOfAMissingFileFailsWithEnoent() {
        String to = path("to");
        assertErrno(exec(t -> io.rename(t, path("missing"), to, false)), Errno.ENOENT, "rename of a missing file");
        assertErrno(exec(t -> io.rename(t, path("missing"), to, true)), Errno.ENOENT,
                "rename with noReplace of a missing file");
        assertThat(exists(to)).as("target of a failed rename exists").isFalse();
    }

    @Test
    void renameMovesADirectoryWithItsEntries() {
        String from = path("d1");
        String to = path("d2");
        mkdir(from);
        createFile(from + "/inside", ascii("i"));
        assertErrno(exec(t -> io.rename(t, from, to, true)), 0, "rename of a directory");
        assertThat(stat(to).type()).isEqualTo(FileStat.Type.DIRECTORY);
        assertBytes(contentOf(to + "/inside"), ascii("i"), "entry of the renamed directory");
        assertThat(exists(from)).as("old name exists").isFalse();
    }

    // ---------------------------------------------------------------------------------------
    // unlink, mkdir, rmdir
    // ---------------------------------------------------------------------------------------

    @Test
    void unlinkRemovesAFile() {
        String p = path("doomed");
        createFile(p, ascii("x"));
        assertErrno(exec(t -> io.unlink(t, p)), 0, "unlink");
        assertThat(exists(p)).as("unlinked file exists").isFalse();
        assertErrno(exec(t -> io.open(t, p, READ, 0)), Errno.ENOENT, "open of an unlinked file");
    }

    @Test
    void unlinkOfAMissingFileFailsWithEnoent() {
        assertErrno(exec(t -> io.unlink(t, path("missing"))), Errno.ENOENT, "unlink of a missing file");
    }

    @Test
    void unlinkOfADirectoryFailsWithEisdir() {
        String sub = path("sub");
        mkdir(sub);
        // unlink(2) on Linux says EISDIR for a directory; POSIX's EPERM is the BSD answer.
        assertErrno(exec(t -> io.unlink(t, sub)), Errno.EISDIR, "unlink of a directory");
        assertThat(stat(sub).type()).as("the directory is still there").isEqualTo(FileStat.Type.DIRECTORY);
    }

    @Test
    void mkdirCreatesADirectory() {
        String sub = path("made");
        mkdir(sub);
        assertThat(stat(sub).type()).isEqualTo(FileStat.Type.DIRECTORY);
        createFile(sub + "/child", ascii("c"));
        assertBytes(contentOf(sub + "/child"), ascii("c"), "file in the new directory");
    }

    @Test
    void mkdirAppliesThePermissionBits() throws IOException {
        assumeHostFileSystem("permission bits");
        int umask = hostUmask();
        String sub = path("moded-dir");
        assertErrno(exec(t -> io.mkdir(t, sub, 0750)), 0, "mkdir with mode 0750");
        int mode = modeBits(Files.getPosixFilePermissions(Path.of(sub)));
        assertThat(Integer.toOctalString(mode)).as("mode of a directory made with 0750 under umask 0%s",
                Integer.toOctalString(umask)).isEqualTo(Integer.toOctalString(0750 & ~umask));
    }

    @Test
    void mkdirOfAnExistingDirectoryFailsWithEexist() {
        String sub = path("twice");
        mkdir(sub);
        assertErrno(exec(t -> io.mkdir(t, sub, MODE_DIRECTORY)), Errno.EEXIST, "mkdir of an existing directory");
        String p = path("file");
        createFile(p, ascii("f"));
        assertErrno(exec(t -> io.mkdir(t, p, MODE_DIRECTORY)), Errno.EEXIST, "mkdir over an existing file");
    }

    @Test
    void mkdirInAMissingParentFailsWithEnoent() {
        assertErrno(exec(t -> io.mkdir(t, path("no/such"), MODE_DIRECTORY)), Errno.ENOENT, "mkdir in a missing parent");
    }

    @Test
    void rmdirRemovesAnEmptyDirectory() {
        String sub = path("empty-dir");
        mkdir(sub);
        assertErrno(exec(t -> io.rmdir(t, sub)), 0, "rmdir");
        assertThat(exists(sub)).as("removed directory exists").isFalse();
    }

    @Test
    void rmdirOfANonEmptyDirectoryFailsWithEnotempty() {
        String sub = path("full");
        mkdir(sub);
        createFile(sub + "/child", ascii("c"));
        assertErrno(exec(t -> io.rmdir(t, sub)), Errno.ENOTEMPTY, "rmdir of a non-empty directory");
        assertBytes(contentOf(sub + "/child"), ascii("c"), "entry of the directory that was not removed");
    }

    @Test
    void rmdirOfARegularFileFailsWithEnotdir() {
        String p = path("file");
        createFile(p, ascii("f"));
        assertErrno(exec(t -> io.rmdir(t, p)), Errno.ENOTDIR, "rmdir of a regular file");
        assertBytes(contentOf(p), ascii("f"), "the file rmdir refused");
    }

    @Test
    void rmdirOfAMissingDirectoryFailsWithEnoent() {
        assertErrno(exec(t -> io.rmdir(t, path("missing"))), Errno.ENOENT, "rmdir of a missing directory");
    }

    // ---------------------------------------------------------------------------------------
    // allocate and truncate
    // ---------------------------------------------------------------------------------------

    private int allocateOrSkip(int file, long offset, long length, boolean keepSize) {
        int result = exec(t -> io.allocate(t, file, offset, length, keepSize));
        assumeFalse(result == -Errno.EOPNOTSUPP, "the file system under " + dir + " does not support fallocate");
        return result;
    }

    @Test
    void allocateGrowsTheFileToCoverTheRange() {
        int file = open(path("alloc"), READ_WRITE | CREATE);
        assertErrno(allocateOrSkip(file, BLOCK_BYTES, 16 * BLOCK_BYTES, false), 0, "allocate");
        assertThat(stat(file).size()).as("size after allocate of [4096, 69632)").isEqualTo(17L * BLOCK_BYTES);
        assertBytes(read(file, 17 * BLOCK_BYTES, 0), new byte[17 * BLOCK_BYTES], "allocated space reads as zeros");
        close(file);
    }

    @Test
    void allocateWithKeepSizeLeavesTheSizeAlone() {
        String p = path("alloc-keep");
        createFile(p, pattern(100, 19));
        int file = open(p, READ_WRITE);
        assertErrno(allocateOrSkip(file, 0, 1 << 20, true), 0, "allocate with keepSize");
        assertThat(stat(file).size()).as("size after allocate with keepSize").isEqualTo(100);
        close(file);
        assertBytes(contentOf(p), pattern(100, 19), "content after allocate with keepSize");
    }

    @Test
    void truncateShrinksTheFile() {
        String p = path("shrink");
        createFile(p, pattern(8192, 20));
        int file = open(p, READ_WRITE);
        assertErrno(exec(t -> io.truncate(t, file, 100)), 0, "truncate to 100");
        assertThat(stat(file).size()).isEqualTo(100);
        assertThat(exec(t -> io.read(t, file, poisoned(10), 100))).as("read at the new end").isZero();
        close(file);
        assertBytes(contentOf(p), Arrays.copyOf(pattern(8192, 20), 100), "content after truncate");
    }

    @Test
    void truncateExtendsTheFileWithZeros() {
        String p = path("extend");
        createFile(p, pattern(100, 21));
        int file = open(p, READ_WRITE);
        assertErrno(exec(t -> io.truncate(t, file, 10_000)), 0, "truncate to 10000");
        assertThat(stat(file).size()).isEqualTo(10_000);
        close(file);
        assertBytes(contentOf(p), Arrays.copyOf(pattern(100, 21), 10_000), "content after extending truncate");
    }

    // ---------------------------------------------------------------------------------------
    // nop, timeout, cancel
    // ---------------------------------------------------------------------------------------

    @Test
    void nopCompletesWithZero() {
        assertErrno(exec(io::nop), 0, "nop");
    }

    @Test
    void timeoutCompletesWithZeroNotBeforeItsTime() {
        long start = clockNanos();
        int result = exec(t -> io.timeout(t, TIMEOUT_SHORT_NANOS));
        long elapsed = clockNanos() - start;
        assertErrno(result, 0, "timeout");
        assertThat(elapsed).as("ns from submission to completion of a %d ns timeout", TIMEOUT_SHORT_NANOS)
                .isGreaterThanOrEqualTo(TIMEOUT_SHORT_NANOS);
    }

    @Test
    void zeroTimeoutCompletesWithZero() {
        assertErrno(exec(t -> io.timeout(t, 0)), 0, "timeout of 0 ns");
    }

    @Test
    void cancelOfALongTimeoutCompletesItWithEcanceled() {
        long timer = submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        pollOnce();
        long cancel = submit(t -> io.cancel(t, timer));
        int[] results = awaitAll(timer, cancel);
        assertErrno(results[0], Errno.ECANCELED, "the cancelled timeout");
        assertErrno(results[1], 0, "the cancel");
    }

    @Test
    void cancelOfAnUnknownTagFailsWithEnoent() {
        assertErrno(exec(t -> io.cancel(t, 987_654_321L)), Errno.ENOENT, "cancel of a tag never submitted");
    }

    @Test
    void cancelOfADeliveredOperationFailsWithEnoent() {
        long nop = submit(io::nop);
        assertErrno(await(nop), 0, "nop");
        assertErrno(exec(t -> io.cancel(t, nop)), Errno.ENOENT, "cancel of an operation already delivered");
    }

    // ---------------------------------------------------------------------------------------
    // wakeup
    // ---------------------------------------------------------------------------------------

    /** How long a park that a wake-up must end is asked to wait: far past any test's patience. */
    private static final long PARK_LONG_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How soon, in real time, a woken park must have returned. */
    private static final long WOKEN_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void wakeupFromAnotherThreadEndsAParkInProgress() throws Exception {
        long timer = submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        pollOnce();
        Thread waker = Thread.ofPlatform().start(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            io.wakeup();
        });
        long start = System.nanoTime();
        io.park(PARK_LONG_NANOS, completions);
        long elapsed = System.nanoTime() - start;
        waker.join();
        checkViolations();
        assertThat(elapsed).as("real ns until a park of %d ns returned after a wakeup", PARK_LONG_NANOS)
                .isLessThan(WOKEN_WITHIN_NANOS);
        assertThat(completions.has(timer)).as("the long timeout is still in flight").isFalse();
        assertErrno(exec(t -> io.cancel(t, timer)), 0, "cancel of the timeout");
        assertErrno(await(timer), Errno.ECANCELED, "the cancelled timeout");
    }

    @Test
    void wakeupBeforeParkIsNotLost() {
        long timer = submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        pollOnce();
        io.wakeup();
        long start = System.nanoTime();
        long clockStart = clockNanos();
        io.park(PARK_LONG_NANOS, completions);
        checkViolations();
        assertThat(System.nanoTime() - start).as("real ns until a park after a wakeup returned")
                .isLessThan(WOKEN_WITHIN_NANOS);
        assertThat(clockNanos() - clockStart).as("ns the backend's clock moved during a woken park")
                .isLessThan(WOKEN_WITHIN_NANOS);
        assertThat(completions.has(timer)).as("the long timeout is still in flight").isFalse();
        assertErrno(exec(t -> io.cancel(t, timer)), 0, "cancel of the timeout");
        assertErrno(await(timer), Errno.ECANCELED, "the cancelled timeout");
    }

    @Test
    void wakeupWithNothingInFlightEndsTheNextPark() {
        io.wakeup();
        long start = System.nanoTime();
        assertThat(io.park(PARK_LONG_NANOS, completions)).as("completions delivered by a woken park").isZero();
        assertThat(System.nanoTime() - start).as("real ns until a park after a wakeup returned")
                .isLessThan(WOKEN_WITHIN_NANOS);
    }

    @Test
    void aWakeupIsConsumedByOnePark() {
        io.wakeup();
        io.park(PARK_LONG_NANOS, completions);
        long clockStart = clockNanos();
        io.park(TIMEOUT_SHORT_NANOS, completions);
        assertThat(clockNanos() - clockStart).as("ns a park waited after the wake-up had been consumed")
                .isGreaterThanOrEqualTo(TIMEOUT_SHORT_NANOS);
    }

    @Test
    void wakeupAfterCloseDoesNothing() {
        io.close();
        io.wakeup();
        io.wakeup();
    }

    // ---------------------------------------------------------------------------------------
    // links
    // ---------------------------------------------------------------------------------------

    private void linkNext() {
        assertThat(io.linkNext()).as("linkNext with inFlight=%d of capacity %d", io.inFlight(), io.capacity()).isTrue();
    }

    @Test
    void failingLinkHeadCancelsTheFollowerWhichDoesNotRun() {
        String p = path("guarded");
        createFile(p, ascii("original"));
        int readOnly = open(p, READ);
        int writable = open(p, READ_WRITE);
        linkNext();
        long head = submit(t -> io.write(t, readOnly, segment("HEAD"), 0));
        long follower = submit(t -> io.write(t, writable, segment("FOLLOWER"), 0));
        int[] results = awaitAll(head, follower);
        assertErrno(results[0], Errno.EBADF, "head: write on a read-only handle");
        assertErrno(results[1], Errno.ECANCELED, "follower of a failed head");
        close(readOnly);
        close(writable);
        assertBytes(contentOf(p), ascii("original"), "content: the cancelled follower must not have written");
    }

    @Test
    void failingLinkHeadCancelsTheWholeChain() {
        String p = path("chain-target");
        createFile(p, ascii("untouched"));
        int file = open(p, READ_WRITE);
        linkNext();
        long head = submit(t -> io.open(t, path("missing"), READ, 0));
        linkNext();
        long write = submit(t -> io.write(t, file, segment("XX"), 0));
        linkNext();
        long truncate = submit(t -> io.truncate(t, file, 1));
        long sync = submit(t -> io.sync(t, file, true));
        int[] results = awaitAll(head, write, truncate, sync);
        assertErrno(results[0], Errno.ENOENT, "head: open of a missing file");
        assertErrno(results[1], Errno.ECANCELED, "second of the chain");
        assertErrno(results[2], Errno.ECANCELED, "third of the chain");
        assertErrno(results[3], Errno.ECANCELED, "fourth of the chain");
        close(file);
        assertBytes(contentOf(p), ascii("untouched"), "content: no cancelled operation may have run");
    }

    @Test
    void shortReadAtTheHeadOfAChainCancelsTheFollower() {
        String p = path("hundred");
        createFile(p, pattern(100, 22));
        int file = open(p, READ_WRITE);
        linkNext();
        long head = submit(t -> io.read(t, file, poisoned(4096), 0));
        long follower = submit(t -> io.write(t, file, segment("OVERWRITE"), 0));
        int[] results = awaitAll(head, follower);
        assertThat(results[0]).as("short read at the head").isEqualTo(100);
        assertErrno(results[1], Errno.ECANCELED, "follower of a short read");
        close(file);
        assertBytes(contentOf(p), pattern(100, 22), "content: the cancelled follower must not have written");
    }

    @Test
    void linkedWriteThenSyncRunInOrderAndBothSucceed() {
        int file = open(path("wal"), READ_WRITE | CREATE);
        linkNext();
        long write = submit(t -> io.write(t, file, segment(pattern(4096, 23)), 0));
        long sync = submit(t -> io.sync(t, file, true));
        int[] results = awaitAll(write, sync);
        assertThat(results[0]).as("write").isEqualTo(4096);
        assertErrno(results[1], 0, "the fdatasync linked to the write");
        assertThat(deliveryPosition(write)).as("the write completes before the sync linked to it")
                .isLessThan(deliveryPosition(sync));
        close(file);
    }

    @Test
    void linkedReadSeesTheWriteBeforeIt() {
        int file = open(path("write-read"), READ_WRITE | CREATE);
        byte[] data = pattern(64 * 1024, 24);
        MemorySegment in = poisoned(data.length);
        linkNext();
        long write = submit(t -> io.write(t, file, segment(data), 0));
        long read = submit(t -> io.read(t, file, in, 0));
        int[] results = awaitAll(write, read);
        assertThat(results[0]).as("write").isEqualTo(data.length);
        assertThat(results[1]).as("read linked to the write").isEqualTo(data.length);
        assertBytes(bytes(in), data, "what the linked read saw");
        close(file);
    }

    @Test
    void chainOfOverlappingWritesAppliesThemInOrder() {
        String p = path("overwrites");
        int file = open(p, READ_WRITE | CREATE);
        long[] tags = new long[5];
        for (int i = 0; i < tags.length; i++) {
            byte[] data = ascii(String.valueOf(i).repeat(8 - i));
            if (i < tags.length - 1) {
                linkNext();
            }
            tags[i] = submit(t -> io.write(t, file, segment(data), 0));
        }
        int[] results = awaitAll(tags);
        for (int i = 0; i < tags.length; i++) {
            assertThat(results[i]).as("write %d of the chain", i).isEqualTo(8 - i);
            if (i > 0) {
                assertThat(deliveryPosition(tags[i - 1])).as("write %d completes before write %d", i - 1, i)
                        .isLessThan(deliveryPosition(tags[i]));
            }
        }
        close(file);
        // Each write is shorter than the one before it, so each leaves the previous one's tail.
        assertBytes(contentOf(p), ascii("44443210"), "content after five linked overlapping writes");
    }

    @Test
    void operationLinkedAfterATimeoutRunsWhenItFires() {
        long start = clockNanos();
        linkNext();
        long timer = submit(t -> io.timeout(t, TIMEOUT_SHORT_NANOS));
        long nop = submit(io::nop);
        int[] results = awaitAll(timer, nop);
        long elapsed = clockNanos() - start;
        // A fired timeout is a success (0), so it does not break the chain.
        assertErrno(results[0], 0, "the timeout at the head");
        assertErrno(results[1], 0, "the nop linked to the timeout");
        assertThat(deliveryPosition(timer)).as("the timeout completes before the nop linked to it")
                .isLessThan(deliveryPosition(nop));
        assertThat(elapsed).as("ns until the linked nop completed").isGreaterThanOrEqualTo(TIMEOUT_SHORT_NANOS);
    }

    @Test
    void chainOfChainMaxOperationsCompletesInOrder() {
        String p = path("longest-chain");
        int file = open(p, READ_WRITE | CREATE);
        long[] tags = new long[Io.CHAIN_MAX];
        byte[] expected = new byte[Io.CHAIN_MAX];
        for (int i = 0; i < Io.CHAIN_MAX; i++) {
            expected[i] = (byte) (i + 1);
            MemorySegment one = segment(new byte[] {expected[i]});
            long at = i;
            if (i < Io.CHAIN_MAX - 1) {
                linkNext();
            }
            tags[i] = submit(t -> io.write(t, file, one, at));
        }
        int[] results = awaitAll(tags);
        for (int i = 0; i < Io.CHAIN_MAX; i++) {
            assertThat(results[i]).as("write %d of a chain of %d", i, Io.CHAIN_MAX).isEqualTo(1);
            if (i > 0) {
                assertThat(deliveryPosition(tags[i - 1])).as("write %d completes before write %d", i - 1, i)
                        .isLessThan(deliveryPosition(tags[i]));
            }
        }
        close(file);
        assertBytes(contentOf(p), expected, "content after a chain of " + Io.CHAIN_MAX + " writes");
    }

    @Test
    void chainLongerThanChainMaxIsRefusedWithIllegalState() {
        // Operation i (from 0) is linked to the next when linkNext() came before it, so the
        // chain passes CHAIN_MAX either at the CHAIN_MAX-th linkNext() or at the operation after.
        int accepted = 0;
        Throwable refusal = null;
        try {
            for (int i = 0; i <= Io.CHAIN_MAX; i++) {
                if (i < Io.CHAIN_MAX) {
                    assertThat(io.linkNext()).as("linkNext %d of an empty Io of capacity %d", i + 1, io.capacity())
                            .isTrue();
                }
                assertThat(io.nop(nextTag())).as("nop %d of a chain: accepted, or refused with IllegalStateException",
                        i + 1).isTrue();
                accepted++;
            }
        } catch (IllegalStateException e) {
            refusal = e;
        }
        assertThat(refusal).as("a chain of %d operations is refused", Io.CHAIN_MAX + 1).isNotNull();
        assertThat(accepted).as("operations accepted before the refusal").isBetween(Io.CHAIN_MAX - 1, Io.CHAIN_MAX);
    }

    @Test
    void chainLongerThanTheCapacityIsRefusedWithIllegalState() {
        replaceIo(8);
        int capacity = io.capacity();
        int accepted = 0;
        Throwable refusal = null;
        try {
            for (int i = 0; i <= capacity; i++) {
                if (i < capacity) {
                    assertThat(io.linkNext()).as("linkNext %d of an empty Io of capacity %d", i + 1, capacity).isTrue();
                }
                assertThat(io.nop(nextTag())).as("nop %d of a chain in an Io of capacity %d: accepted, or refused"
                        + " with IllegalStateException (false would leave the chain unfinishable)", i + 1, capacity)
                        .isTrue();
                accepted++;
            }
        } catch (IllegalStateException e) {
            refusal = e;
        }
        assertThat(refusal).as("a chain of %d operations in an Io of capacity %d is refused", capacity + 1, capacity)
                .isNotNull();
        assertThat(accepted).as("operations accepted before the refusal").isBetween(capacity - 1, capacity);
    }

    @Test
    void aHandlerThatThrowsLosesNoCompletion() {
        long first = submit(io::nop);
        long second = submit(io::nop);
        java.util.List<Long> seen = new java.util.ArrayList<>();
        RuntimeException boom = new RuntimeException("handler failed");
        long deadline = System.nanoTime() + 5_000_000_000L;
        int thrown = 0;
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            try {
                io.park(100_000_000L, (tag, result) -> {
                    seen.add(tag);
                    throw boom;
                });
            } catch (RuntimeException e) {
                assertThat(e).isSameAs(boom);
                thrown++;
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(first, second);
        assertThat(thrown).isBetween(1, 2);
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void aChainEndsAtTheNextPoll() {
        linkNext();
        long head = submit(t -> io.open(t, path("missing"), READ, 0));
        pollOnce();
        long after = submit(io::nop);
        int[] results = awaitAll(head, after);
        assertErrno(results[0], Errno.ENOENT, "the head, linked to whatever came next before a poll");
        assertErrno(results[1], 0, "an operation submitted after the poll that ended the chain");
    }

    @Test
    void operationSubmittedAfterAChainIsNotPartOfIt() {
        linkNext();
        long head = submit(t -> io.open(t, path("missing"), READ, 0));
        long follower = submit(io::nop);
        long independent = submit(io::nop);
        int[] results = awaitAll(head, follower, independent);
        assertErrno(results[0], Errno.ENOENT, "head");
        assertErrno(results[1], Errno.ECANCELED, "follower");
        assertErrno(results[2], 0, "an operation submitted after the chain ended");
    }

    // ---------------------------------------------------------------------------------------
    // many operations, capacity and tags
    // ---------------------------------------------------------------------------------------

    @Test
    void thousandOperationsInFlightCompleteExactlyOnceWithCorrectData() {
        int count = 1000;
        int size = 64;
        replaceIo(1024);
        int file = open(path("thousand"), READ_WRITE | CREATE);
        long[] writes = new long[count];
        for (int i = 0; i < count; i++) {
            MemorySegment data = segment(pattern(size, i));
            long at = (long) i * size;
            writes[i] = submit(t -> io.write(t, file, data, at));
        }
        assertThat(io.inFlight()).as("writes in flight before any poll").isEqualTo(count);
        int[] written = awaitAll(writes);
        for (int i = 0; i < count; i++) {
            assertThat(written[i]).as("write %d", i).isEqualTo(size);
        }
        long[] reads = new long[count];
        MemorySegment[] buffers = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            MemorySegment buf = poisoned(size);
            buffers[i] = buf;
            long at = (long) i * size;
            reads[i] = submit(t -> io.read(t, file, buf, at));
        }
        assertThat(io.inFlight()).as("reads in flight before any poll").isEqualTo(count);
        int[] read = awaitAll(reads);
        for (int i = 0; i < count; i++) {
            assertThat(read[i]).as("read %d", i).isEqualTo(size);
            assertBytes(bytes(buffers[i]), pattern(size, i), "read " + i);
        }
        assertNothingMoreIsDelivered();
        close(file);
    }

    @Test
    void capacityIsWhatWasAskedFor() {
        assertThat(io.capacity()).isEqualTo(CAPACITY);
        replaceIo(8);
        assertThat(io.capacity()).isEqualTo(8);
    }

    @Test
    void submissionsReturnFalseAtCapacityAndSucceedAfterDraining() {
        replaceIo(8);
        int capacity = io.capacity();
        long[] tags = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            tags[i] = submit(io::nop);
        }
        assertThat(io.inFlight()).isEqualTo(capacity);
        long refused = nextTag();
        assertThat(io.nop(refused)).as("nop at capacity").isFalse();
        assertThat(io.timeout(refused, TIMEOUT_SHORT_NANOS)).as("timeout at capacity").isFalse();
        assertThat(io.open(refused, path("x"), READ, 0)).as("open at capacity").isFalse();
        assertThat(io.linkNext()).as("linkNext at capacity").isFalse();
        assertThat(io.inFlight()).as("inFlight after refused submissions").isEqualTo(capacity);
        for (int result : awaitAll(tags)) {
            assertErrno(result, 0, "nop");
        }
        assertThat(io.inFlight()).isZero();
        // A refused submission did not take its tag: it can be used now.
        assertErrno(await(submit(refused, io::nop)), 0, "nop with the tag refused at capacity");
        assertNothingMoreIsDelivered();
    }

    /** Submits {@code count} operations without polling, asserting that each is accepted; returns their tags. */
    private long[] fill(int count, java.util.function.IntFunction<LongPredicate> operation) {
        long[] tags = new long[count];
        for (int i = 0; i < count; i++) {
            LongPredicate submission = operation.apply(i);
            long tag = nextTag();
            completions.expect(tag);
            assertThat(submission.test(tag)).as("submission %d of %d without a poll, in an Io of capacity %d",
                    i + 1, count, io.capacity()).isTrue();
            tags[i] = tag;
        }
        return tags;
    }

    @Test
    void vectoredOperationsCanFillTheCapacity() {
        int file = open(path("vectors-in-flight"), READ_WRITE | CREATE);
        int count = io.capacity() - 1;
        long[] tags = fill(count, i -> {
            MemorySegment[] bufs = {segment(pattern(8, i)), arena.allocate(0), segment(pattern(8, i + 1))};
            return t -> io.writev(t, file, bufs, i * 16L);
        });
        for (int result : awaitAll(tags)) {
            assertThat(result).as("writev").isEqualTo(16);
        }
        close(file);
    }

    @Test
    void pathOperationsCanFillTheCapacity() {
        int count = io.capacity();
        long[] tags = fill(count, i -> i % 2 == 0
                ? t -> io.mkdir(t, path("d" + i), MODE_DIRECTORY)
                : t -> io.rename(t, path("missing" + i), path("to" + i), true));
        int[] results = awaitAll(tags);
        for (int i = 0; i < count; i++) {
            assertErrno(results[i], i % 2 == 0 ? 0 : Errno.ENOENT, (i % 2 == 0 ? "mkdir " : "rename ") + i);
        }
    }

    @Test
    void statsCanFillTheCapacity() {
        String p = path("stat-me");
        createFile(p, pattern(99, 29));
        int file = open(p, READ);
        int count = io.capacity() - 1;
        FileStat[] stats = new FileStat[count];
        long[] tags = fill(count, i -> {
            FileStat out = stats[i] = new FileStat();
            return i % 2 == 0 ? t -> io.stat(t, file, out) : t -> io.stat(t, p, out);
        });
        int[] results = awaitAll(tags);
        for (int i = 0; i < count; i++) {
            assertErrno(results[i], 0, "stat " + i);
            assertThat(stats[i].size()).as("size from stat %d", i).isEqualTo(99);
        }
        close(file);
    }

    @Test
    void reusingATagThatIsInFlightIsRefused() {
        long tag = submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        pollOnce();
        assertRefused("a second timeout with a tag in flight", () -> io.timeout(tag, TIMEOUT_SHORT_NANOS),
                Long.toString(tag));
        long nop = submit(io::nop);
        assertRefused("a second nop with a tag submitted and not yet delivered", () -> io.nop(nop), Long.toString(nop));
        assertErrno(await(nop), 0, "the first nop");
        long cancel = submit(t -> io.cancel(t, tag));
        assertErrno(await(tag), Errno.ECANCELED, "the first timeout, cancelled");
        assertErrno(await(cancel), 0, "cancel");
        assertNothingMoreIsDelivered();
    }

    @Test
    void aTagCanBeReusedOnceItsCompletionIsDelivered() {
        long tag = 42;
        for (int round = 0; round < 3; round++) {
            assertErrno(await(submit(tag, io::nop)), 0, "nop with tag 42, round " + round);
        }
        assertNothingMoreIsDelivered();
    }

    @Test
    void tagsComeBackVerbatimWhateverTheirValue() {
        long[] tags = {Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, 1L << 32, 0xFFFF_FFFFL, 0x8000_0000L};
        for (long tag : tags) {
            submit(tag, io::nop);
        }
        for (long tag : tags) {
            assertErrno(await(tag), 0, "nop with tag " + tag);
        }
        assertNothingMoreIsDelivered();
    }

    @Test
    void inFlightCountsOperationsUntilTheirCompletionIsDelivered() {
        assertThat(io.inFlight()).isZero();
        long a = submit(io::nop);
        long b = submit(io::nop);
        long timer = submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        assertThat(io.inFlight()).as("after three submissions").isEqualTo(3);
        awaitAll(a, b);
        assertThat(io.inFlight()).as("with only the long timeout left").isEqualTo(1);
        long cancel = submit(t -> io.cancel(t, timer));
        awaitAll(timer, cancel);
        assertThat(io.inFlight()).as("once everything is delivered").isZero();
    }

    @Test
    void completionsAreDeliveredOnThePollingThreadAndCounted() {
        int count = 5;
        for (int i = 0; i < count; i++) {
            submit(io::nop);
        }
        Thread me = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        IoHandler handler = (tag, result) -> threads.add(Thread.currentThread());
        int returned = 0;
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (threads.size() < count && System.nanoTime() - deadline < 0) {
            returned += io.park(PARK_SLICE_NANOS, handler);
        }
        assertThat(threads).as("threads the handler ran on").hasSize(count).containsOnly(me);
        assertThat(returned).as("sum of what poll and park returned").isEqualTo(count);
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void pollAndParkWithNothingInFlightReturnZero() {
        assertThat(io.poll(completions)).as("poll").isZero();
        assertThat(io.park(0, completions)).as("park(0)").isZero();
        assertThat(io.park(TimeUnit.MILLISECONDS.toNanos(10), completions)).as("park(10 ms)").isZero();
    }

    @Test
    void parkReturnsOnceACompletionIsReadyWithoutWaitingOutItsTimeout() {
        long parkNanos = TimeUnit.SECONDS.toNanos(20);
        submit(io::nop);
        long start = System.nanoTime();
        int delivered = 0;
        while (delivered == 0 && System.nanoTime() - start < parkNanos) {
            delivered = io.park(parkNanos, completions);
        }
        long elapsed = System.nanoTime() - start;
        assertThat(delivered).as("completions delivered by park").isOne();
        assertThat(elapsed).as("ns a park of %d ns took with a nop in flight", parkNanos).isLessThan(parkNanos);
    }

    @Test
    void backendNamesItsKindAndWhyItWasChosen() {
        IoBackend backend = io.backend();
        assertThat(backend).isNotNull();
        assertThat(backend.kind()).isNotNull();
        assertThat(backend.reason()).isNotBlank();
    }

    // ---------------------------------------------------------------------------------------
    // closing the Io
    // ---------------------------------------------------------------------------------------

    @Test
    void closeWithOperationsInFlightReturnsAndTheMemoryCanBeFreed() {
        String p = path("busy");
        createFile(p, pattern(64 * 1024, 25));
        int file = open(p, READ_WRITE);
        for (int i = 0; i < 3; i++) {
            submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS));
        }
        for (int i = 0; i < 16; i++) {
            MemorySegment buf = poisoned(4096);
            long at = i * 4096L;
            submit(t -> io.read(t, file, buf, at));
        }
        MemorySegment data = segment(pattern(4096, 26));
        submit(t -> io.write(t, file, data, 0));
        MemorySegment[] vector = {segment(pattern(100, 27)), segment(pattern(200, 28))};
        submit(t -> io.writev(t, file, vector, 8192));
        pollOnce();
        submit(t -> io.timeout(t, TIMEOUT_LONG_NANOS)); // one more, never handed over by a poll
        long start = System.nanoTime();
        io.close();
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).as("ns close took with %d ns timeouts in flight (it must cancel them)",
                TIMEOUT_LONG_NANOS).isLessThan(TIMEOUT_LONG_NANOS / 2);
        Throwable afterClose = catchThrowable(() -> io.nop(nextTag()));
        assertThat(afterClose).as("a submission after close").isInstanceOf(IllegalStateException.class);
        // Every operation is over, so the memory they used can go; a backend still holding a
        // buffer would make a confined arena refuse to close.
        Throwable freeing = catchThrowable(arena::close);
        assertThat(freeing).as("closing the arena the in-flight operations used, after Io.close").isNull();
    }

    @Test
    void aClosedIoRefusesUseWithIllegalState() {
        String p = path("after-close");
        createFile(p, ascii("x"));
        int file = open(p, READ_WRITE);
        MemorySegment buf = poisoned(8);
        MemorySegment[] bufs = {buf};
        io.close();
        Map<String, ThrowingCallable> uses = new java.util.LinkedHashMap<>();
        uses.put("open", () -> io.open(nextTag(), p, READ, 0));
        uses.put("close", () -> io.close(nextTag(), file));
        uses.put("read", () -> io.read(nextTag(), file, buf, 0));
        uses.put("write", () -> io.write(nextTag(), file, buf, 0));
        uses.put("readv", () -> io.readv(nextTag(), file, bufs, 0));
        uses.put("writev", () -> io.writev(nextTag(), file, bufs, 0));
        uses.put("sync", () -> io.sync(nextTag(), file, false));
        uses.put("stat by handle", () -> io.stat(nextTag(), file, new FileStat()));
        uses.put("stat by path", () -> io.stat(nextTag(), p, new FileStat()));
        uses.put("rename", () -> io.rename(nextTag(), p, p + "2", false));
        uses.put("unlink", () -> io.unlink(nextTag(), p));
        uses.put("rmdir", () -> io.rmdir(nextTag(), p));
        uses.put("mkdir", () -> io.mkdir(nextTag(), p + "d", MODE_DIRECTORY));
        uses.put("allocate", () -> io.allocate(nextTag(), file, 0, 10, false));
        uses.put("truncate", () -> io.truncate(nextTag(), file, 0));
        uses.put("nop", () -> io.nop(nextTag()));
        uses.put("timeout", () -> io.timeout(nextTag(), 1));
        uses.put("cancel", () -> io.cancel(nextTag(), 1));
        uses.put("linkNext", io::linkNext);
        uses.put("poll", () -> io.poll(completions));
        uses.put("park", () -> io.park(1, completions));
        uses.forEach((what, use) -> assertThat(catchThrowable(use)).as("%s on a closed Io", what)
                .isInstanceOf(IllegalStateException.class));
    }

    @Test
    void closeIsIdempotent() {
        submit(io::nop);
        io.close();
        io.close();
    }

    // ---------------------------------------------------------------------------------------
    // arguments refused at submission
    // ---------------------------------------------------------------------------------------

    @Test
    void negativeOffsetsAreRefusedNamingTheValue() {
        int file = open(path("args"), READ_WRITE | CREATE);
        MemorySegment buf = poisoned(8);
        MemorySegment[] bufs = {buf};
        assertRefused("read at -1", () -> io.read(nextTag(), file, buf, -1), "-1");
        assertRefused("write at -2", () -> io.write(nextTag(), file, buf, -2), "-2");
        assertRefused("readv at -3", () -> io.readv(nextTag(), file, bufs, -3), "-3");
        assertRefused("writev at -4", () -> io.writev(nextTag(), file, bufs, -4), "-4");
        assertRefused("allocate at -5", () -> io.allocate(nextTag(), file, -5, 10, false), "-5");
        assertRefused("read at Long.MIN_VALUE", () -> io.read(nextTag(), file, buf, Long.MIN_VALUE),
                Long.toString(Long.MIN_VALUE));
        assertErrno(exec(io::nop), 0, "a nop after the refusals");
        close(file);
    }

    @Test
    void negativeLengthsAreRefusedNamingTheValue() {
        int file = open(path("lengths"), READ_WRITE | CREATE);
        assertRefused("truncate to -7", () -> io.truncate(nextTag(), file, -7), "-7");
        assertRefused("allocate of -9 bytes", () -> io.allocate(nextTag(), file, 0, -9, false), "-9");
        close(file);
    }

    @Test
    void negativeTimeoutIsRefusedNamingTheValue() {
        assertRefused("timeout of -1 ns", () -> io.timeout(nextTag(), -1), "-1");
    }

    @Test
    void heapSegmentsAreRefused() {
        int file = open(path("heap"), READ_WRITE | CREATE);
        MemorySegment heap = MemorySegment.ofArray(new byte[16]);
        MemorySegment[] mixed = {poisoned(16), heap};
        assertRefused("read into heap memory", () -> io.read(nextTag(), file, heap, 0));
        assertRefused("write from heap memory", () -> io.write(nextTag(), file, heap, 0));
        assertRefused("readv with a heap segment", () -> io.readv(nextTag(), file, mixed, 0));
        assertRefused("writev with a heap segment", () -> io.writev(nextTag(), file, mixed, 0));
        close(file);
    }

    @Test
    void nullArgumentsAreRefusedNamingThem() {
        int file = open(path("nulls"), READ_WRITE | CREATE);
        assertRefused("read into null", () -> io.read(nextTag(), file, null, 0), "buf");
        assertRefused("writev of a null array", () -> io.writev(nextTag(), file, null, 0), "bufs");
        assertRefused("writev with a null buffer", () -> io.writev(nextTag(), file, new MemorySegment[] {null}, 0),
                "bufs[0]");
        assertRefused("open of a null path", () -> io.open(nextTag(), null, READ, 0), "path");
        assertRefused("stat of a handle into null", () -> io.stat(nextTag(), file, null), "out");
        assertRefused("stat of a path into null", () -> io.stat(nextTag(), path("nulls"), null), "out");
        assertRefused("poll with a null handler", () -> io.poll(null), "handler");
        assertRefused("park with a null handler", () -> io.park(0, null), "handler");
        close(file);
    }

    @Test
    void readOnlySegmentsAreRefusedForReadsAndAcceptedForWrites() {
        String p = path("read-only-seg");
        int file = open(p, READ_WRITE | CREATE);
        MemorySegment readOnly = segment("ro").asReadOnly();
        MemorySegment[] mixed = {poisoned(16), readOnly};
        assertRefused("read into a read-only segment", () -> io.read(nextTag(), file, readOnly, 0));
        assertRefused("readv with a read-only segment", () -> io.readv(nextTag(), file, mixed, 0));
        assertThat(exec(t -> io.write(t, file, readOnly, 0))).as("write from a read-only segment").isEqualTo(2);
        close(file);
        assertBytes(contentOf(p), ascii("ro"), "content written from a read-only segment");
    }

    @Test
    void closedSegmentsAreRefused() {
        int file = open(path("closed-seg"), READ_WRITE | CREATE);
        MemorySegment closed;
        try (Arena gone = Arena.ofConfined()) {
            closed = gone.allocate(16);
        }
        MemorySegment[] mixed = {poisoned(16), closed};
        assertRefused("read into a closed segment", () -> io.read(nextTag(), file, closed, 0));
        assertRefused("write from a closed segment", () -> io.write(nextTag(), file, closed, 0));
        assertRefused("readv with a closed segment", () -> io.readv(nextTag(), file, mixed, 0));
        assertRefused("writev with a closed segment", () -> io.writev(nextTag(), file, mixed, 0));
        close(file);
    }

    @ParameterizedTest(name = "flags={0}")
    @ValueSource(ints = {0, 1 << 20, -1, DIRECTORY | WRITE, DIRECTORY | READ_WRITE, READ | CREATE, READ | CREATE_NEW,
            READ | TRUNCATE, READ | APPEND, DIRECT, DSYNC})
    void badOpenFlagsAreRefusedNamingThem(int flags) {
        String p = path("flags");
        assertRefusedNamingAnyOf("open with flags=0x" + Integer.toHexString(flags),
                () -> io.open(nextTag(), p, flags, MODE_FILE), "0x" + Integer.toHexString(flags),
                Integer.toString(flags));
    }

    /** Every operation that takes paths, with the path given for each of them. */
    private Map<String, ThrowingCallable> pathOperations(String bad) {
        String good = path("good");
        Map<String, ThrowingCallable> uses = new java.util.LinkedHashMap<>();
        uses.put("open", () -> io.open(nextTag(), bad, READ, 0));
        uses.put("stat", () -> io.stat(nextTag(), bad, new FileStat()));
        uses.put("rename from", () -> io.rename(nextTag(), bad, good, false));
        uses.put("rename to", () -> io.rename(nextTag(), good, bad, true));
        uses.put("unlink", () -> io.unlink(nextTag(), bad));
        uses.put("rmdir", () -> io.rmdir(nextTag(), bad));
        uses.put("mkdir", () -> io.mkdir(nextTag(), bad, MODE_DIRECTORY));
        return uses;
    }

    @Test
    void pathsWithNulAreRefused() {
        // Concatenated: java.nio.file itself refuses a NUL.
        String bad = dir + "/nul\0here";
        pathOperations(bad).forEach((what, use) -> assertRefused(what + " of a path with NUL", use));
    }

    @Test
    void pathsLongerThanPathBytesMaxAreRefusedNamingTheLength() {
        String ascii = "/" + "a".repeat(Io.PATH_BYTES_MAX);
        // Two bytes per character in UTF-8: short in chars, too long in bytes.
        String accented = "/" + "\u00e9".repeat(Io.PATH_BYTES_MAX / 2 + 1);
        for (String bad : List.of(ascii, accented)) {
            int bytes = bad.getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes).isGreaterThan(Io.PATH_BYTES_MAX);
            pathOperations(bad).forEach((what, use) -> assertRefusedNamingAnyOf(
                    what + " of a path of " + bad.length() + " chars, " + bytes + " bytes", use,
                    Integer.toString(bytes), bad));
        }
    }

    @Test
    void pathOfExactlyPathBytesMaxIsAccepted() {
        String longest = "/" + "a".repeat(Io.PATH_BYTES_MAX - 1);
        assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(Io.PATH_BYTES_MAX);
        // Accepted, then failed by the file system: no name component may pass NAME_MAX (255).
        int result = exec(t -> io.open(t, longest, READ, 0));
        assertThat(result).as("open of a %d-byte path with a %d-byte name: %s", Io.PATH_BYTES_MAX,
                Io.PATH_BYTES_MAX - 1, describe(result)).isNegative();
    }

    @Test
    void vectorsOfNoOrTooManyBuffersAreRefused() {
        int file = open(path("vectors"), READ_WRITE | CREATE);
        MemorySegment[] none = {};
        MemorySegment[] tooMany = new MemorySegment[Io.VECTOR_MAX + 1];
        Arrays.fill(tooMany, poisoned(1));
        assertRefused("readv of no buffers", () -> io.readv(nextTag(), file, none, 0), "0");
        assertRefused("writev of no buffers", () -> io.writev(nextTag(), file, none, 0), "0");
        String count = Integer.toString(Io.VECTOR_MAX + 1);
        assertRefused("readv of " + count + " buffers", () -> io.readv(nextTag(), file, tooMany, 0), count);
        assertRefused("writev of " + count + " buffers", () -> io.writev(nextTag(), file, tooMany, 0), count);
        close(file);
    }
}
