package io.supernode.gas.fault;

/** An access the fabric cannot perform, such as a load/store over a link profile that has no load/store path. */
public final class UnsupportedAccessFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public UnsupportedAccessFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
