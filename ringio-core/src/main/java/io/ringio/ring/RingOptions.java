package io.ringio.ring;

/**
 * How to set up a {@link Ring}. Start from {@link #entries(int)} and add options with the
 * {@code with*} methods; every value is checked here, before anything reaches the kernel.
 *
 * @param entries        SQ size, 1 to {@link #ENTRIES_MAX}; the kernel rounds it up to a power of two
 * @param cqEntries      CQ size (IORING_SETUP_CQSIZE), or 0 for the kernel's default of twice the SQ
 * @param sqpoll         a kernel thread polls the SQ (IORING_SETUP_SQPOLL); it keeps a core busy
 *                       while there is work and for {@code sqThreadIdleMs} after
 * @param sqThreadIdleMs how long the SQPOLL thread spins before it sleeps, at least 1 (the kernel
 *                       reads 0 as one second)
 * @param sqThreadCpu    the CPU to pin the SQPOLL thread to, or -1 for none
 * @param singleIssuer   only one thread submits (IORING_SETUP_SINGLE_ISSUER, Linux 6.0)
 * @param deferTaskrun   completions are processed only when the issuer waits for them
 *                       (IORING_SETUP_DEFER_TASKRUN, Linux 6.1; needs {@code singleIssuer})
 * @param coopTaskrun    no interrupting IPI for completion work (IORING_SETUP_COOP_TASKRUN, Linux 5.19)
 * @param clamp          clamp too-large sizes to the kernel's maximum instead of failing
 * @param submitAll      keep submitting a batch past an SQE that fails (IORING_SETUP_SUBMIT_ALL)
 * @param inFlightMax    most operations prepared and not yet completed, or 0 for the CQ size (so
 *                       that completions never depend on the kernel's overflow backlog)
 */
public record RingOptions(int entries, int cqEntries, boolean sqpoll, int sqThreadIdleMs, int sqThreadCpu,
                          boolean singleIssuer, boolean deferTaskrun, boolean coopTaskrun, boolean clamp,
                          boolean submitAll, int inFlightMax) {

    /** The kernel's IORING_MAX_ENTRIES. */
    public static final int ENTRIES_MAX = 32768;
    /** The kernel's IORING_MAX_CQ_ENTRIES. */
    public static final int CQ_ENTRIES_MAX = 2 * ENTRIES_MAX;
    /** Largest in-flight limit; the tracking table is sized from it. */
    public static final int IN_FLIGHT_MAX = 1 << 20;
    /** Default idle time of the SQPOLL thread. */
    public static final int SQ_THREAD_IDLE_MS_DEFAULT = 1000;

    public RingOptions {
        if (entries < 1 || (entries > ENTRIES_MAX && !clamp)) {
            throw new IllegalArgumentException("entries=" + entries + " must be in [1, " + ENTRIES_MAX + "]");
        }
        if (cqEntries != 0 && (cqEntries < entries || (cqEntries > CQ_ENTRIES_MAX && !clamp))) {
            throw new IllegalArgumentException("cqEntries=" + cqEntries + " must be 0 (default) or in [entries="
                    + entries + ", " + CQ_ENTRIES_MAX + "]");
        }
        if (sqThreadIdleMs < 1) {
            throw new IllegalArgumentException("sqThreadIdleMs=" + sqThreadIdleMs
                    + " must be >= 1 (the kernel reads 0 as one second)");
        }
        if (sqThreadCpu < -1) {
            throw new IllegalArgumentException("sqThreadCpu=" + sqThreadCpu + " must be -1 (none) or a CPU number");
        }
        if (sqThreadCpu >= 0 && !sqpoll) {
            throw new IllegalArgumentException("sqThreadCpu=" + sqThreadCpu + " needs sqpoll");
        }
        if (deferTaskrun && !singleIssuer) {
            throw new IllegalArgumentException("deferTaskrun=true needs singleIssuer=true");
        }
        if (sqpoll && (deferTaskrun || coopTaskrun)) {
            throw new IllegalArgumentException("sqpoll=true cannot be combined with deferTaskrun or coopTaskrun: "
                    + "the SQ thread runs the completion work itself");
        }
        if (inFlightMax < 0 || inFlightMax > IN_FLIGHT_MAX) {
            throw new IllegalArgumentException("inFlightMax=" + inFlightMax + " must be 0 (default) or in [1, "
                    + IN_FLIGHT_MAX + "]");
        }
    }

    /** A plain ring with {@code entries} SQ entries and every option off. */
    public static RingOptions entries(int entries) {
        return new RingOptions(entries, 0, false, SQ_THREAD_IDLE_MS_DEFAULT, -1, false, false, false, false, false, 0);
    }

    public RingOptions withCqEntries(int cq) {
        return new RingOptions(entries, cq, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer, deferTaskrun,
                coopTaskrun, clamp, submitAll, inFlightMax);
    }

    /** SQPOLL with the given idle time and no CPU pinning. */
    public RingOptions withSqpoll(int idleMs) {
        return withSqpoll(idleMs, -1);
    }

    /** SQPOLL with the given idle time, its thread pinned to {@code cpu} (-1: not pinned). */
    public RingOptions withSqpoll(int idleMs, int cpu) {
        return new RingOptions(entries, cqEntries, true, idleMs, cpu, singleIssuer, deferTaskrun,
                coopTaskrun, clamp, submitAll, inFlightMax);
    }

    public RingOptions withSingleIssuer(boolean on) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, on, deferTaskrun,
                coopTaskrun, clamp, submitAll, inFlightMax);
    }

    /** DEFER_TASKRUN, which also sets SINGLE_ISSUER as the kernel requires. */
    public RingOptions withDeferTaskrun(boolean on) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer || on, on,
                coopTaskrun, clamp, submitAll, inFlightMax);
    }

    public RingOptions withCoopTaskrun(boolean on) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer, deferTaskrun,
                on, clamp, submitAll, inFlightMax);
    }

    public RingOptions withClamp(boolean on) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer, deferTaskrun,
                coopTaskrun, on, submitAll, inFlightMax);
    }

    public RingOptions withSubmitAll(boolean on) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer, deferTaskrun,
                coopTaskrun, clamp, on, inFlightMax);
    }

    public RingOptions withInFlightMax(int max) {
        return new RingOptions(entries, cqEntries, sqpoll, sqThreadIdleMs, sqThreadCpu, singleIssuer, deferTaskrun,
                coopTaskrun, clamp, submitAll, max);
    }
}
