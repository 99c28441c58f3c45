package io.supernode.embedding;

/**
 * One step's (or phase's) modeled time.
 *
 * @param stepNanos the step: every node waits for the slowest at each phase
 * @param perNode   each node's own busy time, for the imbalance
 */
record StepTime(long stepNanos, long[] perNode) {

    /** The largest of {@code values}, 0 for none. */
    static long max(long[] values) {
        long m = 0;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
