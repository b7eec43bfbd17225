package io.ringio.buffer;

import io.ringio.file.RingFile;
import io.ringio.loop.EventLoop;
import io.ringio.loop.EventLoopOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** A loop under the memlock limit its parent set: heap and pooled transfers, and the pool's stats. */
public final class MemlockLoopChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EventLoopOptions opts = EventLoopOptions.defaults();
        if (args.length > 1) {
            opts = opts.withBufferClassBytes(Long.parseLong(args[1]));
        }
        try (EventLoop loop = EventLoop.start(opts)) {
            System.out.println("started=true");
            System.out.println("statsBefore=" + loop.buffers().stats());
            try (RingFile f = RingFile.openBlocking(loop, dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                byte[] data = new byte[300_000];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 31);
                }
                f.blocking().writeFully(data, 0, data.length, 0);
                byte[] back = new byte[data.length];
                f.blocking().readFully(back, 0, back.length, 0);
                System.out.println("heapOk=" + Arrays.equals(data, back));
                MemorySegment pooled = loop.buffers().acquire(8192);
                try {
                    pooled.fill((byte) 7);
                    f.blocking().writeFully(pooled, 4096);
                    MemorySegment in = loop.buffers().acquire(8192);
                    f.blocking().readFully(in, 4096);
                    System.out.println("pooledOk=" + (in.mismatch(pooled) == -1));
                    loop.buffers().release(in);
                } finally {
                    loop.buffers().release(pooled);
                }
            }
            System.out.println("statsAfter=" + loop.buffers().stats());
        }
        System.out.println("done=true");
    }
}
