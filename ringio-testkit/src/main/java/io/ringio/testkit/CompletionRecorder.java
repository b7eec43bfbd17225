package io.ringio.testkit;

import io.ringio.io.IoHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handler the contract suite polls with. It records every completion and notes contract
 * violations (a tag completed twice, a completion delivered on another thread) instead of
 * throwing, because an exception thrown inside a backend's delivery loop could leave the backend
 * broken and hide the real failure; the suite checks {@link #violations()} after each poll.
 */
final class CompletionRecorder implements IoHandler {
    private final Thread owner;
    /** Delivered and not yet claimed by a test, tag to result. */
    private final Map<Long, Integer> unclaimed = new HashMap<>();
    /** Every tag delivered since it was last submitted, to catch a second completion. */
    private final Set<Long> delivered = new HashSet<>();
    /** Tags in delivery order. */
    private final List<Long> order = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    CompletionRecorder(Thread owner) {
        this.owner = owner;
    }

    @Override
    public void complete(long tag, int result) {
        if (Thread.currentThread() != owner) {
            violations.add("tag " + tag + " was delivered on thread " + Thread.currentThread().getName()
                    + ", not on the thread that polls (" + owner.getName() + ")");
        }
        if (!delivered.add(tag)) {
            violations.add("tag " + tag + " completed a second time, with " + IoContractTest.describe(result));
            return;
        }
        unclaimed.put(tag, result);
        order.add(tag);
    }

    /** Forgets an earlier completion of {@code tag}: it is being submitted (again). */
    void expect(long tag) {
        delivered.remove(tag);
        unclaimed.remove(tag);
        order.remove(Long.valueOf(tag));
    }

    boolean has(long tag) {
        return unclaimed.containsKey(tag);
    }

    /** The result of a delivered tag, which stays known to {@link #position}. */
    int claim(long tag) {
        Integer result = unclaimed.remove(tag);
        if (result == null) {
            throw new IllegalStateException("tag " + tag + " has not been delivered");
        }
        return result;
    }

    /** Where {@code tag} came in the delivery order, or -1 if it has not been delivered. */
    int position(long tag) {
        return order.indexOf(tag);
    }

    /** Delivered tags not yet claimed, for failure messages. */
    Map<Long, Integer> unclaimed() {
        return Map.copyOf(unclaimed);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }
}
