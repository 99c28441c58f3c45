package io.supernode.gas.fault;

/** Any use of something attached to a machine, such as a coherence domain, after it was closed. */
public final class DomainClosedFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public DomainClosedFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
