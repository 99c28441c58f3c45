package io.supernode.gas.fault;

/** A node's physical allocator cannot satisfy a request: its memory is exhausted or too fragmented. */
public final class OutOfNodeMemoryFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public OutOfNodeMemoryFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
