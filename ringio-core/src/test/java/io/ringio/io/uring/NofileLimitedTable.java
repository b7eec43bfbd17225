package io.ringio.io.uring;

import io.ringio.io.IoOptions;
import io.ringio.io.OpenFlags;
import io.ringio.sys.Syscalls;

import java.util.HashMap;
import java.util.Map;

/**
 * Run by {@link UringIoNofileTest} in a child JVM under a low open-files limit: opens a UringIo
 * with registered files, opens {@code args[0]} through it, and prints what the table came to
 * ({@code limit=}, {@code table=}, {@code open=}, {@code registered=}).
 */
public final class NofileLimitedTable {
    private NofileLimitedTable() {}

    public static void main(String[] args) {
        System.out.println("limit=" + Syscalls.softLimit(Syscalls.RLIMIT_NOFILE));
        System.out.println("size=" + UringIo.fileTableSize());
        try (UringIo io = UringIo.open(IoOptions.defaults().withCapacity(8), "test")) {
            System.out.println("table=" + io.hasFileTable());
            io.open(1, args[0], OpenFlags.READ, 0);
            Map<Long, Integer> done = new HashMap<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!done.containsKey(1L) && System.nanoTime() < deadline) {
                io.park(100_000_000L, done::put);
            }
            System.out.println("open=" + (done.getOrDefault(1L, -1) >= 0));
            System.out.println("registered=" + io.registeredFiles());
        }
    }
}
