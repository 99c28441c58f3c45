package io.supernode.gas.agent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How every waiting thread here idles: Agrona's {@link BackoffIdleStrategy}, tuned for a machine with few
 * cores. It busy-spins first (a reply is often microseconds away), then yields the core, then parks for
 * growing intervals, so idle node threads and service agents do not burn the cores the busy ones need.
 */
public final class Backoff {

    /** Busy spins before yielding. */
    public static final long SPINS = 200;
    /** Yields before parking. */
    public static final long YIELDS = 50;
    /** The first park. */
    public static final long MIN_PARK_NANOS = 1_000;
    /** The longest park: the most a waiter oversleeps the work it waits for. */
    public static final long MAX_PARK_NANOS = 1_000_000;

    private Backoff() {
    }

    /** A new idle strategy with this back-off; not thread-safe, one per waiting thread. */
    public static IdleStrategy idleStrategy() {
        return new BackoffIdleStrategy(SPINS, YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
    }
}
