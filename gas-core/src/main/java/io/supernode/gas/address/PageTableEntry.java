package io.supernode.gas.address;

/**
 * A page-table entry packed in a long: the node in the high 16 bits, the physical offset within the
 * node's memory in the low 48. Adding an in-page offset to an entry gives the packed location of a
 * byte, so the hot path carries one long instead of a pair.
 */
public final class PageTableEntry {

    private static final int OFFSET_BITS = 48;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private PageTableEntry() {
    }

    /** Packs a node and a physical offset. */
    public static long pack(int node, long physicalOffset) {
        return ((long) node << OFFSET_BITS) | physicalOffset;
    }

    /** The node of a packed entry or location. */
    public static int node(long entry) {
        return (int) (entry >>> OFFSET_BITS);
    }

    /** The physical offset of a packed entry or location. */
    public static long offset(long entry) {
        return entry & OFFSET_MASK;
    }
}
