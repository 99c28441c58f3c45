package io.supernode.gas.time;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * A node's modeled time, in nanoseconds since the machine booted. Only the fabric model moves it,
 * never the host clock. It is a Chronicle {@link TimeProvider}, so code written against that
 * interface (histograms, timeouts, schedulers) runs unchanged in virtual time.
 *
 * <p>Single writer: the thread driving the node.
 */
public final class VirtualClock implements TimeProvider {

    private long nowNanos;

    /** Modeled nanoseconds since boot. */
    public long nowNanos() {
        return nowNanos;
    }

    /** Moves time forward by {@code nanos} (never backwards). */
    public void advanceBy(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("virtual time cannot move backwards by " + nanos + " ns");
        }
        nowNanos += nanos;
    }

    /** Moves time forward to {@code nanos} if that is later than now; time never moves backwards. */
    public void advanceTo(long nanos) {
        if (nanos > nowNanos) {
            nowNanos = nanos;
        }
    }

    @Override
    public long currentTimeMillis() {
        return nowNanos / 1_000_000;
    }

    @Override
    public long currentTimeMicros() {
        return nowNanos / 1_000;
    }

    @Override
    public long currentTimeNanos() {
        return nowNanos;
    }
}
