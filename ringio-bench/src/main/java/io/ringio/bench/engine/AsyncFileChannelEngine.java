package io.ringio.bench.engine;

import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AsynchronousFileChannel with the spec's depth of operations in flight, each completion handler
 * starting the next. On Linux the JDK runs each operation as a blocking call on a thread of its
 * default pool, so this is FileChannel on a pool behind a callback API.
 */
public final class AsyncFileChannelEngine implements Engine {
    @Override
    public String id() {
        return "async-filechannel";
    }

    @Override
    public String title(BenchSpec spec) {
        return "AsynchronousFileChannel, " + spec.depth() + " in flight";
    }

    @Override
    public int threads(BenchSpec spec) {
        return spec.depth();
    }

    @Override
    public int depth(BenchSpec spec) {
        return spec.depth();
    }

    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws Exception {
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(spec.path(), Set.of(OpenFlags.of(spec)),
                null)) {
            Chains chains = new Chains(channel, spec, window);
            Measured.Clocks start = Measured.Clocks.read();
            chains.start(start.nanos() + nanos);
            chains.done.get();
            Measured.Clocks end = Measured.Clocks.read();
            Histogram all = Measured.histogram();
            long ops = 0;
            for (int i = 0; i < spec.depth(); i++) {
                all.add(chains.latencies[i]);
                ops += chains.ops[i];
            }
            return Measured.sample(ops, start, end, all);
        }
    }

    /**
     * Chain {@code i} owns {@code latencies[i]} and {@code ops[i]}: its operations run one after
     * another, each handler on a pool thread that the channel's completion orders after the last.
     */
    private static final class Chains {
        private final AsynchronousFileChannel channel;
        /** From the spec once, so that no operation looks the workload up inside the window. */
        private final boolean write;
        private final boolean syncEach;
        private final Histogram[] latencies;
        private final long[] ops;
        private final ByteBuffer[] buffers;
        private final Positions[] positions;
        private final AtomicInteger active;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long deadline;

        Chains(AsynchronousFileChannel channel, BenchSpec spec, int window) {
            this.channel = channel;
            this.write = spec.kind().write();
            this.syncEach = spec.kind().syncEach();
            int depth = spec.depth();
            latencies = new Histogram[depth];
            ops = new long[depth];
            buffers = new ByteBuffer[depth];
            positions = new Positions[depth];
            active = new AtomicInteger(depth);
            AtomicLong cursor = Positions.cursor(spec, window);
            for (int i = 0; i < depth; i++) {
                latencies[i] = Measured.histogram();
                buffers[i] = Measured.alignedBuffer(spec.blockBytes());
                if (write) {
                    Measured.fillForWrites(MemorySegment.ofBuffer(buffers[i]), i);
                }
                positions[i] = Positions.of(spec, window, i, cursor);
            }
        }

        void start(long deadline) {
            this.deadline = deadline;
            for (int i = 0; i < buffers.length; i++) {
                next(i);
            }
        }

        private void next(int chain) {
            long start = System.nanoTime();
            if (start - deadline >= 0 || done.isDone()) {
                if (active.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            buffers[chain].clear();
            transfer(chain, positions[chain].next(), start);
        }

        /** Reads or writes the rest of the chain's buffer at {@code position}, then ends the operation. */
        private void transfer(int chain, long position, long start) {
            ByteBuffer buffer = buffers[chain];
            CompletionHandler<Integer, Void> handler = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, Void attachment) {
                    if (n < 0) {
                        failed(new IllegalStateException("end of file at " + position), null);
                    } else if (buffer.hasRemaining()) {
                        transfer(chain, position, start);
                    } else {
                        finish(chain, start);
                    }
                }

                @Override
                public void failed(Throwable failure, Void attachment) {
                    done.completeExceptionally(failure);
                }
            };
            long at = position + buffer.position();
            if (write) {
                channel.write(buffer, at, null, handler);
            } else {
                channel.read(buffer, at, null, handler);
            }
        }

        private void finish(int chain, long start) {
            if (syncEach) {
                try {
                    channel.force(false);
                } catch (Exception e) {
                    done.completeExceptionally(e);
                    return;
                }
            }
            latencies[chain].recordValue(System.nanoTime() - start);
            ops[chain]++;
            next(chain);
        }
    }
}
