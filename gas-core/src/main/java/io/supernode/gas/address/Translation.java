package io.supernode.gas.address;

/**
 * Where a global address lives, for tools and tests (the hot path uses packed entries instead).
 *
 * @param address        the global virtual address
 * @param regionId       its region
 * @param pageIndex      its page within the region
 * @param node           the node whose memory holds it
 * @param physicalOffset its offset in that node's memory
 */
public record Translation(long address, int regionId, long pageIndex, int node, long physicalOffset) {

    @Override
    public String toString() {
        return GlobalAddress.format(address) + " -> region " + regionId + " page " + pageIndex
                + " -> node " + node + " @ 0x" + Long.toHexString(physicalOffset);
    }
}
