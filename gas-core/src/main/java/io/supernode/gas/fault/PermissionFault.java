package io.supernode.gas.fault;

/** An access the region's permissions do not grant to the issuing node. */
public final class PermissionFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public PermissionFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
