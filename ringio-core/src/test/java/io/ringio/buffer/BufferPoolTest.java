package io.ringio.buffer;

import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.io.uring.UringIo;
import io.ringio.ring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BufferPoolTest {
    @Test
    void aRequestIsServedFromTheSmallestClassThatHoldsIt() {
        assertThat(BufferPool.classOf(1)).isZero();
        assertThat(BufferPool.classOf(4096)).isZero();
        assertThat(BufferPool.classOf(4097)).isOne();
        assertThat(BufferPool.classOf(8192)).isOne();
        assertThat(BufferPool.classOf(8193)).isEqualTo(2);
        assertThat(BufferPool.classOf(1 << 20)).isEqualTo(BufferPool.CLASSES - 1);
    }

    @Test
    void buffersAreBlockAlignedAndExactlyAsLongAsAsked() {
        try (BufferPool pool = BufferPool.create(64 * 1024)) {
            for (long bytes : new long[] {1, 100, 4096, 5000, 65_536, 1 << 20, (1 << 20) + 1}) {
                MemorySegment buf = pool.acquire(bytes);
                assertThat(buf.byteSize()).as("size of a buffer of %d bytes", bytes).isEqualTo(bytes);
                assertThat(buf.address() % BufferPool.BLOCK_BYTES).as("alignment of a buffer of %d bytes", bytes).isZero();
                buf.fill((byte) 1); // all of it is usable
                pool.release(buf);
            }
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    @Test
    void anExhaustedClassFallsBackToUnpooledBuffersAndCountsThem() {
        try (BufferPool pool = BufferPool.create(2 * 4096)) { // two 4 KiB buffers
            MemorySegment a = pool.acquire(4096);
            MemorySegment b = pool.acquire(4096);
            MemorySegment c = pool.acquire(4096);
            assertThat(List.of(a.address(), b.address(), c.address())).doesNotHaveDuplicates();
            assertThat(pool.stats().unpooled()).as("unpooled after three of a class of two").isOne();
            assertThat(pool.stats().inUse()).isEqualTo(3);
            pool.release(c);
            pool.release(b);
            pool.release(a);
            MemorySegment again = pool.acquire(100);
            assertThat(pool.stats().unpooled()).as("a freed pooled buffer is used again").isOne();
            pool.release(again);
        }
    }

    @Test
    void anExhaustedClassGrowsBySpillSlabsWhoseBuffersCirculate() {
        try (BufferPool pool = BufferPool.create(2 * 4096)) {
            int perSlab = (int) (BufferPool.SPILL_SLAB_BYTES / 4096);
            List<MemorySegment> out = new java.util.ArrayList<>();
            for (int i = 0; i < 2 + perSlab + 1; i++) {
                out.add(pool.acquire(4096));
            }
            assertThat(out.stream().map(MemorySegment::address).toList()).doesNotHaveDuplicates();
            assertThat(pool.stats().spillBytes()).as("two spill slabs").isEqualTo(2 * BufferPool.SPILL_SLAB_BYTES);
            assertThat(pool.stats().unpooled()).isEqualTo(perSlab + 1);
            MemorySegment spilled = out.remove(out.size() - 1);
            pool.release(spilled);
            assertThatThrownBy(() -> pool.release(spilled)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("released already");
            MemorySegment again = pool.acquire(4096);
            assertThat(again.address()).as("the spilled buffer is used again").isEqualTo(spilled.address());
            assertThat(pool.stats().spillBytes()).as("no third slab").isEqualTo(2 * BufferPool.SPILL_SLAB_BYTES);
            pool.release(again);
            out.forEach(pool::release);
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    @Test
    void releasingTwiceOrReleasingAForeignSegmentIsRefused() {
        try (BufferPool pool = BufferPool.create(64 * 1024);
             var other = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment buf = pool.acquire(4096);
            pool.release(buf);
            assertThatThrownBy(() -> pool.release(buf)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("released already");
            MemorySegment big = pool.acquire(2 << 20);
            pool.release(big);
            assertThatThrownBy(() -> pool.release(big)).isInstanceOf(IllegalArgumentException.class);
            MemorySegment foreign = other.allocate(4096, 4096);
            assertThatThrownBy(() -> pool.release(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("did not come from this pool");
            MemorySegment inside = pool.acquire(8192);
            assertThatThrownBy(() -> pool.release(inside.asSlice(4096))).as("a slice that starts inside a buffer")
                    .isInstanceOf(IllegalArgumentException.class);
            pool.release(inside);
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    @Test
    void badRequestsAndUseAfterCloseAreRefused() {
        BufferPool pool = BufferPool.create(64 * 1024);
        assertThatThrownBy(() -> pool.acquire(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes=0");
        assertThatThrownBy(() -> BufferPool.create(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classBytes=100");
        MemorySegment out = pool.acquire(10);
        assertThatThrownBy(pool::close).as("close with a buffer out").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 buffers");
        pool.release(out);
        pool.close();
        pool.close();
        assertThatThrownBy(() -> pool.acquire(10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyVirtualThreadsNeverHoldTheSameBuffer() throws Exception {
        int threads = 64;
        int rounds = 1_000;
        AtomicInteger corrupted = new AtomicInteger();
        try (BufferPool pool = BufferPool.create(56 * 4096); // fewer buffers than threads: a few go unpooled
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long mark = 0x0101_0101_0101_0101L * (t + 1);
                done.add(executor.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        MemorySegment buf = pool.acquire(4096);
                        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, mark);
                        Thread.yield();
                        if (buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != mark) {
                            corrupted.incrementAndGet(); // another holder wrote into it
                        }
                        pool.release(buf);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(corrupted.get()).as("buffers written by two holders at once").isZero();
            BufferPool.Stats stats = pool.stats();
            assertThat(stats.acquired()).isEqualTo((long) threads * rounds);
            assertThat(stats.inUse()).isZero();
        }
    }

    @Test
    void registeredBuffersCarryIoThroughUringIo(@TempDir Path dir) throws Exception {
        assumeTrue(Ring.isAvailable(), "io_uring is not usable here");
        Path file = dir.resolve("data");
        byte[] content = new byte[8192];
        new java.util.Random(1).nextBytes(content);
        Files.write(file, content);
        try (BufferPool pool = BufferPool.create(64 * 1024)) {
            MemorySegment buf = pool.acquire(8192);
            try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(8), "BufferPoolTest")) {
                boolean registered = pool.register(io);
                assertThat(pool.stats().registered()).isEqualTo(registered);
                if (registered) {
                    assertThat(io.registeredBuffers()).isEqualTo(BufferPool.CLASSES);
                }
                int[] result = {Integer.MIN_VALUE, Integer.MIN_VALUE};
                io.open(1, file.toString(), OpenFlags.READ, 0);
                while (result[0] == Integer.MIN_VALUE) {
                    io.park(1_000_000_000L, (tag, r) -> result[0] = r);
                }
                assertThat(result[0]).as("open").isNotNegative();
                io.read(2, result[0], buf, 0);
                while (result[1] == Integer.MIN_VALUE) {
                    io.park(1_000_000_000L, (tag, r) -> result[1] = r);
                }
                assertThat(result[1]).as("read into a pool buffer").isEqualTo(8192);
                assertThat(buf.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(content);
            }
            pool.release(buf);
        }
    }

    /**
     * A class whose slab is larger than io_uring registers as one buffer (1 GiB) is left out of
     * the registration, and the classes after it still go in. With 1 GiB and one block per class,
     * the smallest class's slab is the only one past 1 GiB: every other class rounds down to
     * whole buffers of its size, 1 GiB. Sizes only, worked out as the pool would: a pool this
     * large has no place in a unit test.
     */
    @Test
    void aClassTooLargeToRegisterIsSkippedAndTheClassesAfterItAreRegistered() {
        long classBytes = Ring.REGISTERED_BUFFER_BYTES_MAX + BufferPool.BLOCK_BYTES;
        long[] slabBytes = new long[BufferPool.CLASSES];
        for (int c = 0; c < BufferPool.CLASSES; c++) {
            slabBytes[c] = BufferPool.slabBytes(c, classBytes);
        }
        assertThat(slabBytes[0]).isGreaterThan(Ring.REGISTERED_BUFFER_BYTES_MAX);
        assertThat(BufferPool.registrable(slabBytes)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        assertThat(BufferPool.registrable(new long[] {4096, Ring.REGISTERED_BUFFER_BYTES_MAX + 8192, 8192}))
                .as("sizes that do not shrink from the smallest class up").containsExactly(0, 2);
        assertThat(BufferPool.registrable(new long[] {4096, 8192})).containsExactly(0, 1);
        assertThat(BufferPool.registrable(new long[] {Ring.REGISTERED_BUFFER_BYTES_MAX + 4096})).isEmpty();
    }
}
