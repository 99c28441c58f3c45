package io.supernode.embedding;

import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;

import java.lang.foreign.MemorySegment;

/**
 * A buffer in one node's own memory: its bytes as the node sees them, and its global address, by which
 * another node reads it (on send/receive: receives what this node offered from it).
 *
 * @param address its global address
 * @param bytes   its bytes in the node's memory
 */
record NodeBuffer(long address, MemorySegment bytes) {

    /** Maps a buffer of {@code sizeBytes} named {@code name} followed by the node's id on {@code node}. */
    static NodeBuffer map(Supernode machine, int node, String name, long sizeBytes) {
        Region region = machine.map(RegionSpec.of(name + node, sizeBytes, Placement.onNode(node)));
        return new NodeBuffer(region.baseAddress(), machine.node(node).view(region.baseAddress(), sizeBytes));
    }
}
