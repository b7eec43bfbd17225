package io.ringio.io.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fault rules of one {@link SimIo} and their counters. Every rule that matches an operation
 * counts it, and draws its chance, whether or not an earlier rule already fired, so that adding
 * a rule does not shift when the others fire. The first rule that fires wins.
 */
final class SimFaults {
    private final List<Armed> rules = new ArrayList<>();
    private final long[] fired = new long[FaultKind.values().length];
    private final SimRandom random;

    private static final class Armed {
        final FaultRule rule;
        final Pattern path;
        long seen;

        Armed(FaultRule rule) {
            this.rule = rule;
            this.path = rule.pathPattern();
        }
    }

    SimFaults(SimRandom random, List<FaultRule> rules) {
        this.random = random;
        rules.forEach(this::add);
    }

    void add(FaultRule rule) {
        rules.add(new Armed(rule));
    }

    void clear() {
        rules.clear();
    }

    /** The fault that strikes an operation of {@code operation} on the file at {@code path}, or null. */
    FaultKind strike(SimOperation operation, String path) {
        if (rules.isEmpty()) {
            return null;
        }
        FaultKind struck = null;
        for (Armed armed : rules) {
            FaultRule rule = armed.rule;
            if (rule.kind().operation() != operation || armed.path != null && (path == null
                    || !armed.path.matcher(path).matches())) {
                continue;
            }
            armed.seen++;
            boolean fires = rule.nth() > 0 ? armed.seen == rule.nth() : random.chance(rule.probability());
            if (fires && struck == null) {
                struck = rule.kind();
            }
        }
        return struck;
    }

    /** Records that {@code kind} took effect (a short transfer of one byte cannot be shorter, for one). */
    void count(FaultKind kind) {
        fired[kind.ordinal()]++;
    }

    long fired(FaultKind kind) {
        return fired[kind.ordinal()];
    }
}
