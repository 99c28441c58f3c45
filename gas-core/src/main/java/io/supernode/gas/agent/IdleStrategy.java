package io.supernode.gas.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Backs off as idleness persists: busy-spin first (a reply is often microseconds away), then yield the
 * core, then park for growing intervals, so idle node threads do not burn the machine's two cores.
 * Not thread-safe: one per waiting thread.
 */
public final class IdleStrategy {

    private static final int SPINS = 200;
    private static final int YIELDS = 50;
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private int idleCount;
    private long parkNanos = MIN_PARK_NANOS;

    /** Idles once if {@code workCount} is zero; resets the back-off otherwise. */
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** Idles once, a little longer each consecutive time. */
    public void idle() {
        idleCount++;
        if (idleCount <= SPINS) {
            Thread.onSpinWait();
        } else if (idleCount <= SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
        }
    }

    /** Back to busy-spinning: there was work. */
    public void reset() {
        idleCount = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
