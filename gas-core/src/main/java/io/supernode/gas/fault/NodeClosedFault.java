package io.supernode.gas.fault;

/** An access issued by, or landing on, a node that has been closed. */
public final class NodeClosedFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public NodeClosedFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
