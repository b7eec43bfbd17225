package io.ringio.bench.machine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** This process as the bench measures it: its CPU time, and whether stderr is a terminal. */
public final class ThisProcess {
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.global().allocate(16, 8));

    private ThisProcess() {}

    /**
     * CPU time of the whole process, user and system, all threads, in nanoseconds
     * ({@code CLOCK_PROCESS_CPUTIME_ID}): precise to the nanosecond, where the JDK's
     * {@code getProcessCpuTime} moves in steps of 10 ms on Linux.
     */
    public static long cpuNanos() {
        return Libc.clockNanos(Libc.CLOCK_PROCESS_CPUTIME_ID, TIMESPEC.get());
    }

    /** Whether file descriptor 2 is a terminal (not stdin or stdout, which {@code System.console()} looks at). */
    public static boolean stderrIsTerminal() {
        return Libc.isatty(2);
    }
}
