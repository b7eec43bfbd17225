package io.ringio.io.channel;

import io.ringio.io.OpenFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A test with a fresh ChannelIo, a confined arena and a temporary directory per test method. The
 * handler records every completion and fails on a second one for the same tag.
 */
abstract class ChannelIoTestCase {
    /** Longest a test waits for one completion. */
    static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;
    ChannelIo io;
    Arena arena;
    final Map<Long, Integer> results = new HashMap<>();
    private long nextTag = 1_000_000;

    int capacity() {
        return 64;
    }

    int workers() {
        return 2;
    }

    @BeforeEach
    void openIoAndArena() {
        io = ChannelIo.open(capacity(), workers(), "test");
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeIoAndArena() {
        // The Io first: close waits for the workers to finish with memory from the arena.
        io.close();
        arena.close();
    }

    void record(long tag, int result) {
        Integer before = results.put(tag, result);
        if (before != null) {
            fail("tag " + tag + " completed twice: " + before + ", then " + result);
        }
    }

    /** Parks until {@code tag} has completed; returns and forgets its result. */
    int await(long tag) {
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (!results.containsKey(tag)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("tag " + tag + " did not complete within " + AWAIT_NANOS / 1_000_000 + " ms");
            }
            io.park(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), this::record);
        }
        return results.remove(tag);
    }

    long tag() {
        return nextTag++;
    }

    /** Reserves {@code count} consecutive tags; returns the first. */
    long tags(int count) {
        long first = nextTag;
        nextTag += count;
        return first;
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    /** Opens {@code name} in the temporary directory and returns its handle; fails the test otherwise. */
    int open(String name, int flags) {
        long tag = tag();
        assertThat(io.open(tag, path(name), flags, 0644)).isTrue();
        int handle = await(tag);
        assertThat(handle).as("open %s", name).isGreaterThanOrEqualTo(0);
        return handle;
    }

    int openNew(String name) {
        return open(name, OpenFlags.READ_WRITE | OpenFlags.CREATE);
    }

    int write(int file, String text, long offset) {
        long tag = tag();
        assertThat(io.write(tag, file, utf8(text), offset)).isTrue();
        return await(tag);
    }

    int read(int file, MemorySegment buf, long offset) {
        long tag = tag();
        assertThat(io.read(tag, file, buf, offset)).isTrue();
        return await(tag);
    }

    int close(int file) {
        long tag = tag();
        assertThat(io.close(tag, file)).isTrue();
        return await(tag);
    }

    MemorySegment utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    static String text(MemorySegment segment, long length) {
        return new String(segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
