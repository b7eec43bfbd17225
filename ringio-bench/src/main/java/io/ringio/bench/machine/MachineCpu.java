package io.ringio.bench.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole machine's CPU time, every CPU and every task, from the first line of
 * {@code /proc/stat}: what a window cost the machine, where a process's own CPU time
 * ({@link ThisProcess#cpuNanos()}) counts only what the kernel charged to the process.
 *
 * <p>The two differ because of interrupts: on a kernel without {@code CONFIG_IRQ_TIME_ACCOUNTING}
 * (Debian's, for one) the time an interrupt handler runs is charged to whatever task it
 * interrupted, and not at all when it interrupts an idle CPU. So a process's CPU time goes up or
 * down with where the disk's interrupts land, not only with what it does: on the development VM,
 * whose disk interrupts all go to one CPU, binding an engine to the other CPU ({@code taskset})
 * lowered its process CPU per read by 10%, while the machine's went up by 11%.
 *
 * <p>A reading holds the CPUs counted and their idle time: {@code idle}, {@code iowait} (an idle CPU
 * with a task waiting for I/O) and {@code steal} (a hypervisor running something else), in the
 * kernel's {@code USER_HZ} ticks. Busy time is the CPUs times the wall time less that idle time, so
 * it holds everything else that ran meanwhile, other processes' included: on a quiet machine that
 * is a small constant (about 0.02 CPU seconds a second on the development VM). Idle time comes in
 * whole ticks (10 ms on Linux), so a difference of two readings is off by up to a tick per CPU:
 * over a window of one second on two CPUs, up to 0.02 CPU seconds either way.
 *
 * @param cpus      the CPUs online ({@code cpuN} lines), or 0 when the file could not be read
 * @param idleTicks idle + iowait + steal over all CPUs since boot, in {@code USER_HZ} ticks
 */
public record MachineCpu(int cpus, long idleTicks) {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    /** The reading now; {@code cpus == 0} where there is no {@code /proc/stat} (not Linux) or it cannot be parsed. */
    public static MachineCpu read() {
        if (TICKS_PER_SECOND <= 0) {
            return new MachineCpu(0, 0);
        }
        try {
            return parse(Files.readAllLines(PROC_STAT, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /**
     * The reading in the lines of a {@code /proc/stat}: its first line ({@code cpu} followed by
     * user, nice, system, idle, iowait, irq, softirq, steal, ...) and the count of {@code cpuN} lines.
     */
    static MachineCpu parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).startsWith("cpu ")) {
            throw new IllegalArgumentException("not a /proc/stat: its first line is not the cpu line");
        }
        String[] f = lines.get(0).trim().split("\\s+");
        if (f.length < 9) {
            throw new IllegalArgumentException("the cpu line of /proc/stat has no steal column: " + lines.get(0));
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]) + Long.parseLong(f[8]);
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cpus++;
            }
        }
        return new MachineCpu(cpus, idle);
    }

    /**
     * The machine's busy CPU seconds between {@code from} and {@code to}, {@code wallSeconds}
     * apart: NaN when either reading failed or the CPUs online changed between them.
     */
    public static double busySeconds(MachineCpu from, MachineCpu to, double wallSeconds) {
        return busySeconds(from, to, wallSeconds, TICKS_PER_SECOND);
    }

    static double busySeconds(MachineCpu from, MachineCpu to, double wallSeconds, long ticksPerSecond) {
        if (from.cpus == 0 || from.cpus != to.cpus) {
            return Double.NaN;
        }
        double idleSeconds = (double) (to.idleTicks - from.idleTicks) / ticksPerSecond;
        // Idle time in whole ticks can come out above the wall time, by up to a tick per CPU.
        return Math.max(0, from.cpus * wallSeconds - idleSeconds);
    }

    private static long ticksPerSecond() {
        try {
            return Libc.sysconf(Libc.SC_CLK_TCK);
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
