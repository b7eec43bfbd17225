package io.ringio.bench.cli;

import io.ringio.ring.CompletionBatch;
import io.ringio.ring.OpcodeSet;
import io.ringio.io.BackendSelector;
import io.ringio.io.IoBackend;
import io.ringio.io.IoOptions;
import io.ringio.ring.Ring;
import io.ringio.ring.RingOptions;
import io.ringio.ring.RingSetupException;
import io.ringio.sys.Errno;
import io.ringio.sys.IoUring;
import io.ringio.sys.SyscallException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code ringio probe}: what this machine offers ringio, as aligned "key: value" lines. Exit
 * status 0 when io_uring is usable from this JVM, 1 when it is not (the output then says why and
 * what to do about it).
 *
 * <p>Every check is tried for real rather than inferred from the kernel version: a NOP goes
 * through a ring, an SQPOLL ring is set up, buffers of growing size are registered. Every ring
 * and buffer the probe creates is released before it returns.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Report what this machine offers ringio.",
            "Kernel, JDK, native access, the backend Io.open would choose and why, io_uring features",
            "and opcodes, SQPOLL, the locked-memory",
            "limit and how much buffer memory io_uring could register.",
            "Exit status 0 when io_uring is usable, 1 when it is not.",
        })
final class ProbeCommand implements Callable<Integer> {
    /** SQ size of the rings the probe sets up; the smallest that still batches a little. */
    static final int RING_ENTRIES = 8;
    /** Idle time of the probe's SQPOLL thread; it lives only as long as the probe's ring. */
    static final int SQPOLL_IDLE_MS = 10;
    /** Buffer sizes tried for registration, smallest first; the first refusal ends the series. */
    static final long[] REGISTER_TRY_BYTES = {1L << 20, 8L << 20, 64L << 20};
    /** Registered buffers are pinned page by page; page alignment wastes no partial page. */
    static final long PAGE_BYTES = 4096;
    /** user_data of the probe's NOP. */
    private static final long NOP_USER_DATA = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KeyValueWriter out = new KeyValueWriter(spec.commandLine().getOut());
        try {
            return probe(out);
        } finally {
            out.flush();
        }
    }

    private int probe(KeyValueWriter out) {
        out.line("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")");
        out.line("jdk", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.line("java home", System.getProperty("java.home"));
        out.line("native access", nativeAccess());
        out.words("backend", java.util.List.of(backend().split(" ")));
        if (!Ring.isAvailable()) {
            out.line("io_uring", "not usable: " + Ring.unavailabilityCause());
            lockedMemory(out);
            return 1;
        }
        try (Ring ring = Ring.open(RingOptions.entries(RING_ENTRIES))) {
            String nop = nopRoundTrip(ring);
            if (nop != null) {
                out.line("io_uring", "not usable: " + nop);
                return 1;
            }
            out.line("io_uring", "usable (a NOP went through a ring of " + ring.sqEntries() + " entries)");
            out.words("features", IoUring.featureNames(ring.features()));
            opcodes(out, ring);
            out.line("sqpoll", sqpoll());
            lockedMemory(out);
            out.line("registered buffers", bufferRegistration(ring));
            return 0;
        } catch (RingSetupException e) {
            out.line("io_uring", "not usable: " + e.getMessage());
            return 1;
        }
    }

    /** Which backend Io.open would choose here and why, with how to override it. */
    private static String backend() {
        String override = " (override: -D" + BackendSelector.PROPERTY + "= or " + BackendSelector.ENVIRONMENT
                + "=uring|channel|auto)";
        try {
            IoBackend chosen = BackendSelector.choose(IoOptions.defaults());
            return chosen.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + chosen.reason() + override;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return "none: " + e.getMessage();
        }
    }

    private static String nativeAccess() {
        Module core = Ring.class.getModule();
        String name = core.isNamed() ? core.getName() : "ALL-UNNAMED";
        String where = core.isNamed() ? "module " + name : "the class path (ALL-UNNAMED)";
        if (core.isNativeAccessEnabled()) {
            return "enabled for " + where;
        }
        return "not enabled for " + where + ": restricted methods print a warning (and fail under --illegal-native-access=deny);"
                + " run java with --enable-native-access=" + name;
    }

    /** Null when a NOP completed with 0, otherwise what went wrong. */
    private static String nopRoundTrip(Ring ring) {
        if (ring.prepNop(NOP_USER_DATA) < 0) {
            return "no free SQE in a new ring";
        }
        int submitted = ring.submitAndWait(1);
        if (submitted < 0) {
            return "io_uring_enter failed: " + Errno.describe(submitted);
        }
        CompletionBatch completions = new CompletionBatch(RING_ENTRIES);
        if (ring.copyCompletions(completions) != 1 || completions.userData(0) != NOP_USER_DATA) {
            return "a NOP was submitted but its completion did not arrive";
        }
        int result = completions.result(0);
        return result == 0 ? null : "a NOP completed with " + Errno.describe(result);
    }

    private static void opcodes(KeyValueWriter out, Ring ring) {
        OpcodeSet opcodes;
        try {
            opcodes = ring.probeOpcodes();
        } catch (SyscallException e) {
            // IORING_REGISTER_PROBE arrived in Linux 5.6; an older kernel answers EINVAL.
            out.line("opcodes", "unknown: " + e.getMessage());
            return;
        }
        List<String> names = opcodes.names();
        List<String> words = new ArrayList<>(names.size() + 1);
        words.add(names.size() + " supported:");
        words.addAll(names);
        out.words("opcodes", words);
    }

    private static String sqpoll() {
        try (Ring ring = Ring.open(RingOptions.entries(RING_ENTRIES).withSqpoll(SQPOLL_IDLE_MS))) {
            assert (ring.setupFlags() & IoUring.SETUP_SQPOLL) != 0 : "setupFlags=" + ring.setupFlags();
            return "yes: a ring with a kernel SQ polling thread was set up";
        } catch (RingSetupException e) {
            return "no: " + e.getMessage();
        }
    }

    private static void lockedMemory(KeyValueWriter out) {
        Optional<LockedMemory.Limit> limit = LockedMemory.currentLimit();
        out.line("memlock limit", limit.map(LockedMemory.Limit::describe)
                .orElse("unknown (no \"Max locked memory\" row in /proc/self/limits)"));
        boolean ipcLock = LockedMemory.holdsIpcLock();
        boolean root = LockedMemory.isRoot();
        if (ipcLock && root) {
            out.remark("not applied: running as root, CAP_IPC_LOCK bypasses it");
        } else if (ipcLock) {
            out.remark("not applied: CAP_IPC_LOCK is held and bypasses it");
        } else if (root) {
            out.remark("applies although running as root: CAP_IPC_LOCK is not held (a container?)");
        }
    }

    /**
     * Registers one buffer of each size in {@link #REGISTER_TRY_BYTES}, each from a fresh arena
     * and unregistered before the arena closes, and says which was the largest accepted.
     */
    private static String bufferRegistration(Ring ring) {
        long accepted = 0;
        String refusal = null;
        for (long bytes : REGISTER_TRY_BYTES) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(bytes, PAGE_BYTES);
                int registered = ring.registerBuffers(buffer);
                if (registered < 0) {
                    refusal = LockedMemory.formatBytes(bytes) + " refused: " + Errno.describe(registered);
                    break;
                }
                accepted = bytes;
                // The buffer must leave the ring before its arena frees it.
                int unregistered = ring.unregisterBuffers();
                if (unregistered < 0) {
                    throw new SyscallException("io_uring_register(UNREGISTER_BUFFERS)", -unregistered);
                }
            }
        }
        StringJoiner tried = new StringJoiner(", ");
        for (long bytes : REGISTER_TRY_BYTES) {
            tried.add(LockedMemory.formatBytes(bytes));
        }
        String largest = accepted == 0 ? "none accepted" : LockedMemory.formatBytes(accepted) + " accepted";
        if (refusal != null) {
            return largest + "; " + refusal;
        }
        return largest + " (tried " + tried + ")";
    }
}
