package io.supernode.gas.address;

import io.supernode.gas.fault.SupernodeFault;

/**
 * The layout of a 64-bit global virtual address: the region id in the high 16 bits, the offset
 * within the region in the low 48. Translation therefore starts with an array index, not a search.
 * Region 0 is never mapped, so address 0 always faults.
 */
public final class GlobalAddress {

    /** Bits of the offset within a region: regions may be up to 256 TiB. */
    public static final int OFFSET_BITS = 48;
    /** Mask of the offset bits. */
    public static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    /** Region ids 1 .. MAX_REGION_ID are usable. */
    public static final int MAX_REGION_ID = (1 << (Long.SIZE - OFFSET_BITS)) - 1;

    private GlobalAddress() {
    }

    /** The region id of an address. */
    public static int regionId(long address) {
        return (int) (address >>> OFFSET_BITS);
    }

    /** The offset of an address within its region. */
    public static long offset(long address) {
        return address & OFFSET_MASK;
    }

    /** The address of {@code offset} in region {@code regionId}. */
    public static long of(int regionId, long offset) {
        return ((long) regionId << OFFSET_BITS) | (offset & OFFSET_MASK);
    }

    /** Hex with the region and offset apart, e.g. {@code 0x0003_000000010000}. */
    public static String format(long address) {
        return SupernodeFault.hex(address);
    }
}
