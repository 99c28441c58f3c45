package io.supernode.gas.fault;

/** A zero-copy view of a range that does not lie in one physically contiguous run of one node's memory. */
public final class NotContiguousFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public NotContiguousFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
