package io.supernode.gas.path;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link PathKind#UNIFIED_LOAD} and {@link PathKind#UNIFIED_COPY}: a node's unified access path. Both
 * read and write by load/store; they differ only in how they hand out bytes to read: in place (a
 * word by one load, a range as a zero-copy view) or copied into a local buffer first.
 *
 * <p>On stacked servers ({@link io.supernode.gas.fabric.Topology#stacked()}) loads and stores reach only the
 * node's own server. Bytes in another server are reached as NVSHMEM reaches them there: by a one-sided RDMA get
 * or put through the message plane (copied, never in place), so a workload written for the unified path runs on
 * such a machine unchanged and pays the copy path's price only for what crosses servers.
 */
final class LoadStorePath implements DataPath {

    private final NodeAccess access;
    private final GlobalAddressSpace space;
    private final FabricModel fabric;
    private final boolean inPlace;
    private final Waits waits;
    /** Between stacked servers, the one-sided path bytes in another server go through; else null. */
    private final CopyPath.OneSided acrossServers;
    private final MemorySegment word = MemorySegment.ofArray(new long[1]);

    LoadStorePath(NodeAccess access, GlobalAddressSpace space, FabricModel fabric, boolean inPlace, Waits waits,
                  MessagePlane plane) {
        this.access = access;
        this.space = space;
        this.fabric = fabric;
        this.inPlace = inPlace;
        this.waits = waits;
        boolean stacked = fabric.topology().stacked() && !fabric.topology().loadStoreEverywhere()
                && fabric.topology().link().loadStore();
        this.acrossServers = stacked && plane != null ? new CopyPath.OneSided(access.nodeId(), plane, waits) : null;
    }

    /** Whether the range lies beyond this node's loads and stores, in another of stacked servers. */
    private boolean acrossServers(long address, long length) {
        return acrossServers != null && !access.reaches(address, length);
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
        if (acrossServers(address, length)) {
            acrossServers.read(address, into, offset, length);
            return;
        }
        access.read(address, into, offset, length);
    }

    @Override
    public MemorySegment readable(long address, long length, MemorySegment scratch) {
        if (acrossServers(address, length)) {
            acrossServers.read(address, scratch, 0, length);
            return scratch;
        }
        if (inPlace) {
            return access.view(address, length);
        }
        access.read(address, scratch, 0, length);
        return scratch;
    }

    @Override
    public long readLong(long address) {
        if (acrossServers(address, Long.BYTES)) {
            return acrossServers.readLong(address);
        }
        if (inPlace) {
            return access.loadLong(address);
        }
        access.read(address, word, 0, Long.BYTES);
        return word.getAtIndex(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void write(MemorySegment from, long offset, long address, long length) {
        if (acrossServers(address, length)) {
            acrossServers.write(from, offset, address, length);
            return;
        }
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
        if (acrossServers(address, length) || acrossServers(signalAddress, SignalSlot.BYTES)) {
            acrossServers.putSignal(destination, from, offset, length, address, signalAddress, signalValue);
            return;
        }
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
        return access.stats().remoteBytes() + (acrossServers == null ? 0 : acrossServers.fabricBytes());
    }

    @Override
    public TransferCost transferCost(RouteClass route, long bytes) {
        return acrossServers != null && route == RouteClass.CROSS_GROUP ? acrossServers.transferCost(route, bytes)
                : TransferCost.loadStoreRead(fabric, route, bytes);
    }

    @Override
    public TransferCost writeCost(RouteClass route, long bytes) {
        return acrossServers != null && route == RouteClass.CROSS_GROUP ? acrossServers.writeCost(route, bytes)
                : TransferCost.loadStoreWrite(fabric, route, bytes);
    }
}
