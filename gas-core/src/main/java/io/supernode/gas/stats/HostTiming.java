package io.supernode.gas.stats;

/**
 * Which operations the emulator times on the host clock. Reading the clock costs about as much as a
 * scalar load through the emulator, so timing every scalar operation would double what is measured.
 */
public enum HostTiming {
    /** Bulk copies and views are timed; scalar loads, stores, atomics and fences report 0 host ns. */
    BULK_ONLY,
    /** Every operation is timed; scalar figures then include the clock reads themselves. */
    EVERY_OP
}
