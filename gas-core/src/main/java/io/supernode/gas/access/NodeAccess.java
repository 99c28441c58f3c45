package io.supernode.gas.access;

import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.PageTableEntry;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.TranslationCache;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.NotContiguousFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The unified access path as one node sees it: plain loads and stores, bulk copies, remote atomics,
 * fences and zero-copy views, all by global address. Bytes move for real between the nodes' memory
 * segments; time is charged to this node's {@link VirtualClock} by the {@link FabricModel}.
 *
 * <p>Stores are posted: the issuer pays the issue cost and the store completes later; {@link #fence()}
 * waits for every posted store. Loads, atomics and bulk copies wait for their round trip. A scalar
 * that straddles a page boundary is split and completes before the call returns.
 *
 * <p>One thread drives a node's access path at a time (a node is one program). Faulting operations
 * change no memory: every check runs before the first byte moves. The checks are here; the faults they
 * throw are built by {@code AccessFaults}, so that no message building sits in the access methods' code.
 */
public final class NodeAccess extends ScalarAccess {

    // Atomics are aligned (checked), so the aligned layouts' handles apply; coordinates (segment, offset).
    private static final VarHandle INT_ATOMIC = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.varHandle();
    private static final long CROSSES_PAGE = -1;

    private final int self;
    private final GlobalAddressSpace space;
    private final FabricModel fabric;
    private final MemorySegment[] segments;
    private final RouteClass[] routeTo;
    /** Per node, whether this node's loads and stores reach it: not over messages-only links or between servers. */
    private final boolean[] loadStoreTo;
    /** Whether {@link #loadStoreTo} holds for every node, so that {@link #reaches} looks at no page. */
    private final boolean reachesAll;
    private final TranslationCache translations;
    private final VirtualClock clock = new VirtualClock();
    private final NodeStats stats;
    private final boolean timeEveryOp;
    private final HostTiming hostTiming;
    private final BooleanSupplier machineClosed;
    private final MemorySegment scratch = Arena.ofAuto().allocate(Long.BYTES, Long.BYTES);
    private final long[] bytesPerNode;
    private final IntArrayList touchedNodes = new IntArrayList();
    private long pendingWritesNanos;

    // A one-entry micro-TLB: the last page a scalar access translated, valid while the address space's
    // epoch is unchanged. It is always also in the translation cache, so a hit here counts as a hit there.
    private long lastPageNumber = -1;
    private int lastPageShift = Long.SIZE - 1;
    private long lastPageMask;
    private long lastPageLimit;
    private MemorySegment lastSegment;
    private long lastPhysical;
    private int lastNode;
    private RouteClass lastRoute;
    private boolean lastReadable;
    private boolean lastWritable;
    private int lastEpoch;
    // Counters of micro-TLB hits, all against lastNode, flushed into the stats when the entry changes
    // or the stats are read: the hot path then updates plain fields instead of the stats' arrays.
    private long hitLoads;
    private long hitLoadBytes;
    private long hitLoadNanos;
    private long hitStores;
    private long hitStoreBytes;
    private long hitStoreNanos;

    /**
     * The access path of node {@code self}. Built by the supernode; one per node.
     *
     * @param machineClosed tells closed-machine faults from closed-node faults
     */
    public NodeAccess(int self, GlobalAddressSpace space, FabricModel fabric, HostTiming hostTiming,
                      BooleanSupplier machineClosed) {
        this.self = self;
        this.space = space;
        this.fabric = fabric;
        int nodes = space.nodeCount();
        this.segments = new MemorySegment[nodes];
        this.routeTo = new RouteClass[nodes];
        this.loadStoreTo = new boolean[nodes];
        for (int node = 0; node < nodes; node++) {
            segments[node] = space.nodeSegment(node);
            routeTo[node] = fabric.topology().routeClass(self, node);
            loadStoreTo[node] = fabric.topology().loadStoreReaches(self, node);
        }
        this.reachesAll = fabric.topology().loadStoreEverywhere();
        this.translations = space.translationCache(self);
        this.stats = new NodeStats(self, nodes);
        this.timeEveryOp = hostTiming == HostTiming.EVERY_OP;
        this.hostTiming = hostTiming;
        this.machineClosed = machineClosed;
        this.bytesPerNode = new long[nodes];
    }

    /** The node this path issues from. */
    public int nodeId() {
        return self;
    }

    /** This node's modeled time. */
    public VirtualClock clock() {
        return clock;
    }

    /** This node's counters, up to date as of this call; read them again after further operations. */
    public NodeStats stats() {
        flushHits();
        return stats;
    }

    private void flushHits() {
        // The message path asks for the counters on every message; most of the time there is nothing to flush.
        if (hitLoads == 0 && hitStores == 0) {
            return;
        }
        if (hitLoads > 0) {
            stats.record(OpKind.LOAD, hitLoads, hitLoadBytes, hitLoadNanos);
            stats.readFrom(lastNode, hitLoadBytes);
        }
        if (hitStores > 0) {
            stats.record(OpKind.STORE, hitStores, hitStoreBytes, hitStoreNanos);
            stats.wroteTo(lastNode, hitStoreBytes);
        }
        stats.translationHits(hitLoads + hitStores);
        hitLoads = 0;
        hitLoadBytes = 0;
        hitLoadNanos = 0;
        hitStores = 0;
        hitStoreBytes = 0;
        hitStoreNanos = 0;
    }

    /** The modeled time at which every store posted so far will have completed. */
    public long pendingWritesNanos() {
        return pendingWritesNanos;
    }

    // ---- sized loads and stores (the typed ones are ScalarAccess's) ----------------------------

    @Override
    protected long load(long address, int size) {
        try {
            return loadUnguarded(address, size);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    private long loadUnguarded(long address, int size) {
        long hostStart = timeEveryOp ? System.nanoTime() : 0;
        long bits;
        long inPage = address & lastPageMask;
        if (address >>> lastPageShift == lastPageNumber && inPage <= lastPageLimit - size && lastReadable
                && lastEpoch == space.epoch()) {
            bits = getSized(lastSegment, lastPhysical + inPage, size);
            long cost = fabric.scalarReadNanos(lastRoute, size);
            clock.advanceBy(cost);
            hitLoads++;
            hitLoadBytes += size;
            hitLoadNanos += cost;
        } else {
            long location = locate(address, size, false);
            if (location == CROSSES_PAGE) {
                transfer(address, scratch, 0, size, false, OpKind.LOAD);
                bits = getSized(scratch, 0, size);
            } else {
                int node = PageTableEntry.node(location);
                bits = getSized(segments[node], PageTableEntry.offset(location), size);
                chargeLoad(node, routeTo[node], size);
            }
        }
        if (timeEveryOp) {
            stats.recordHost(OpKind.LOAD, System.nanoTime() - hostStart);
        }
        return bits;
    }

    private void chargeLoad(int node, RouteClass rc, int size) {
        long cost = fabric.scalarReadNanos(rc, size);
        clock.advanceBy(cost);
        stats.record(OpKind.LOAD, size, cost);
        stats.readFrom(node, size);
    }

    @Override
    protected void store(long address, int size, long bits) {
        try {
            storeUnguarded(address, size, bits);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    private void storeUnguarded(long address, int size, long bits) {
        long hostStart = timeEveryOp ? System.nanoTime() : 0;
        long inPage = address & lastPageMask;
        if (address >>> lastPageShift == lastPageNumber && inPage <= lastPageLimit - size && lastWritable
                && lastEpoch == space.epoch()) {
            putSized(lastSegment, lastPhysical + inPage, size, bits);
            pendingWritesNanos = Math.max(pendingWritesNanos, clock.nowNanos() + fabric.scalarWriteNanos(lastRoute, size));
            long cost = fabric.scalarPostNanos(lastRoute, size);
            clock.advanceBy(cost);
            hitStores++;
            hitStoreBytes += size;
            hitStoreNanos += cost;
        } else {
            long location = locate(address, size, true);
            if (location == CROSSES_PAGE) {
                putSized(scratch, 0, size, bits);
                transfer(address, scratch, 0, size, true, OpKind.STORE);
            } else {
                int node = PageTableEntry.node(location);
                putSized(segments[node], PageTableEntry.offset(location), size, bits);
                chargeStore(node, routeTo[node], size);
            }
        }
        if (timeEveryOp) {
            stats.recordHost(OpKind.STORE, System.nanoTime() - hostStart);
        }
    }

    private void chargeStore(int node, RouteClass rc, int size) {
        pendingWritesNanos = Math.max(pendingWritesNanos, clock.nowNanos() + fabric.scalarWriteNanos(rc, size));
        long cost = fabric.scalarPostNanos(rc, size);
        clock.advanceBy(cost);
        stats.record(OpKind.STORE, size, cost);
        stats.wroteTo(node, size);
    }

    /**
     * Checks and translates a scalar access: the packed location of its first byte, or
     * {@link #CROSSES_PAGE} when it straddles a page boundary (the caller splits it).
     */
    private long locate(long address, int size, boolean write) {
        Region region = space.regionById(GlobalAddress.regionId(address));
        long offset = GlobalAddress.offset(address);
        if (region == null || offset > region.sizeBytes() - size) {
            throw AccessFaults.outside(self, address, size, region, write);
        }
        if (!(write ? region.canWrite(self) : region.canRead(self))) {
            throw AccessFaults.denied(self, address, size, region, write);
        }
        if (region.coherent()) {
            throw AccessFaults.coherentBypass(self, address, region, write);
        }
        long pageMask = region.pageSizeBytes() - 1;
        long inPage = offset & pageMask;
        if (inPage > region.pageSizeBytes() - size) {
            return CROSSES_PAGE;
        }
        long page = offset >>> region.pageShift();
        int epoch = space.epoch();
        long location = region.entry((int) page) + inPage;
        int node = PageTableEntry.node(location);
        checkReachable(address, region, node);
        translate(region, page);
        remember(address, region, page, location - inPage, node, epoch);
        return location;
    }

    /** Fills the micro-TLB with the page just translated, as seen at {@code epoch}. */
    private void remember(long address, Region region, long page, long pageEntry, int node, int epoch) {
        flushHits();
        lastPageShift = region.pageShift();
        lastPageNumber = address >>> lastPageShift;
        lastPageMask = region.pageSizeBytes() - 1;
        lastPageLimit = Math.min(region.pageSizeBytes(), region.sizeBytes() - (page << lastPageShift));
        lastSegment = segments[node];
        lastPhysical = PageTableEntry.offset(pageEntry);
        lastNode = node;
        lastRoute = routeTo[node];
        lastReadable = region.canRead(self);
        lastWritable = region.canWrite(self);
        lastEpoch = epoch;
    }

    private void translate(Region region, long page) {
        translatePages(region, page, page);
    }

    /**
     * Looks pages {@code first..last} up in the translation cache. Every miss is counted and its walk
     * (an 8-byte read of the entry from the region's home node) travels the fabric, but only the first
     * walk is on the critical path: a copy engine walks the following pages while earlier ones stream.
     */
    private void translatePages(Region region, long first, long last) {
        boolean charged = false;
        for (long page = first; page <= last; page++) {
            boolean hit = translations.access(region.id(), page);
            stats.translation(hit);
            if (!hit) {
                long cost = charged ? 0 : fabric.translationMissNanos(self, region.homeNode());
                charged = true;
                clock.advanceBy(cost);
                stats.record(OpKind.TRANSLATION_MISS, Long.BYTES, cost);
                stats.pageTableRead(region.homeNode(), Long.BYTES);
            }
        }
    }

    private void checkReachable(long address, Region region, int node) {
        if (space.nodeClosed(node) || space.nodeClosed(self)) {
            if (machineClosed.getAsBoolean()) {
                throw AccessFaults.machineClosed(self, address, region);
            }
            throw AccessFaults.nodeClosed(self, space.nodeClosed(self) ? self : node, address, region);
        }
        if (!loadStoreTo[node]) {
            throw AccessFaults.noLoadStore(fabric.topology(), self, node, address, region);
        }
    }

    // ---- atomics and fences -----------------------------------------------------------------

    /** Atomically sets the int at {@code address} to {@code update} if it equals {@code expected}. */
    public boolean compareAndSetInt(long address, int expected, int update) {
        long location = locateAtomic(address, Integer.BYTES);
        try {
            return (boolean) INT_ATOMIC.compareAndSet(segments[PageTableEntry.node(location)],
                PageTableEntry.offset(location), expected, update);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Atomically sets the long at {@code address} to {@code update} if it equals {@code expected}. */
    public boolean compareAndSetLong(long address, long expected, long update) {
        long location = locateAtomic(address, Long.BYTES);
        try {
            return (boolean) LONG_ATOMIC.compareAndSet(segments[PageTableEntry.node(location)],
                PageTableEntry.offset(location), expected, update);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Atomically adds {@code delta} to the int at {@code address}; returns the previous value. */
    public int getAndAddInt(long address, int delta) {
        long location = locateAtomic(address, Integer.BYTES);
        try {
            return (int) INT_ATOMIC.getAndAdd(segments[PageTableEntry.node(location)], PageTableEntry.offset(location), delta);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Atomically adds {@code delta} to the long at {@code address}; returns the previous value. */
    public long getAndAddLong(long address, long delta) {
        long location = locateAtomic(address, Long.BYTES);
        try {
            return (long) LONG_ATOMIC.getAndAdd(segments[PageTableEntry.node(location)], PageTableEntry.offset(location), delta);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Atomically replaces the int at {@code address}; returns the previous value. */
    public int getAndSetInt(long address, int value) {
        long location = locateAtomic(address, Integer.BYTES);
        try {
            return (int) INT_ATOMIC.getAndSet(segments[PageTableEntry.node(location)], PageTableEntry.offset(location), value);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Atomically replaces the long at {@code address}; returns the previous value. */
    public long getAndSetLong(long address, long value) {
        long location = locateAtomic(address, Long.BYTES);
        try {
            return (long) LONG_ATOMIC.getAndSet(segments[PageTableEntry.node(location)], PageTableEntry.offset(location), value);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /** Checks, translates and charges an atomic; it needs read and write permission and natural alignment. */
    private long locateAtomic(long address, int size) {
        if ((address & (size - 1)) != 0) {
            throw AccessFaults.misaligned(self, address, size, space.regionById(GlobalAddress.regionId(address)));
        }
        Region region = space.regionById(GlobalAddress.regionId(address));
        if (region != null && !region.canRead(self)) {
            throw AccessFaults.denied(self, address, size, region, "atomically read");
        }
        // Frames are page-aligned and pages are at least 4 KiB, so an aligned atomic never straddles a page.
        long location = locate(address, size, true);
        int node = PageTableEntry.node(location);
        long cost = fabric.atomicNanos(routeTo[node]);
        clock.advanceBy(cost);
        stats.record(OpKind.ATOMIC, size, cost);
        stats.readFrom(node, size);
        stats.wroteTo(node, size);
        return location;
    }

    /** Waits (in modeled time) until every store this node posted has completed. */
    public void fence() {
        long waited = Math.max(0, pendingWritesNanos - clock.nowNanos());
        clock.advanceTo(pendingWritesNanos);
        stats.record(OpKind.FENCE, 0, waited);
        VarHandle.fullFence();
    }

    // ---- bulk copies and views --------------------------------------------------------------

    /**
     * Whether this node's loads and stores reach every byte of the {@code length} bytes at {@code address}: false
     * only where some of them lie in another server of stacked servers. An address no region holds counts as
     * reached, so that the access itself raises its fault.
     */
    public boolean reaches(long address, long length) {
        if (reachesAll) {
            return true;
        }
        Region region = space.regionById(GlobalAddress.regionId(address));
        long offset = GlobalAddress.offset(address);
        if (region == null || length <= 0 || offset >= region.sizeBytes()) {
            return true;
        }
        long last = Math.min(offset + length, region.sizeBytes()) - 1;
        for (long page = offset >>> region.pageShift(); page <= last >>> region.pageShift(); page++) {
            if (!loadStoreTo[region.nodeOfPage((int) page)]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies {@code length} bytes at global {@code address} into {@code dst} at {@code dstOffset}.
     * The range may cross pages and nodes; it must lie in one region.
     */
    public void read(long address, MemorySegment dst, long dstOffset, long length) {
        boolean timed = hostTiming.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        transfer(address, dst, dstOffset, length, false, OpKind.BULK_READ);
        if (timed) {
            stats.recordHost(OpKind.BULK_READ, System.nanoTime() - hostStart);
        }
    }

    /**
     * Copies {@code length} bytes of {@code src} at {@code srcOffset} to global {@code address}; returns
     * when the write is complete at every target.
     */
    public void write(MemorySegment src, long srcOffset, long address, long length) {
        boolean timed = hostTiming.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        transfer(address, src, srcOffset, length, true, OpKind.BULK_WRITE);
        if (timed) {
            stats.recordHost(OpKind.BULK_WRITE, System.nanoTime() - hostStart);
        }
    }

    private void transfer(long address, MemorySegment local, long localOffset, long length, boolean write, OpKind kind) {
        String what = write ? "write" : "read";
        LocalSegments.check(self, what, local, localOffset, length, !write, address);
        Region region = checkedRange(address, length, write, what);
        if (length == 0) {
            return;
        }
        long offset = GlobalAddress.offset(address);
        long firstPage = offset >>> region.pageShift();
        long lastPage = (offset + length - 1) >>> region.pageShift();
        for (long page = firstPage; page <= lastPage; page++) {
            checkReachable(address, region, region.nodeOfPage((int) page));
        }
        long start = clock.nowNanos();
        translatePages(region, firstPage, lastPage);
        long issue = clock.nowNanos();
        space.forEachRun(region, address, length, (node, physical, runLength, rangeOffset) ->
                copyRun(node, physical, runLength, local, localOffset + rangeOffset, write));
        long completion = issue;
        for (int i = 0; i < touchedNodes.size(); i++) {
            int node = touchedNodes.get(i);
            long bytes = bytesPerNode[node];
            bytesPerNode[node] = 0;
            completion = Math.max(completion, write
                    ? fabric.bulkWrite(self, node, bytes, issue)
                    : fabric.bulkRead(self, node, bytes, issue));
            if (write) {
                stats.wroteTo(node, bytes);
            } else {
                stats.readFrom(node, bytes);
            }
        }
        touchedNodes.clear();
        clock.advanceTo(completion);
        stats.record(kind, length, clock.nowNanos() - start);
    }

    private void copyRun(int node, long physical, long length, MemorySegment local, long localOffset, boolean write) {
        try {
            if (write) {
                MemorySegment.copy(local, localOffset, segments[node], physical, length);
            } else {
                MemorySegment.copy(segments[node], physical, local, localOffset, length);
            }
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, SupernodeFault.NONE, e);
        }
        if (bytesPerNode[node] == 0) {
            touchedNodes.add(node);
        }
        bytesPerNode[node] += length;
    }

    private Region checkedRange(long address, long length, boolean write, String what) {
        return space.checkRange(self, address, length, write, what);
    }

    /**
     * A zero-copy view of {@code length} bytes at {@code address}, charged as reading them. The range
     * must lie in one physically contiguous run of one node's memory (any range of a region placed on
     * one node qualifies until a page migrates). The view is read-only unless this node may write the
     * region, and it lives as long as the pages stay where they are: once the region is unmapped, one of
     * its pages migrates, or a node holding one of its pages (or the machine) closes, every access through
     * the view fails with FFM's {@code IllegalStateException} ("Already closed") instead of reaching
     * memory that may belong to someone else by then. Take a new view after such a change.
     *
     * @throws NotContiguousFault when the range spans nodes or non-adjacent frames
     */
    public MemorySegment view(long address, long length) {
        boolean timed = hostTiming.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        if (length <= 0) {
            throw AccessFaults.emptyView(self, length, address);
        }
        Region region = checkedRange(address, length, false, "view");
        long offset = GlobalAddress.offset(address);
        int firstPage = (int) (offset >>> region.pageShift());
        int lastPage = (int) ((offset + length - 1) >>> region.pageShift());
        long first = region.entry(firstPage);
        for (int page = firstPage + 1; page <= lastPage; page++) {
            if (region.entry(page) != first + (page - firstPage) * region.pageSizeBytes()) {
                throw AccessFaults.notContiguous(self, length, address, region, page, first);
            }
        }
        int node = PageTableEntry.node(first);
        checkReachable(address, region, node);
        long physical = PageTableEntry.offset(first) + (offset & (region.pageSizeBytes() - 1));
        MemorySegment slice = segments[node].asSlice(physical, length);
        MemorySegment view;
        try {
            view = region.scopedView(region.canWrite(self) ? slice : slice.asReadOnly());
        } catch (IllegalStateException e) {
            // The region's pages moved or went away on another thread since the checks: look again, nothing
            // charged yet.
            return view(address, length);
        }
        long start = clock.nowNanos();
        translatePages(region, firstPage, lastPage);
        clock.advanceTo(fabric.bulkRead(self, node, length, clock.nowNanos()));
        stats.readFrom(node, length);
        stats.record(OpKind.VIEW, length, clock.nowNanos() - start);
        if (timed) {
            stats.recordHost(OpKind.VIEW, System.nanoTime() - hostStart);
        }
        return view;
    }
}
