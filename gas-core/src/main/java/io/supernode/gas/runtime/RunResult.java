package io.supernode.gas.runtime;

/**
 * What a run took.
 *
 * @param makespanNanos modeled time at which the last node finished
 * @param hostNanos     host wall time of the run
 * @param switches      times the deterministic runtime handed control to a node (0 for the concurrent one)
 * @param seed          the seed the run's choices came from
 */
public record RunResult(long makespanNanos, long hostNanos, long switches, long seed) {
}
