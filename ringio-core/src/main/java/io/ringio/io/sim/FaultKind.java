package io.ringio.io.sim;

/**
 * The faults the simulator injects, each observable through {@link io.ringio.io.Io} the way a
 * real disk or kernel would show it. A {@link FaultRule} says when one fires.
 */
public enum FaultKind {
    /** A read (or readv) fails with EIO; the buffer is untouched. */
    READ_EIO(SimOperation.READ),
    /** A write (or writev) fails with EIO; nothing is written. */
    WRITE_EIO(SimOperation.WRITE),
    /** An fsync or fdatasync, of a file or a directory, fails with EIO; what was dirty stays dirty. */
    SYNC_EIO(SimOperation.SYNC),
    /** A write fails with ENOSPC; nothing is written. Writes through an O_DSYNC handle are synced without sync faults. */
    WRITE_ENOSPC(SimOperation.WRITE),
    /** An allocate fails with ENOSPC; nothing changes. */
    ALLOCATE_ENOSPC(SimOperation.RESIZE),
    /** A read of more than one byte transfers fewer bytes than it could, at least one. */
    SHORT_READ(SimOperation.READ),
    /** A write of more than one byte writes only a prefix, at least one byte, and says so. */
    SHORT_WRITE(SimOperation.WRITE),
    /** A read succeeds, but one bit of what it returns is flipped; the file itself is intact. */
    READ_BIT_FLIP(SimOperation.READ),
    /**
     * A latent sector error: one 512-byte sector under the read goes bad, and this read and every
     * later read that covers it fail with EIO, across crashes, until a write covers the whole
     * sector again (a disk remaps a bad sector when it is rewritten; the simulator heals it as
     * soon as the write completes, even if a crash then loses the write).
     */
    LATENT_SECTOR_ERROR(SimOperation.READ),
    /**
     * A misdirected write: the write reports success with its full count, but its bytes land at
     * another 512-byte-aligned offset of the same file, and the intended range is unchanged.
     */
    MISDIRECTED_WRITE(SimOperation.WRITE),
    /**
     * The fsyncgate case (PostgreSQL, 2018): an fsync fails with EIO and the kernel drops the
     * file's dirty pages, so reads show the last durable contents, and the next fsync returns 0
     * with the data gone. This is why a failed fsync must be final. On a directory it is a plain EIO.
     */
    SYNC_DROPS_DIRTY_DATA(SimOperation.SYNC);

    private final SimOperation operation;

    FaultKind(SimOperation operation) {
        this.operation = operation;
    }

    /** The kind of operation this fault can strike. */
    public SimOperation operation() {
        return operation;
    }
}
