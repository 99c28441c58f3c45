package io.supernode.gas.path;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;

/**
 * What one transfer costs on a path, estimated from the fabric model without moving bytes: for
 * planning (a router choosing a node) and for runs whose payload is modeled only.
 *
 * @param modeledNanos modeled time from issue to the bytes being usable
 * @param messages     messages on the copy plane (0 on load/store paths)
 * @param wireBytes    bytes on the wire, payload plus requests and headers
 */
public record TransferCost(long modeledNanos, int messages, long wireBytes) {

    /** Reading {@code bytes} over {@code route} by load/store: the fabric's read time, no messages. */
    public static TransferCost loadStoreRead(FabricModel fabric, RouteClass route, long bytes) {
        return new TransferCost(fabric.readNanos(route, bytes), 0, bytes);
    }

    /** Writing {@code bytes} over {@code route} by load/store: the fabric's write time, no messages. */
    public static TransferCost loadStoreWrite(FabricModel fabric, RouteClass route, long bytes) {
        return new TransferCost(fabric.writeNanos(route, bytes), 0, bytes);
    }
}
