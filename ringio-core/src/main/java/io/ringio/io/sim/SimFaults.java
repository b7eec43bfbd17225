package io.ringio.io.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fault rules of one {@link SimIo} and their counters. Every rule that matches an operation
 * counts it, and draws its chance from a random stream of its own (seeded, in the order the rules
 * were added, from the simulator's fault stream), whether or not an earlier rule already fired;
 * what a fault does (a short length, a flipped bit) draws from yet another stream. So adding a
 * rule after the others does not shift when they fire. The first rule that fires wins.
 */
final class SimFaults {
    private final List<Armed> rules = new ArrayList<>();
    private final long[] fired = new long[FaultKind.values().length];
    private final SimRandom random;

    private static final class Armed {
        final FaultRule rule;
        final Pattern path;
        /** This rule's own draws, so that another rule's draws cannot shift them. */
        final SimRandom chances;
        long seen;

        Armed(FaultRule rule, SimRandom chances) {
            this.rule = rule;
            this.path = rule.pathPattern();
            this.chances = chances;
        }
    }

    SimFaults(SimRandom random, List<FaultRule> rules) {
        this.random = random;
        rules.forEach(this::add);
    }

    void add(FaultRule rule) {
        rules.add(new Armed(rule, new SimRandom(random.nextLong())));
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
            boolean fires = rule.nth() > 0 ? armed.seen == rule.nth() : armed.chances.chance(rule.probability());
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
