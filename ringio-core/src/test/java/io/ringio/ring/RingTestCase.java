package io.ringio.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.lang.foreign.Arena;

/** A test with a fresh ring and a confined arena per test method, both closed after it. */
abstract class RingTestCase {
    protected Ring ring;
    protected Arena arena;

    /** The options the ring is opened with; subclasses may ask for more entries. */
    protected RingOptions ringOptions() {
        return RingOptions.entries(32);
    }

    @BeforeEach
    void openRingAndArena() {
        ring = Ring.open(ringOptions());
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeRingAndArena() {
        // The ring first: close waits for the kernel to finish with memory from the arena.
        ring.close();
        arena.close();
    }
}
