package io.supernode.coherence.access;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.SignalSlot;
import io.supernode.gas.path.TransferCost;
import io.supernode.gas.path.Waits;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;

/**
 * {@link PathKind#COHERENT}: a node's {@link DataPath} through its {@link CoherentAccess}, so a workload
 * written against the path reads and writes coherent regions through the node's line cache (and other
 * regions uncached, as {@code CoherentAccess} does). Ranges are copied, never viewed in place: the
 * bytes a node may read are in its cache lines, not at one address in the home's memory.
 */
final class CoherentPath implements DataPath {

    private final CoherentMemory memory;
    private final CoherentAccess access;
    private final FabricModel fabric;
    private final Waits waits;

    CoherentPath(CoherentMemory memory, CoherentAccess access, FabricModel fabric, Waits waits) {
        this.memory = memory;
        this.waits = waits;
        this.access = access;
        this.fabric = fabric;
    }

    @Override
    public PathKind kind() {
        return PathKind.COHERENT;
    }

    @Override
    public int nodeId() {
        return access.nodeId();
    }

    @Override
    public VirtualClock clock() {
        return access.clock();
    }

    @Override
    public void read(long address, MemorySegment into, long offset, long length) {
        access.read(address, into, offset, length);
    }

    @Override
    public MemorySegment readable(long address, long length, MemorySegment scratch) {
        access.read(address, scratch, 0, length);
        return scratch;
    }

    @Override
    public long readLong(long address) {
        return access.loadLong(address);
    }

    @Override
    public void write(MemorySegment from, long offset, long address, long length) {
        access.write(from, offset, address, length);
    }

    @Override
    public void offer(int reader, MemorySegment from, long offset, long length) {
        // Readers fetch lines through the protocol themselves; the offer is only checked.
        DataPaths.checkOffer(access.nodeId(), memory.machine().nodeCount(), reader, from, offset, length);
    }

    /** Writes the bytes through the coherence protocol, then the signal, which lives in a plain region. */
    @Override
    public void putSignal(int destination, MemorySegment from, long offset, long length, long address,
                          long signalAddress, long signalValue) {
        access.write(from, offset, address, length);
        SignalSlot.post(access, fabric, destination, signalAddress, signalValue);
        waits.yieldPoint(access.nodeId());
    }

    @Override
    public void waitSignal(int source, long address, long length, long signalAddress, long value) {
        SignalSlot.await(memory.machine().addressSpace(), access.clock(), waits, access.nodeId(), signalAddress, value);
    }

    /** Whether the first and the last line of the range are in this node's cache, readable. */
    @Override
    public boolean servesLocally(long address, long length) {
        return memory.lineState(access.nodeId(), address).readable()
                && memory.lineState(access.nodeId(), address + length - 1).readable();
    }

    @Override
    public long fabricBytes() {
        return memory.fabricBytes(access.nodeId());
    }

    /**
     * As a cold read: the lines fetched from their home over {@code route}. Lines already cached cost a
     * local access instead, so this is the upper bound; which lines are cached the estimate cannot know.
     */
    @Override
    public TransferCost transferCost(RouteClass route, long bytes) {
        return TransferCost.loadStoreRead(fabric, route, bytes);
    }

    /** As a write whose lines must first be fetched in M from their home: the upper bound again. */
    @Override
    public TransferCost writeCost(RouteClass route, long bytes) {
        return TransferCost.loadStoreWrite(fabric, route, bytes);
    }
}
