package io.supernode.gas.fault;

/** An atomic operation on an address that is not aligned to the operand's size. */
public final class MisalignedAtomicFault extends SupernodeFault {

    /** Creates the fault; the message names what was wrong and where. */
    public MisalignedAtomicFault(String message, long address, long regionId, long nodeId) {
        super(message, address, regionId, nodeId);
    }
}
