package io.supernode.gas.fault;

/** An access, size or index outside the range it must lie in (a region's end, a segment's bounds, a negative length). */
public final class OutOfRangeFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public OutOfRangeFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
