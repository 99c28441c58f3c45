package io.supernode.gas.fault;

/** Any use of a supernode after it was closed. */
public final class SupernodeClosedFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public SupernodeClosedFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
