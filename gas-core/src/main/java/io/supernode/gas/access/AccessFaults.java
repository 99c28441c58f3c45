package io.supernode.gas.access;

import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.PageTableEntry;
import io.supernode.gas.address.Region;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.NotContiguousFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnmappedAddressFault;
import io.supernode.gas.fault.UnsupportedAccessFault;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * The faults {@link NodeAccess} raises, one static method each. They build the exception and return it;
 * the caller checks and throws. Kept apart so the access methods hold only their checks: the message
 * building (string concatenation, address formatting) is a call the JIT sees on a branch that is never
 * taken, instead of code inlined into every load, store and transfer.
 */
final class AccessFaults {

    private AccessFaults() {
    }

    /** A scalar load or store at {@code address} where no region is mapped ({@code region == null}) or past its end. */
    static SupernodeFault outside(int self, long address, long size, Region region, boolean write) {
        String what = scalar(write);
        if (region == null) {
            return new UnmappedAddressFault("node " + self + " " + what + " of " + size + " bytes at "
                    + GlobalAddress.format(address) + ": no region is mapped there", address, NONE, self);
        }
        return new OutOfRangeFault("node " + self + " " + what + " of " + size + " bytes at "
                + GlobalAddress.format(address) + " runs past the end of " + region, address, region.id(), self);
    }

    /** A scalar load or store that {@code region}'s permissions refuse to node {@code self}. */
    static PermissionFault denied(int self, long address, long size, Region region, boolean write) {
        return denied(self, address, size, region, scalar(write));
    }

    /** An access that {@code region}'s permissions refuse to node {@code self}. */
    static PermissionFault denied(int self, long address, long size, Region region, String what) {
        return new PermissionFault("node " + self + " may not " + what + " " + size + " bytes at "
                + GlobalAddress.format(address) + " in " + region + ": permissions " + region.permissions(),
                address, region.id(), self);
    }

    /** A scalar load or store that would bypass the coherence protocol of {@code region}. */
    static UnsupportedAccessFault coherentBypass(int self, long address, Region region, boolean write) {
        return GlobalAddressSpace.coherentBypass(self, address, region, scalar(write));
    }

    /** An access while the whole supernode is closed. */
    static SupernodeClosedFault machineClosed(int self, long address, Region region) {
        return new SupernodeClosedFault("the supernode is closed", address, region.id(), self);
    }

    /** An access from or to node {@code closed}, which is closed while the supernode is not. */
    static NodeClosedFault nodeClosed(int self, int closed, long address, Region region) {
        return new NodeClosedFault("node " + closed + " is closed: node " + self + " cannot reach "
                + GlobalAddress.format(address), address, region.id(), self);
    }

    /** A load or store to another node over links that carry messages only: the fabric's, or between servers. */
    static UnsupportedAccessFault noLoadStore(Topology topology, int self, int node, long address, Region region) {
        String why = topology.link().loadStore()
                ? "node " + node + " is in another " + topology.groupNoun() + ", reached over "
                + topology.scaleOut().name() + ", which carries messages only"
                : "link profile " + topology.link().name() + " has no load/store path";
        return new UnsupportedAccessFault(why + ": node " + self + " cannot load or store at "
                + GlobalAddress.format(address) + " on node " + node + "; use the message path", address, region.id(), self);
    }

    /** An atomic of {@code size} bytes at an address that is not a multiple of {@code size}. */
    static MisalignedAtomicFault misaligned(int self, long address, int size, Region region) {
        return new MisalignedAtomicFault("node " + self + " atomic on " + size + " bytes at "
                + GlobalAddress.format(address) + " is not " + size + "-byte aligned", address,
                region == null ? NONE : region.id(), self);
    }

    /** A bulk copy whose local side (offset and length) does not fit the local segment. */
    static OutOfRangeFault localRange(int self, String what, long length, long localOffset, long localBytes, long address) {
        return new OutOfRangeFault("node " + self + " bulk " + what + " of " + length + " bytes at local offset "
                + localOffset + " does not fit a local segment of " + localBytes + " bytes", address, NONE, self);
    }

    /** A bulk {@code what} whose bytes would land in a read-only segment. */
    static OutOfRangeFault readOnlyDestination(int self, String what, long address) {
        return new OutOfRangeFault("node " + self + " bulk " + what + " needs a writable destination segment", address,
                NONE, self);
    }

    /** A view of no bytes or fewer. */
    static OutOfRangeFault emptyView(int self, long length, long address) {
        return new OutOfRangeFault("node " + self + " view of " + length + " bytes at "
                + GlobalAddress.format(address) + ": length must be positive", address, NONE, self);
    }

    /** A view whose {@code page} does not follow the frame of its first page, {@code first} (a packed entry). */
    static NotContiguousFault notContiguous(int self, long length, long address, Region region, int page, long first) {
        return new NotContiguousFault("node " + self + " cannot view " + length + " bytes at "
                + GlobalAddress.format(address) + ": page " + page + " is on node " + region.nodeOfPage(page)
                + " at a non-adjacent frame (first page on node " + PageTableEntry.node(first)
                + "); copy it with read() instead", address, region.id(), self);
    }

    /** How a scalar access names itself in its faults. */
    private static String scalar(boolean write) {
        return write ? "store" : "load";
    }
}
