package io.supernode.gas.stats;

/**
 * Totals for one kind of operation on one node.
 *
 * @param kind          the operation kind
 * @param ops           operations issued
 * @param bytes         payload bytes moved
 * @param modeledNanos  modeled fabric time charged to the issuing node's clock
 * @param hostNanos     host wall time the emulator spent on them (see {@link HostTiming})
 */
public record OpStats(OpKind kind, long ops, long bytes, long modeledNanos, long hostNanos) {
}
