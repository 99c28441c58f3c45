package io.supernode.gas.memory;

import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * One node's nominal memory (its HBM): a single reserved {@link MemorySegment} that the OS commits
 * page by page on first touch, and the {@link PhysicalAllocator} over it. A 128 GiB node costs no
 * resident memory until it is written; untouched memory reads as zero.
 *
 * <p>The segment belongs to a shared {@link Arena} whose closing unmaps the reservation, so an access
 * racing with {@link #close()} gets an {@link IllegalStateException} from the FFM runtime rather than
 * touching unmapped memory.
 */
public final class NodeMemory implements AutoCloseable {

    private final int nodeId;
    private final Arena arena;
    private final MemorySegment segment;
    private final PhysicalAllocator allocator;
    private volatile boolean closed;

    private NodeMemory(int nodeId, Arena arena, MemorySegment segment) {
        this.nodeId = nodeId;
        this.arena = arena;
        this.segment = segment;
        this.allocator = new PhysicalAllocator(nodeId, segment.byteSize());
    }

    /**
     * Reserves {@code capacityBytes} of address space for node {@code nodeId}; nothing is committed.
     *
     * @param capacityBytes a positive multiple of the OS page size (4 KiB)
     */
    public static NodeMemory reserve(int nodeId, long capacityBytes) {
        if (capacityBytes <= 0 || capacityBytes % NativeMemory.OS_PAGE_BYTES != 0) {
            throw new OutOfRangeFault("node " + nodeId + " memory must be a positive multiple of "
                    + NativeMemory.OS_PAGE_BYTES + " bytes, got " + capacityBytes, NONE, NONE, nodeId);
        }
        MemorySegment raw = NativeMemory.reserve(capacityBytes);
        Arena arena = Arena.ofShared();
        MemorySegment segment = raw.reinterpret(capacityBytes, arena,
                mapping -> NativeMemory.unreserve(mapping.address(), capacityBytes));
        return new NodeMemory(nodeId, arena, segment);
    }

    /** The node this memory belongs to. */
    public int nodeId() {
        return nodeId;
    }

    /** The whole reserved memory; offsets into it are the node's physical addresses. */
    public MemorySegment segment() {
        return segment;
    }

    /** The allocator over this memory. */
    public PhysicalAllocator allocator() {
        return allocator;
    }

    /** Nominal capacity in bytes. */
    public long capacityBytes() {
        return segment.byteSize();
    }

    /**
     * Gives {@code [offset, offset + sizeBytes)} back to the OS: it no longer counts in the process's
     * resident memory and reads as zero afterwards.
     *
     * @param offset    a multiple of 4 KiB
     * @param sizeBytes a positive multiple of 4 KiB
     */
    public synchronized void discard(long offset, long sizeBytes) {
        if (!discardIfOpen(offset, sizeBytes)) {
            throw new NodeClosedFault("node " + nodeId + " is closed", NONE, NONE, nodeId);
        }
    }

    /**
     * As {@link #discard}, but does nothing and returns false once the node is closed. Atomic with
     * {@link #close()}: the OS is never asked to discard a range of a reservation already unmapped, which
     * could by then belong to another mapping.
     */
    public synchronized boolean discardIfOpen(long offset, long sizeBytes) {
        if (closed) {
            return false;
        }
        long page = NativeMemory.OS_PAGE_BYTES;
        if (offset < 0 || sizeBytes <= 0 || offset % page != 0 || sizeBytes % page != 0
                || offset > segment.byteSize() - sizeBytes) {
            throw new OutOfRangeFault("discard of [" + offset + ", +" + sizeBytes + ") on node " + nodeId
                    + " must be 4 KiB-aligned and inside " + segment.byteSize() + " bytes", NONE, NONE, nodeId);
        }
        NativeMemory.discard(segment.address() + offset, sizeBytes);
        return true;
    }

    /**
     * Hints that {@code [offset, offset + sizeBytes)} will be touched in bulk, so the OS may back it with huge pages
     * (see {@code NativeMemory}); the 2 MiB-aligned part of the range is what can get them. Does nothing once closed.
     */
    public synchronized void adviseBulk(long offset, long sizeBytes) {
        if (closed || sizeBytes <= 0) {
            return;
        }
        if (offset < 0 || offset > segment.byteSize() - sizeBytes) {
            throw new OutOfRangeFault("bulk hint for [" + offset + ", +" + sizeBytes + ") on node " + nodeId
                    + " must be inside " + segment.byteSize() + " bytes", NONE, NONE, nodeId);
        }
        long page = NativeMemory.OS_PAGE_BYTES;
        long start = offset / page * page;
        NativeMemory.adviseHugePages(segment.address() + start, offset + sizeBytes - start);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** Unmaps the reservation; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
