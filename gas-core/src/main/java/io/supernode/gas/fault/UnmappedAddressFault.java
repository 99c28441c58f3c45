package io.supernode.gas.fault;

/** An access to a global address that no mapped region covers. */
public final class UnmappedAddressFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public UnmappedAddressFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
