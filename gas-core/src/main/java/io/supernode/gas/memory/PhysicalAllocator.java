package io.supernode.gas.memory;

import io.supernode.gas.fault.OutOfNodeMemoryFault;
import io.supernode.gas.fault.OutOfRangeFault;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * Hands out physical extents of one node's memory: first fit over a free list ordered by offset,
 * with neighbours coalesced on free so that freeing everything leaves one extent again.
 *
 * <p>A caller may free any part of what it allocated (the address space frees page by page after
 * allocating a node's share of a region as one extent); freeing bytes that are already free is a
 * caller bug and is refused, which is how leaks and double frees show up in tests.
 *
 * <p>Thread-safe; not on any access hot path (only mapping, migration and unmapping allocate).
 */
public final class PhysicalAllocator {

    private final int nodeId;
    private final long capacityBytes;
    /** Free extents: start offset to end offset (exclusive), never touching or overlapping. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long freeBytes;

    /** An allocator over {@code [0, capacityBytes)} of node {@code nodeId}'s memory. */
    public PhysicalAllocator(int nodeId, long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new OutOfRangeFault("node " + nodeId + " memory capacity must be positive, got "
                    + capacityBytes, NONE, NONE, nodeId);
        }
        this.nodeId = nodeId;
        this.capacityBytes = capacityBytes;
        free.put(0L, capacityBytes);
        freeBytes = capacityBytes;
    }

    /**
     * Allocates {@code sizeBytes} at an offset that is a multiple of {@code alignmentBytes}.
     *
     * @return the offset of the extent in the node's memory
     * @throws OutOfNodeMemoryFault when no free extent can hold the request
     */
    public synchronized long allocate(long sizeBytes, long alignmentBytes) {
        if (sizeBytes <= 0 || alignmentBytes <= 0 || Long.bitCount(alignmentBytes) != 1) {
            throw new OutOfRangeFault("allocation on node " + nodeId + " needs a positive size and a power-of-two "
                    + "alignment, got size " + sizeBytes + " alignment " + alignmentBytes, NONE, NONE, nodeId);
        }
        Iterator<Map.Entry<Long, Long>> it = free.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> extent = it.next();
            long start = extent.getKey();
            long end = extent.getValue();
            long aligned = (start + alignmentBytes - 1) & -alignmentBytes;
            if (aligned < start || aligned > end - sizeBytes) {
                continue;
            }
            it.remove();
            if (start < aligned) {
                free.put(start, aligned);
            }
            if (aligned + sizeBytes < end) {
                free.put(aligned + sizeBytes, end);
            }
            freeBytes -= sizeBytes;
            return aligned;
        }
        throw new OutOfNodeMemoryFault("node " + nodeId + " cannot allocate " + ByteSize.format(sizeBytes)
                + " (" + ByteSize.format(freeBytes) + " free of " + ByteSize.format(capacityBytes)
                + " in " + free.size() + " extents)", NONE, NONE, nodeId);
    }

    /**
     * Returns {@code [offset, offset + sizeBytes)} to the free list.
     *
     * @throws OutOfRangeFault when the range lies outside the node or overlaps free memory (a double free)
     */
    public synchronized void free(long offset, long sizeBytes) {
        long end = offset + sizeBytes;
        if (offset < 0 || sizeBytes <= 0 || end > capacityBytes || end < offset) {
            throw new OutOfRangeFault("free of [" + offset + ", +" + sizeBytes + ") outside node " + nodeId
                    + " memory of " + capacityBytes + " bytes", NONE, NONE, nodeId);
        }
        Map.Entry<Long, Long> before = free.floorEntry(offset);
        Map.Entry<Long, Long> after = free.ceilingEntry(offset);
        if ((before != null && before.getValue() > offset) || (after != null && after.getKey() < end)) {
            throw new OutOfRangeFault("double free on node " + nodeId + ": [" + offset + ", +" + sizeBytes
                    + ") overlaps free memory", NONE, NONE, nodeId);
        }
        long start = offset;
        long stop = end;
        if (before != null && before.getValue() == offset) {
            start = before.getKey();
            free.remove(start);
        }
        if (after != null && after.getKey() == end) {
            stop = after.getValue();
            free.remove(end);
        }
        free.put(start, stop);
        freeBytes += sizeBytes;
    }

    /** The node whose memory this allocator manages. */
    public int nodeId() {
        return nodeId;
    }

    /** Bytes the allocator manages. */
    public long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes not allocated. */
    public synchronized long freeBytes() {
        return freeBytes;
    }

    /** Bytes allocated and not yet freed. */
    public synchronized long allocatedBytes() {
        return capacityBytes - freeBytes;
    }

    /** Number of free extents: 1 when nothing is allocated, more when memory is fragmented. */
    public synchronized int freeExtents() {
        return free.size();
    }
}
