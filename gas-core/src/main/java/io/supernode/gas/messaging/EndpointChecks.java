package io.supernode.gas.messaging;

import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;

import java.lang.foreign.MemorySegment;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * The checks an endpoint's operations run before anything moves, each throwing the fault that names node
 * {@code self}. Static, so that a send pays no load of a checker object for them.
 */
final class EndpointChecks {

    private EndpointChecks() {
    }

    /** Faults unless {@code length} bytes at {@code offset} fit {@code segment}, the caller's side of {@code what}. */
    static void checkLocal(int self, MemorySegment segment, long offset, long length, String what) {
        if (length < 0 || offset < 0 || offset > segment.byteSize() - length) {
            throw new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes at local offset " + offset
                    + " does not fit a segment of " + segment.byteSize() + " bytes", NONE, NONE, self);
        }
    }

    /** Faults unless {@code node} is one of the machine's {@code nodeCount} nodes and neither it nor {@code self} is closed. */
    static void checkNode(int self, int nodeCount, GlobalAddressSpace space, int node, String what) {
        if (node < 0 || node >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot " + what + " node " + node + ": the machine has nodes 0.."
                    + (nodeCount - 1), NONE, NONE, self);
        }
        if (space.nodeClosed(node) || space.nodeClosed(self)) {
            throw new NodeClosedFault("node " + (space.nodeClosed(self) ? self : node) + " is closed: node " + self
                    + " cannot " + what + " node " + node, NONE, NONE, self);
        }
    }
}
