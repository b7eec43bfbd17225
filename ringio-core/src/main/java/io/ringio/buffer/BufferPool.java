package io.ringio.buffer;

import io.ringio.io.uring.UringIo;
import io.ringio.ring.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Block-aligned native buffers for I/O, in size classes from 4 KiB to 1 MiB (doubling), carved
 * from one long-lived arena and, where the locked-memory limit allows, registered with io_uring
 * as fixed buffers, so that reads and writes into them skip the kernel's per-operation page
 * pinning. Acquire and release are lock-free and may be called from any thread.
 *
 * <p>A request is served from the smallest class that holds it. When that class is exhausted,
 * the class grows by a spill slab (at least {@link #SPILL_SLAB_BYTES}, never registered) from an
 * arena of its own, kept until the pool closes, up to {@link #SPILL_BYTES_MAX} in all; its
 * buffers then circulate like the others. Past that limit, or for a request larger than
 * {@link #CLASS_MAX_BYTES}, the buffer is allocated on its own, in a shared arena whose close
 * waits on every thread (milliseconds). Every acquire served outside the first slabs counts in
 * {@link Stats#unpooled()}: a pool that is too small shows in the stats instead of failing.
 *
 * <p>Ownership: a buffer belongs to the caller from acquire until release, and must be released
 * exactly once, as the same segment that acquire returned. {@link #close()} frees the memory;
 * it refuses while buffers are still out.
 */
public final class BufferPool implements AutoCloseable {
    /** Alignment of every buffer, and the smallest class: the page and the common logical block. */
    public static final int BLOCK_BYTES = 4096;
    public static final int CLASS_MIN_BYTES = BLOCK_BYTES;
    public static final int CLASS_MAX_BYTES = 1 << 20;
    /** Bytes each class holds by default: 1 MiB, so 9 MiB in all, near a non-root user's 8 MiB memlock limit. */
    public static final long CLASS_BYTES_DEFAULT = 1L << 20;
    static final int CLASSES = Integer.numberOfTrailingZeros(CLASS_MAX_BYTES / CLASS_MIN_BYTES) + 1;
    /** Bytes a class grows by when it is exhausted (at least one buffer). */
    public static final long SPILL_SLAB_BYTES = 256L << 10;
    /** Most bytes of spill slabs in all, past which an exhausted class allocates each buffer on its own. */
    public static final long SPILL_BYTES_MAX = 1L << 30;

    private final Arena arena;
    private final SizeClass[] classes;
    /** Bytes of the classes' own slabs, fixed at creation. */
    private final long classesBytes;
    private final Map<Long, Arena> unpooled = new ConcurrentHashMap<>();
    /** Spill slabs by base address, for release; their arenas close with the pool. */
    private final ConcurrentSkipListMap<Long, SizeClass> spills = new ConcurrentSkipListMap<>();
    /** Per class, the spill slabs made so far, newest first; replaced whole under {@link #spillLock}. */
    private final SizeClass[][] spillsByClass = new SizeClass[CLASSES][0];
    private final List<Arena> spillArenas = new ArrayList<>();
    private final Object spillLock = new Object();
    private long spillBytes;
    private final LongAdder acquired = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder unpooledAcquired = new LongAdder();
    /**
     * How many size classes have their first slab registered (the smallest of those the kernel
     * can take, {@link #registrable}); 0 for none.
     */
    private volatile int registeredClasses;
    private volatile boolean closed;

    /**
     * What the pool has done so far, for monitoring.
     *
     * @param acquired      buffers handed out, pooled or not
     * @param released      buffers given back
     * @param unpooled      buffers allocated on their own because their class was exhausted or too small
     * @param inUse         buffers handed out and not yet given back
     * @param pooledBytes   bytes the size classes hold in all, spill slabs included
     * @param spillBytes    bytes of spill slabs the classes grew by
     * @param registered    whether the first slabs are registered with io_uring as fixed buffers
     *                      (of some classes at least)
     * @param registeredClasses how many size classes have their first slab registered: every
     *                      class whose slab the kernel takes as one buffer (at most 1 GiB) where
     *                      the locked-memory limit allows, else the smallest of them
     */
    public record Stats(long acquired, long released, long unpooled, long inUse, long pooledBytes, long spillBytes,
                        boolean registered, int registeredClasses) {}

    private BufferPool(long classBytes) {
        this.arena = Arena.ofShared();
        this.classes = new SizeClass[CLASSES];
        long bytes = 0;
        try {
            for (int c = 0; c < CLASSES; c++) {
                classes[c] = slab(arena, c, classBytes);
                bytes += classes[c].memory.byteSize();
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.classesBytes = bytes;
    }

    /** Buffers of class {@code c} in one block-aligned allocation from {@code arena}: as many as fit in {@code bytes}, at least one. */
    private static SizeClass slab(Arena arena, int c, long bytes) {
        int size = CLASS_MIN_BYTES << c;
        long slabBytes = slabBytes(c, bytes);
        return new SizeClass(arena.allocate(slabBytes, BLOCK_BYTES), size, (int) (slabBytes / size));
    }

    /** Bytes of the slab {@link #slab} makes for class {@code c} from {@code bytes}: whole buffers, at least one. */
    static long slabBytes(int c, long bytes) {
        int size = CLASS_MIN_BYTES << c;
        return (long) size * Math.max(1, bytes / size);
    }

    /** A pool whose every size class holds {@code classBytes} (at least one buffer of the class). */
    public static BufferPool create(long classBytes) {
        if (classBytes < CLASS_MIN_BYTES || classBytes > (1L << 34)) {
            throw new IllegalArgumentException("classBytes=" + classBytes + " must be in [" + CLASS_MIN_BYTES + ", 2^34]");
        }
        return new BufferPool(classBytes);
    }

    /** A pool of {@link #CLASS_BYTES_DEFAULT} per class. */
    public static BufferPool create() {
        return create(CLASS_BYTES_DEFAULT);
    }

    /**
     * Registers the size classes with {@code io} as fixed buffers (replacing what it had
     * registered): all of them, or, when the kernel refuses (usually for the locked-memory limit,
     * {@code ulimit -l}), as many of the smallest as it takes; a class whose slab is larger than
     * the kernel takes (1 GiB) is left out, and the classes after it are not. Returns whether any
     * was registered; the pool works the same either way, buffers of the classes left out only
     * without the fixed-buffer fast path. {@link Stats#registeredClasses()} says how many are.
     */
    public boolean register(UringIo io) {
        checkOpen();
        long[] slabBytes = new long[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            slabBytes[c] = classes[c].memory.byteSize();
        }
        int[] fit = registrable(slabBytes);
        // Classes go from the smallest up: the ones left out when the limit is short are the largest.
        // The kernel's buffer indexes are positions in what is registered, not class numbers:
        // UringIo finds a buffer's index by its address.
        for (int n = fit.length; n > 0; n--) {
            MemorySegment[] slabs = new MemorySegment[n];
            for (int i = 0; i < n; i++) {
                slabs[i] = classes[fit[i]].memory;
            }
            if (io.registerBuffers(slabs)) {
                registeredClasses = n;
                return true;
            }
        }
        registeredClasses = 0;
        return false;
    }

    /**
     * The classes, from the smallest up, whose slab of {@code slabBytes[c]} bytes the kernel can
     * register as one buffer. A class past the limit is skipped, and the search goes on: a slab
     * is whole buffers of its class, rounded down from the pool's bytes per class, so the sizes
     * need not grow with the class (with 1 GiB + 4 KiB per class, only the smallest class's is
     * over the limit).
     */
    static int[] registrable(long[] slabBytes) {
        int[] fit = new int[slabBytes.length];
        int n = 0;
        for (int c = 0; c < slabBytes.length; c++) {
            if (slabBytes[c] <= Ring.REGISTERED_BUFFER_BYTES_MAX) {
                fit[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(fit, n);
    }

    /**
     * A 4 KiB-aligned native buffer of exactly {@code bytes}, its contents undefined.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive
     * @throws IllegalStateException    when the pool is closed
     */
    public MemorySegment acquire(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes=" + bytes + " must be > 0");
        }
        checkOpen();
        acquired.increment();
        if (bytes <= CLASS_MAX_BYTES) {
            int c = classOf((int) bytes);
            int index = classes[c].take();
            if (index >= 0) {
                return classes[c].buffer(index).asSlice(0, bytes);
            }
            MemorySegment spilled = acquireSpilled(c, bytes);
            if (spilled != null) {
                return spilled;
            }
        }
        return acquireUnpooled(bytes);
    }

    /** A buffer of class {@code c} from its spill slabs, growing them if they are all taken; null past the limit. */
    private MemorySegment acquireSpilled(int c, long bytes) {
        unpooledAcquired.increment();
        while (true) {
            SizeClass[] slabs = spillsByClass[c];
            for (SizeClass slab : slabs) {
                int index = slab.take();
                if (index >= 0) {
                    return slab.buffer(index).asSlice(0, bytes);
                }
            }
            synchronized (spillLock) {
                if (spillsByClass[c] != slabs) {
                    continue; // another thread grew the class meanwhile: look there first
                }
                // What slab() takes: classes are powers of two, so a slab is exactly this, or one buffer.
                long slabBytes = Math.max(CLASS_MIN_BYTES << c, SPILL_SLAB_BYTES);
                if (closed || spillBytes + slabBytes > SPILL_BYTES_MAX) {
                    unpooledAcquired.decrement();
                    return null;
                }
                Arena slabArena = Arena.ofShared();
                SizeClass slab = slab(slabArena, c, SPILL_SLAB_BYTES);
                assert slab.memory.byteSize() == slabBytes : "spill slab of " + slab.memory.byteSize() + " bytes, counted as " + slabBytes;
                spillArenas.add(slabArena);
                spillBytes += slabBytes;
                spills.put(slab.memory.address(), slab);
                SizeClass[] grown = new SizeClass[slabs.length + 1];
                grown[0] = slab;
                System.arraycopy(slabs, 0, grown, 1, slabs.length);
                spillsByClass[c] = grown;
            }
        }
    }

    private MemorySegment acquireUnpooled(long bytes) {
        unpooledAcquired.increment();
        Arena own = Arena.ofShared();
        MemorySegment buf = own.allocate(bytes, BLOCK_BYTES);
        unpooled.put(buf.address(), own);
        return buf;
    }

    /**
     * Gives a buffer back. It must be a segment {@link #acquire} returned and not yet released;
     * anything else is an {@link IllegalArgumentException}, and the pool is left as it was.
     */
    public void release(MemorySegment buf) {
        if (buf == null) {
            throw new IllegalArgumentException("buf=null");
        }
        long address = buf.address();
        for (SizeClass sizeClass : classes) {
            int index = sizeClass.indexOf(address);
            if (index >= 0) {
                sizeClass.give(index, buf);
                released.increment();
                return;
            }
        }
        Map.Entry<Long, SizeClass> spill = spills.floorEntry(address);
        if (spill != null) {
            int index = spill.getValue().indexOf(address);
            if (index >= 0) {
                spill.getValue().give(index, buf);
                released.increment();
                return;
            }
        }
        Arena own = unpooled.remove(address);
        if (own == null) {
            throw new IllegalArgumentException("buf=" + buf + " did not come from this pool, or was released already");
        }
        own.close();
        released.increment();
    }

    /** Index of the smallest class holding {@code bytes}, which is at most {@link #CLASS_MAX_BYTES}. */
    static int classOf(int bytes) {
        int blocks = (bytes + CLASS_MIN_BYTES - 1) / CLASS_MIN_BYTES;
        return 32 - Integer.numberOfLeadingZeros(blocks - 1);
    }

    public Stats stats() {
        long spilled;
        synchronized (spillLock) {
            spilled = spillBytes;
        }
        long a = acquired.sum();
        long r = released.sum();
        int registeredNow = registeredClasses;
        return new Stats(a, r, unpooledAcquired.sum(), a - r, classesBytes + spilled, spilled, registeredNow > 0, registeredNow);
    }

    /**
     * Frees the pool's memory. Buffers still out would be freed under their holders, so this
     * refuses with {@link IllegalStateException} while any are. Idempotent once it has succeeded.
     * Close the {@code UringIo} the pool was registered with first, or register something else:
     * the kernel holds the registration until then.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        long out = acquired.sum() - released.sum();
        if (out != 0) {
            throw new IllegalStateException(out + " buffers are still acquired; release them before close");
        }
        synchronized (spillLock) {
            closed = true;
            for (Arena a : spillArenas) {
                a.close();
            }
            spillArenas.clear();
        }
        arena.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this BufferPool is closed");
        }
    }
}
