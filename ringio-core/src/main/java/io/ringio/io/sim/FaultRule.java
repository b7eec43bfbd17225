package io.ringio.io.sim;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When a fault fires: on operations of the fault's kind ({@link FaultKind#operation()}), on files
 * whose path matches {@code pathGlob} (null: any), either with a probability for each such
 * operation, drawn from the simulation's seed, or exactly at the {@code nth} one (from 1).
 *
 * <p>The glob matches the path a file was opened with (for a sync, the file's or directory's):
 * {@code *} any characters but {@code /}, {@code **} any characters, {@code ?} one character
 * but {@code /}; everything else is literal. The path is compared with repeated slashes and
 * {@code .} components taken out. A rule counts matching operations from the moment it is added,
 * in each {@link SimIo}: a rule from {@link SimOptions} starts counting again after a crash.
 *
 * @param kind        the fault
 * @param pathGlob    the files it strikes, or null for every file
 * @param probability chance per matching operation, in [0, 1]; ignored when {@code nth > 0}
 * @param nth         fire at exactly the nth matching operation (from 1), or 0 to use the probability
 */
public record FaultRule(FaultKind kind, String pathGlob, double probability, long nth) {
    public FaultRule {
        Objects.requireNonNull(kind, "kind");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability=" + probability + " must be in [0, 1]");
        }
        if (nth < 0) {
            throw new IllegalArgumentException("nth=" + nth + " must be >= 1, or 0 for none");
        }
        if (pathGlob != null && pathGlob.isEmpty()) {
            throw new IllegalArgumentException("pathGlob is empty; use null to match every path");
        }
    }

    /** The fault on every matching operation. */
    public static FaultRule always(FaultKind kind) {
        return new FaultRule(kind, null, 1.0, 0);
    }

    /** The fault on each matching operation with {@code probability}. */
    public static FaultRule withProbability(FaultKind kind, double probability) {
        return new FaultRule(kind, null, probability, 0);
    }

    /** The fault at exactly the {@code nth} matching operation, counting from 1. */
    public static FaultRule onNth(FaultKind kind, long nth) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth=" + nth + " must be >= 1");
        }
        return new FaultRule(kind, null, 0, nth);
    }

    /** This rule, only for files whose path matches {@code glob}. */
    public FaultRule onPath(String glob) {
        Objects.requireNonNull(glob, "glob");
        return new FaultRule(kind, glob, probability, nth);
    }

    /** The glob as a regular expression over the whole path. */
    Pattern pathPattern() {
        if (pathGlob == null) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pathGlob.length(); i++) {
            char c = pathGlob.charAt(i);
            if (c == '*' && i + 1 < pathGlob.length() && pathGlob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
