package io.ringio.bench.engine;

import io.ringio.file.BlockingRingFile;
import io.ringio.file.RingFile;
import io.ringio.loop.EventLoop;

import java.lang.foreign.MemorySegment;

/** RingFile's blocking calls on the spec's threads as virtual threads, all on one loop. */
public final class RingioBlockingEngine implements Engine {
    @Override
    public String id() {
        return "ringio-blocking";
    }

    @Override
    public String title(BenchSpec spec) {
        return "ringio blocking, " + spec.threads() + (spec.threads() == 1 ? " virtual thread" : " virtual threads");
    }

    @Override
    public int threads(BenchSpec spec) {
        return spec.threads();
    }

    @Override
    public int depth(BenchSpec spec) {
        return spec.threads();
    }

    @Override
    public Sample run(BenchSpec spec, int window, long nanos) throws Exception {
        boolean write = spec.kind().write();
        boolean sync = spec.kind().syncEach();
        try (EventLoop loop = EventLoop.start(RingioFuturesEngine.loopOptions());
             RingFile file = RingFile.openBlocking(loop, spec.path(), OpenFlags.of(spec))) {
            BlockingRingFile blocking = file.blocking();
            return Measured.onThreads(spec, window, nanos, spec.threads(), Thread.ofVirtual().factory(), id -> {
                MemorySegment buffer = loop.buffers().acquire(spec.blockBytes());
                if (write) {
                    Measured.fillForWrites(buffer, id);
                }
                return new Measured.Op() {
                    @Override
                    public void run(long position) throws Exception {
                        if (write) {
                            blocking.writeFully(buffer, position);
                            if (sync) {
                                blocking.datasync();
                            }
                        } else {
                            blocking.readFully(buffer, position);
                        }
                    }

                    @Override
                    public void close() {
                        loop.buffers().release(buffer);
                    }
                };
            });
        }
    }
}
