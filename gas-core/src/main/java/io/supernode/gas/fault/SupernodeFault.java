package io.supernode.gas.fault;

/**
 * A fault raised by the emulated machine: a bad address, a forbidden access, a closed node, an
 * exhausted allocator, a bad configuration. Every fault names what was wrong and where: the global
 * address, the region and the node involved, where they apply. Faults are values, not crashes: an
 * operation that faults has changed no memory.
 */
public abstract sealed class SupernodeFault extends RuntimeException
        permits UnmappedAddressFault, OutOfRangeFault, PermissionFault, MisalignedAtomicFault,
        NodeClosedFault, SupernodeClosedFault, OutOfNodeMemoryFault, NotContiguousFault,
        UnsupportedAccessFault, ConfigFault, DomainClosedFault {

    /** Marks an absent address, region or node in a fault. */
    public static final long NONE = -1;

    private final long address;
    private final long regionId;
    private final long nodeId;

    SupernodeFault(String message, long address, long regionId, long nodeId) {
        super(message);
        this.address = address;
        this.regionId = regionId;
        this.nodeId = nodeId;
    }

    /** The global virtual address involved, or {@link #NONE}. */
    public long address() {
        return address;
    }

    /** The region involved, or {@link #NONE}. */
    public long regionId() {
        return regionId;
    }

    /** The node involved (the issuing node for access faults), or {@link #NONE}. */
    public long nodeId() {
        return nodeId;
    }

    /** Formats a global address the way faults and tools print it: region and offset in hex. */
    public static String hex(long address) {
        return String.format("0x%04x_%012x", address >>> 48, address & 0xFFFF_FFFF_FFFFL);
    }
}
