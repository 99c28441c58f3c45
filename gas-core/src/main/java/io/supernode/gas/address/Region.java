package io.supernode.gas.address;

import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.memory.ByteSize;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A mapped range of the global address space: its pages, where each lives, and who may touch it.
 * Obtained from {@link GlobalAddressSpace#map}. The page table and permissions change only under the
 * address space's lock (migration, {@link GlobalAddressSpace#protect}); accesses read them without it.
 */
public final class Region {

    private final int id;
    private final String name;
    private final long sizeBytes;
    private final long pageSizeBytes;
    private final int pageShift;
    private final Placement placement;
    private final long[] pageTable;
    private AccessMode accessMode;
    private volatile Permissions permissions;
    private boolean[] readable;
    private boolean[] writable;
    private volatile boolean mapped = true;
    /**
     * The scope of the views handed out of this region. It is closed, so that every view kept from it faults,
     * whenever a page moves or goes away: on unmapping, on a migration, and before a node holding one of its
     * pages, or the machine, is unmapped (a view scoped here no longer dies with its node's memory).
     */
    private volatile Arena viewScope = Arena.ofShared();

    Region(int id, String name, long sizeBytes, long pageSizeBytes, Placement placement, long[] pageTable,
           Permissions permissions, AccessMode accessMode, int nodeCount) {
        this.id = id;
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Long.numberOfTrailingZeros(pageSizeBytes);
        this.placement = placement;
        this.pageTable = pageTable;
        this.accessMode = accessMode;
        setPermissions(permissions, nodeCount);
    }

    void setAccessMode(AccessMode mode) {
        accessMode = mode;
    }

    void setPermissions(Permissions p, int nodeCount) {
        boolean[] r = new boolean[nodeCount];
        boolean[] w = new boolean[nodeCount];
        for (int node = 0; node < nodeCount; node++) {
            r[node] = p.canRead(node);
            w[node] = p.canWrite(node);
        }
        readable = r;
        writable = w;
        permissions = p;
    }

    /** Region id: the high 16 bits of its addresses. */
    public int id() {
        return id;
    }

    /** The name it was mapped with. */
    public String name() {
        return name;
    }

    /** The first address of the region. */
    public long baseAddress() {
        return GlobalAddress.of(id, 0);
    }

    /**
     * The address {@code offset} bytes into the region. Offsets past the region's end are allowed (an access
     * there faults as out of range), but not those an address cannot hold: they would wrap to the start.
     *
     * @throws OutOfRangeFault when {@code offset} is negative or above {@link GlobalAddress#OFFSET_MASK}
     */
    public long address(long offset) {
        if (offset < 0 || offset > GlobalAddress.OFFSET_MASK) {
            throw new OutOfRangeFault("offset " + offset + " is outside " + this + ": an address holds offsets 0.."
                    + GlobalAddress.OFFSET_MASK, GlobalAddress.of(id, 0), id, SupernodeFault.NONE);
        }
        return GlobalAddress.of(id, offset);
    }

    /** Size in bytes; accesses at or past it fault. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The page size: the granularity of placement, interleaving and migration. */
    public long pageSizeBytes() {
        return pageSizeBytes;
    }

    /** log2 of the page size. */
    public int pageShift() {
        return pageShift;
    }

    /** Number of pages. */
    public int pageCount() {
        return pageTable.length;
    }

    /** The placement it was mapped with (migration may since have moved pages). */
    public Placement placement() {
        return placement;
    }

    /** The node holding the region's page table: translation misses are charged against it. */
    public int homeNode() {
        return placement.homeNode();
    }

    /** Current permissions. */
    public Permissions permissions() {
        return permissions;
    }

    /** Whether {@code node} may load from this region. */
    public boolean canRead(int node) {
        return readable[node];
    }

    /** Whether {@code node} may store to this region. */
    public boolean canWrite(int node) {
        return writable[node];
    }

    /** The packed {@link PageTableEntry} of page {@code pageIndex}. */
    public long entry(int pageIndex) {
        return pageTable[pageIndex];
    }

    void setEntry(int pageIndex, long entry) {
        pageTable[pageIndex] = entry;
    }

    /** The node currently holding page {@code pageIndex}. */
    public int nodeOfPage(int pageIndex) {
        return PageTableEntry.node(pageTable[pageIndex]);
    }

    /** Whether the region is still mapped. */
    public boolean isMapped() {
        return mapped;
    }

    /** Uncached or coherent. */
    public AccessMode accessMode() {
        return accessMode;
    }

    /** Whether its lines are kept coherent by a protocol, so that plain accesses must not reach it. */
    public boolean coherent() {
        return accessMode == AccessMode.COHERENT;
    }

    /**
     * {@code slice} of this region's frames as the view {@code NodeAccess.view} hands out: one that faults
     * (FFM's "Already closed") once the region's pages move or go away, instead of showing whatever is
     * mapped there next.
     */
    // Reinterpreting a segment's scope is a restricted FFM method; here it only narrows the segment's lifetime.
    @SuppressWarnings("restricted")
    public MemorySegment scopedView(MemorySegment slice) {
        return slice.reinterpret(viewScope, null);
    }

    /** Makes every view handed out so far fault; later views get a new scope unless the region is going away. */
    void endViews(boolean reopen) {
        Arena old = viewScope;
        viewScope = reopen ? Arena.ofShared() : old;
        if (old.scope().isAlive()) {
            old.close();
        }
    }

    void markUnmapped() {
        mapped = false;
    }

    @Override
    public String toString() {
        return "region " + id + " '" + name + "' (" + ByteSize.format(sizeBytes) + ", "
                + pageTable.length + (pageTable.length == 1 ? " page of " : " pages of ") + ByteSize.format(pageSizeBytes) + ")";
    }
}
