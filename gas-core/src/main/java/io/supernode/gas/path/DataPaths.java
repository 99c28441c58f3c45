package io.supernode.gas.path;

import io.supernode.gas.Supernode;
import io.supernode.gas.access.LocalSegments;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.MessagePlane;

import java.lang.foreign.MemorySegment;

/** Opens a {@link DataPath} of any kind but {@link PathKind#COHERENT}, which the coherence module provides. */
public final class DataPaths {

    private DataPaths() {
    }

    /**
     * {@code node}'s path of {@code kind} on {@code machine}; copy-based kinds send through {@code plane}
     * and wait through {@code waits}.
     *
     * @throws UnsupportedAccessFault for {@link PathKind#COHERENT}: a coherent region's domain hands out its paths
     */
    public static DataPath open(PathKind kind, Supernode machine, MessagePlane plane, int node, Waits waits) {
        return switch (kind) {
            case UNIFIED_LOAD -> new LoadStorePath(machine.node(node), machine.addressSpace(), machine.fabric(), true, waits, plane);
            case UNIFIED_COPY -> new LoadStorePath(machine.node(node), machine.addressSpace(), machine.fabric(), false, waits, plane);
            case SEND_RECV -> new CopyPath.SendReceive(node, plane, waits);
            case RPC -> new CopyPath.Rpc(node, plane, waits);
            case ONE_SIDED -> new CopyPath.OneSided(node, plane, waits);
            case COHERENT -> throw new UnsupportedAccessFault("node " + node + ": coherent paths come from the "
                    + "coherence domain that maps the region (CoherentMemory.path)", SupernodeFault.NONE,
                    SupernodeFault.NONE, node);
        };
    }

    /** Every node's path of {@code kind}, for one thread that drives every node in turn. */
    public static DataPath[] open(PathKind kind, Supernode machine, MessagePlane plane) {
        DataPath[] paths = new DataPath[machine.nodeCount()];
        for (int node = 0; node < paths.length; node++) {
            paths[node] = open(kind, machine, plane, node, Waits.SEQUENTIAL);
        }
        return paths;
    }

    /**
     * The checks every path's {@link DataPath#offer} runs, whether or not it moves anything: a path whose
     * readers load the bytes themselves still refuses a reader the machine lacks or a range that does not fit
     * {@code from}, as a path that sends them would.
     *
     * @throws OutOfRangeFault naming node {@code node}
     */
    public static void checkOffer(int node, int nodeCount, int reader, MemorySegment from, long offset, long length) {
        if (reader < 0 || reader >= nodeCount) {
            throw new OutOfRangeFault("node " + node + " cannot offer to node " + reader + ": the machine has nodes 0.."
                    + (nodeCount - 1), SupernodeFault.NONE, SupernodeFault.NONE, node);
        }
        LocalSegments.check(node, "offer", from, offset, length, false, SupernodeFault.NONE);
    }
}
