package io.supernode.gas.agent;

/**
 * A unit of long-running work driven by a duty cycle (after Agrona's agents): the runner calls
 * {@link #doWork()} in a loop and idles when it reports no work.
 */
public interface Agent {

    /** Does a bounded amount of work; returns how many items it handled (0 when idle). */
    int doWork();

    /** A name for threads and diagnostics. */
    String roleName();
}
