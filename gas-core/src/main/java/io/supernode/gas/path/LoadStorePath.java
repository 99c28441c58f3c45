package io.supernode.gas.path;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link PathKind#UNIFIED_LOAD} and {@link PathKind#UNIFIED_COPY}: a node's unified access path. Both
 * read and write by load/store; they differ only in how they hand out bytes to read: in place (a
 * word by one load, a range as a zero-copy view) or copied into a local buffer first.
 */
final class LoadStorePath implements DataPath {

    private final NodeAccess access;
    private final GlobalAddressSpace space;
    private final FabricModel fabric;
    private final boolean inPlace;
    private final Waits waits;
    private final MemorySegment word = MemorySegment.ofArray(new long[1]);

    LoadStorePath(NodeAccess access, GlobalAddressSpace space, FabricModel fabric, boolean inPlace, Waits waits) {
        this.access = access;
        this.space = space;
        this.fabric = fabric;
        this.inPlace = inPlace;
        this.waits = waits;
    }

    @Override
    public PathKind kind() {
        return inPlace ? PathKind.UNIFIED_LOAD : PathKind.UNIFIED_COPY;
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
        if (inPlace) {
            return access.view(address, length);
        }
        access.read(address, scratch, 0, length);
        return scratch;
    }

    @Override
    public long readLong(long address) {
        if (inPlace) {
            return access.loadLong(address);
        }
        access.read(address, word, 0, Long.BYTES);
        return word.getAtIndex(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void write(MemorySegment from, long offset, long address, long length) {
        access.write(from, offset, address, length);
    }

    @Override
    public void offer(int reader, MemorySegment from, long offset, long length) {
        // Readers load what they need themselves; the offer is only checked.
        DataPaths.checkOffer(access.nodeId(), space.nodeCount(), reader, from, offset, length);
    }

    /** Stores the bytes, then the signal; returns once they are posted, as NVSHMEM's put-with-signal does. */
    @Override
    public void putSignal(int destination, MemorySegment from, long offset, long length, long address,
                          long signalAddress, long signalValue) {
        access.write(from, offset, address, length);
        SignalSlot.post(access, fabric, destination, signalAddress, signalValue);
        waits.yieldPoint(access.nodeId());
    }

    @Override
    public void waitSignal(int source, long address, long length, long signalAddress, long value) {
        SignalSlot.await(space, access.clock(), waits, access.nodeId(), signalAddress, value);
    }

    @Override
    public boolean servesLocally(long address, long length) {
        return space.onNode(access.nodeId(), address, length);
    }

    @Override
    public long fabricBytes() {
        return access.stats().remoteBytes();
    }

    @Override
    public TransferCost transferCost(RouteClass route, long bytes) {
        return TransferCost.loadStoreRead(fabric, route, bytes);
    }

    @Override
    public TransferCost writeCost(RouteClass route, long bytes) {
        return TransferCost.loadStoreWrite(fabric, route, bytes);
    }
}
