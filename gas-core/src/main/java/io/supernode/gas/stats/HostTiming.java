package io.supernode.gas.stats;

/**
 * Which operations the emulator times on the host clock. Reading the clock costs about as much as a
 * scalar load through the emulator, so timing every scalar operation would double what is measured.
 */
public enum HostTiming {
    /**
     * Transfers of at least {@link #BULK_BYTES} (bulk copies, views, messages, remote reads and writes)
     * are timed; smaller ones, scalar loads, stores, atomics and fences report 0 host ns.
     */
    BULK_ONLY,
    /** Every operation is timed; scalar figures then include the clock reads themselves. */
    EVERY_OP;

    /** The smallest transfer {@link #BULK_ONLY} times: below it, reading the clock twice costs more than the copy. */
    public static final long BULK_BYTES = 4096;

    /** Whether an operation moving {@code bytes} is timed under this mode. */
    public boolean times(long bytes) {
        return this == EVERY_OP || bytes >= BULK_BYTES;
    }
}
