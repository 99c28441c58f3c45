package io.supernode.gas.path;

/**
 * What one transfer costs on a path, estimated from the fabric model without moving bytes: for
 * planning (a router choosing a node) and for runs whose payload is modeled only.
 *
 * @param modeledNanos modeled time from issue to the bytes being usable
 * @param messages     messages on the copy plane (0 on load/store paths)
 * @param wireBytes    bytes on the wire, payload plus requests and headers
 */
public record TransferCost(long modeledNanos, int messages, long wireBytes) {
}
