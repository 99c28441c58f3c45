package io.supernode.gas.address;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfNodeMemoryFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnmappedAddressFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.memory.NodeMemory;
import org.eclipse.collections.api.factory.primitive.IntObjectMaps;
import org.eclipse.collections.api.list.primitive.MutableLongList;
import org.eclipse.collections.api.map.primitive.MutableIntObjectMap;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * The global virtual address space: regions mapped onto the nodes' memories by a placement, with
 * per-page migration and unmapping. Translation is two array indexings (region table, page table).
 *
 * <p>Invariant: memory that no page maps is zero and uncommitted. Frames are discarded
 * ({@code MADV_DONTNEED}) when freed, so a new mapping reads as zero and an unmapped one costs no RSS.
 *
 * <p>Mapping, migration, protection and unmapping take this object's lock; accesses do not. Changing a
 * region while another thread accesses it is that caller's race, as it would be on real hardware:
 * the accessor may see the old or the new page, never memory outside a node's reservation.
 */
public final class GlobalAddressSpace {

    private final NodeMemory[] nodes;
    private final long defaultPageSizeBytes;
    private final TranslationCache[] caches;
    private final Region[] regions = new Region[GlobalAddress.MAX_REGION_ID + 1];
    private int nextRegionId = 1;
    private int mappedRegions;
    /** Bumped by every change that can invalidate a cached translation; access paths compare it. */
    private volatile int epoch;
    private volatile boolean closed;

    /**
     * An empty address space over {@code nodes}' memories.
     *
     * @param defaultPageSizeBytes page size of regions that do not name one
     * @param translationCacheEntries entries of each node's translation cache
     */
    public GlobalAddressSpace(NodeMemory[] nodes, long defaultPageSizeBytes, int translationCacheEntries) {
        if (defaultPageSizeBytes < 4096 || Long.bitCount(defaultPageSizeBytes) != 1) {
            throw new ConfigFault("default page size must be a power of two >= 4096, got " + defaultPageSizeBytes);
        }
        this.nodes = nodes.clone();
        this.defaultPageSizeBytes = defaultPageSizeBytes;
        this.caches = new TranslationCache[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            caches[i] = new TranslationCache(translationCacheEntries);
        }
    }

    /** Number of nodes the space spans. */
    public int nodeCount() {
        return nodes.length;
    }

    /** The page size of regions mapped without one. */
    public long defaultPageSizeBytes() {
        return defaultPageSizeBytes;
    }

    /** Node {@code node}'s translation cache. */
    public TranslationCache translationCache(int node) {
        return caches[node];
    }

    /** The memory segment of node {@code node}: the target of packed page-table entries. */
    public MemorySegment nodeSegment(int node) {
        return nodes[node].segment();
    }

    /** Whether node {@code node} is closed. */
    public boolean nodeClosed(int node) {
        return nodes[node].isClosed();
    }

    /**
     * Maps a region: allocates each node's share of its pages (contiguously where the node's memory
     * allows, so single-node regions can be viewed without copying) and fills the page table.
     *
     * @throws ConfigFault          when the placement names a node outside the machine or does not fit the size
     * @throws OutOfNodeMemoryFault when a node's memory cannot hold its share; nothing stays allocated
     * @throws NodeClosedFault      when a placement node is closed
     */
    public synchronized Region map(RegionSpec spec) {
        long pageSize = spec.pageSizeBytes() == 0 ? defaultPageSizeBytes : spec.pageSizeBytes();
        long pages = (spec.sizeBytes() + pageSize - 1) / pageSize;
        if (pages > Integer.MAX_VALUE || spec.sizeBytes() > GlobalAddress.OFFSET_MASK) {
            throw new ConfigFault("region " + spec.name() + " of " + ByteSize.format(spec.sizeBytes())
                    + " needs " + pages + " pages of " + ByteSize.format(pageSize) + "; use larger pages (max 2^31 pages, 256 TiB)");
        }
        Placement placement = spec.placement();
        placement.nodes().forEach(node -> {
            if (node >= nodes.length) {
                throw new ConfigFault("region " + spec.name() + " placed on node " + node + " but the machine has "
                        + nodes.length + " nodes (0.." + (nodes.length - 1) + ")");
            }
            if (nodes[node].isClosed()) {
                throw new NodeClosedFault("region " + spec.name() + " placed on closed node " + node, NONE, NONE, node);
            }
        });
        if (placement instanceof Placement.Explicit explicit && explicit.nodeOfPageList().size() != pages) {
            throw new ConfigFault("region " + spec.name() + " has " + pages + " pages but its explicit placement names "
                    + explicit.nodeOfPageList().size());
        }
        int id = takeRegionId(spec.name());
        long[] pageTable = allocatePages(spec.name(), id, placement, (int) pages, pageSize);
        Region region = new Region(id, spec.name(), spec.sizeBytes(), pageSize, placement, pageTable,
                spec.permissions(), spec.accessMode(), nodes.length);
        regions[id] = region;
        mappedRegions++;
        return region;
    }

    private int takeRegionId(String name) {
        if (mappedRegions == GlobalAddress.MAX_REGION_ID) {
            throw new ConfigFault("cannot map region " + name + ": all " + GlobalAddress.MAX_REGION_ID
                    + " region ids are in use");
        }
        while (regions[nextRegionId] != null) {
            nextRegionId = nextRegionId == GlobalAddress.MAX_REGION_ID ? 1 : nextRegionId + 1;
        }
        int id = nextRegionId;
        nextRegionId = nextRegionId == GlobalAddress.MAX_REGION_ID ? 1 : nextRegionId + 1;
        return id;
    }

    private long[] allocatePages(String name, int regionId, Placement placement, int pages, long pageSize) {
        int[] pagesOnNode = new int[nodes.length];
        for (int p = 0; p < pages; p++) {
            pagesOnNode[placement.nodeOfPage(p)]++;
        }
        MutableIntObjectMap<MutableLongList> frames = IntObjectMaps.mutable.empty();
        try {
            for (int node = 0; node < nodes.length; node++) {
                if (pagesOnNode[node] > 0) {
                    frames.put(node, framesOn(node, pagesOnNode[node], pageSize));
                }
            }
        } catch (OutOfNodeMemoryFault e) {
            frames.forEachKeyValue((node, list) -> list.forEach(frame -> nodes[node].allocator().free(frame, pageSize)));
            throw new OutOfNodeMemoryFault("cannot map region " + name + ": " + e.getMessage(), NONE, regionId, e.nodeId());
        }
        long[] table = new long[pages];
        int[] next = new int[nodes.length];
        for (int p = 0; p < pages; p++) {
            int node = placement.nodeOfPage(p);
            table[p] = PageTableEntry.pack(node, frames.get(node).get(next[node]++));
        }
        return table;
    }

    /**
     * Pages at least this large are backed by the OS's huge pages where it allows: a region mapped with them is
     * meant to be touched in bulk (the x86-64 and arm64 transparent huge page, 2 MiB).
     */
    public static final long HUGE_PAGE_BYTES = 2L << 20;

    /**
     * Frames for {@code count} pages on {@code node}: one contiguous extent if possible, else page by page. An extent of
     * {@link #HUGE_PAGE_BYTES} pages or larger is advised as bulk memory.
     */
    private MutableLongList framesOn(int node, int count, long pageSize) {
        MutableLongList frames = new LongArrayList(count);
        try {
            long base = nodes[node].allocator().allocate(count * pageSize, pageSize);
            for (int i = 0; i < count; i++) {
                frames.add(base + i * pageSize);
            }
            if (pageSize >= HUGE_PAGE_BYTES) {
                nodes[node].adviseBulk(base, count * pageSize);
            }
            return frames;
        } catch (OutOfNodeMemoryFault fragmented) {
            try {
                for (int i = 0; i < count; i++) {
                    frames.add(nodes[node].allocator().allocate(pageSize, pageSize));
                }
                return frames;
            } catch (OutOfNodeMemoryFault exhausted) {
                frames.forEach(frame -> nodes[node].allocator().free(frame, pageSize));
                throw exhausted;
            }
        }
    }

    /**
     * The translation epoch: it changes whenever a page moves, a region is unmapped or reprotected, or a
     * node closes. An access path may reuse a translation only while the epoch it saw is current.
     */
    public int epoch() {
        return epoch;
    }

    /** Invalidates every cached translation, e.g. because a node closed. */
    public void invalidateTranslations() {
        epoch++;
    }

    /** The region with this id, or {@code null}: the hot path's first step. */
    public Region regionById(int regionId) {
        return regions[regionId];
    }

    /**
     * The region containing {@code address}.
     *
     * @throws UnmappedAddressFault when none does
     */
    public Region regionOf(long address) {
        Region r = regions[GlobalAddress.regionId(address)];
        if (r == null || GlobalAddress.offset(address) >= r.sizeBytes()) {
            throw new UnmappedAddressFault("no mapped region holds " + GlobalAddress.format(address), address,
                    r == null ? NONE : r.id(), NONE);
        }
        return r;
    }

    /** The node whose memory holds {@code address} now. */
    public int nodeOf(long address) {
        Region r = regionOf(address);
        return PageTableEntry.node(r.entry((int) (GlobalAddress.offset(address) >>> r.pageShift())));
    }

    /** Whether the first and the last of the {@code length} bytes at {@code address} are in {@code node}'s memory now. */
    public boolean onNode(int node, long address, long length) {
        return nodeOf(address) == node && nodeOf(address + length - 1) == node;
    }

    /**
     * Where {@code address} lives now.
     *
     * @throws SupernodeClosedFault once the machine is closed: nothing lives anywhere then
     */
    public Translation translate(long address) {
        if (closed) {
            throw new SupernodeClosedFault("the supernode is closed: " + GlobalAddress.format(address)
                    + " has no location", address, GlobalAddress.regionId(address), NONE);
        }
        Region r = regionOf(address);
        long offset = GlobalAddress.offset(address);
        int page = (int) (offset >>> r.pageShift());
        long entry = r.entry(page);
        return new Translation(address, r.id(), page, PageTableEntry.node(entry),
                PageTableEntry.offset(entry) + (offset & (r.pageSizeBytes() - 1)));
    }

    /**
     * Checks that node {@code node} may {@code what} ({@code "read"}, {@code "write"}, ...) the
     * {@code length} bytes at {@code address}: mapped, inside one region, permitted.
     *
     * @return the region holding the range
     * @throws UnmappedAddressFault when no region is mapped at {@code address}
     * @throws OutOfRangeFault      when the range is negative or runs past the region's end
     * @throws PermissionFault when the region's permissions refuse it
     */
    public Region checkRange(int node, long address, long length, boolean write, String what) {
        Region region = regions[GlobalAddress.regionId(address)];
        long offset = GlobalAddress.offset(address);
        if (region == null) {
            throw new UnmappedAddressFault("node " + node + " " + what + " of " + length + " bytes at "
                    + GlobalAddress.format(address) + ": no region is mapped there", address, NONE, node);
        }
        // Half-open, as MemorySegment's slices are: an empty range at the region's very end is inside it.
        if (length < 0 || offset > region.sizeBytes() - length) {
            throw new OutOfRangeFault("node " + node + " " + what + " of " + length + " bytes at "
                    + GlobalAddress.format(address) + " runs past the end of " + region, address, region.id(), node);
        }
        if (!(write ? region.canWrite(node) : region.canRead(node))) {
            throw new PermissionFault("node " + node + " may not " + what + " " + length
                    + " bytes at " + GlobalAddress.format(address) + " in " + region + ": permissions "
                    + region.permissions(), address, region.id(), node);
        }
        if (region.coherent()) {
            throw coherentBypass(node, address, region, what);
        }
        return region;
    }

    /** The fault for a plain access to a coherent region, which would bypass the protocol. */
    public static UnsupportedAccessFault coherentBypass(int node, long address, Region region, String what) {
        return new UnsupportedAccessFault("node " + node + " may not " + what + " at " + GlobalAddress.format(address)
                + " directly: " + region + " is mapped COHERENT, so it is reached through its coherence domain",
                address, region.id(), node);
    }

    /**
     * A piece of a global range that lies contiguously in one node's memory.
     *
     * @param node           the node holding it
     * @param physicalOffset where it starts in that node's memory
     * @param length         its length
     * @param rangeOffset    where it starts within the range asked for
     */
    public record Run(int node, long physicalOffset, long length, long rangeOffset) {
    }

    /** Receives the runs {@link #forEachRun} finds. */
    @FunctionalInterface
    public interface RunConsumer {
        /** One run: {@code length} bytes at {@code physicalOffset} of {@code node}, {@code rangeOffset} into the range. */
        void accept(int node, long physicalOffset, long length, long rangeOffset);
    }

    /**
     * Walks {@code [address, address + length)} of {@code region} page by page and hands each maximal run
     * that is contiguous in one node's memory to {@code consumer}, in address order. The caller has
     * checked that the range lies in the region. Both access paths split ranges here.
     */
    public void forEachRun(Region region, long address, long length, RunConsumer consumer) {
        long offset = GlobalAddress.offset(address);
        long pageSize = region.pageSizeBytes();
        long done = 0;
        long runLocation = -1;
        long runLength = 0;
        long runStart = 0;
        while (done < length) {
            long at = offset + done;
            long inPage = at & (pageSize - 1);
            long chunk = Math.min(pageSize - inPage, length - done);
            long location = region.entry((int) (at >>> region.pageShift())) + inPage;
            if (runLength > 0 && location == runLocation + runLength
                    && PageTableEntry.node(location) == PageTableEntry.node(runLocation)) {
                runLength += chunk;
            } else {
                if (runLength > 0) {
                    consumer.accept(PageTableEntry.node(runLocation), PageTableEntry.offset(runLocation), runLength, runStart);
                }
                runLocation = location;
                runLength = chunk;
                runStart = done;
            }
            done += chunk;
        }
        if (runLength > 0) {
            consumer.accept(PageTableEntry.node(runLocation), PageTableEntry.offset(runLocation), runLength, runStart);
        }
    }

    /** The runs of {@link #forEachRun} as a list. */
    public List<Run> runs(Region region, long address, long length) {
        List<Run> runs = new ArrayList<>();
        forEachRun(region, address, length, (node, physical, runLength, rangeOffset) ->
                runs.add(new Run(node, physical, runLength, rangeOffset)));
        return runs;
    }

    /** Every mapped region, in id order. */
    public synchronized List<Region> regions() {
        List<Region> all = new ArrayList<>(mappedRegions);
        for (Region r : regions) {
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    /** Replaces a region's permissions. */
    public synchronized void protect(Region region, Permissions permissions) {
        requireMapped(region);
        region.setPermissions(permissions, nodes.length);
        epoch++;
    }

    /**
     * Changes how a region is reached: a coherence domain that closes hands its regions back as
     * {@link AccessMode#UNCACHED}, once home memory holds every value written, so that their data stays
     * reachable. Like {@link #protect}, every node sees the change from its next access.
     */
    public synchronized void changeAccessMode(Region region, AccessMode mode) {
        requireMapped(region);
        region.setAccessMode(mode);
        epoch++;
    }

    /**
     * Moves the page holding {@code address} to {@code toNode}: its bytes are copied, the page table
     * updated, the old frame zeroed and freed, and every node's cached translation shot down. The
     * address stays the same.
     */
    public synchronized void migratePage(long address, int toNode) {
        Region region = regionOf(address);
        if (toNode < 0 || toNode >= nodes.length) {
            throw new OutOfRangeFault("cannot migrate " + GlobalAddress.format(address) + " to node " + toNode
                    + ": the machine has nodes 0.." + (nodes.length - 1), address, region.id(), toNode);
        }
        int page = (int) (GlobalAddress.offset(address) >>> region.pageShift());
        long old = region.entry(page);
        int fromNode = PageTableEntry.node(old);
        if (fromNode == toNode) {
            return;
        }
        for (int node : new int[] {fromNode, toNode}) {
            if (nodes[node].isClosed()) {
                throw new NodeClosedFault("cannot migrate " + GlobalAddress.format(address) + ": node " + node
                        + " is closed", address, region.id(), node);
            }
        }
        long pageSize = region.pageSizeBytes();
        long frame;
        try {
            frame = nodes[toNode].allocator().allocate(pageSize, pageSize);
        } catch (OutOfNodeMemoryFault e) {
            throw new OutOfNodeMemoryFault("cannot migrate " + GlobalAddress.format(address) + ": " + e.getMessage(),
                    address, region.id(), toNode);
        }
        MemorySegment.copy(nodes[fromNode].segment(), PageTableEntry.offset(old), nodes[toNode].segment(), frame, pageSize);
        region.setEntry(page, PageTableEntry.pack(toNode, frame));
        region.endViews(true);
        epoch++;
        for (TranslationCache cache : caches) {
            cache.invalidate(region.id(), page);
        }
        releaseFrame(fromNode, PageTableEntry.offset(old), pageSize);
    }

    /**
     * Marks the whole space closed as its machine closes: every cached translation is dropped, and
     * {@link #translate} faults from now on.
     */
    public synchronized void close() {
        closed = true;
        invalidateTranslations();
        for (Region r : regions()) {
            r.endViews(false);
        }
    }

    /**
     * What an operation of node {@code node} that found node memory unmapped under it raises. Only a node or
     * machine close unmaps it, possibly on another thread after the operation's checks passed; FFM then
     * reports the closed scope with {@code e}, and this names the close instead ({@code e} itself when no
     * close explains it).
     *
     * @param address the global address involved, or {@link SupernodeFault#NONE}
     */
    public RuntimeException closedDuring(int node, long address, IllegalStateException e) {
        long regionId = address == NONE ? NONE : GlobalAddress.regionId(address);
        if (closed) {
            return new SupernodeClosedFault("the supernode closed during node " + node + "'s operation", address, regionId, node);
        }
        for (int n = 0; n < nodes.length; n++) {
            if (nodes[n].isClosed()) {
                return new NodeClosedFault("node " + n + " closed during node " + node + "'s operation", address, regionId, node);
            }
        }
        return e;
    }

    /**
     * Node {@code node} is about to close: views of every region with a page there end now, while its memory
     * is still mapped (a view outlives its node's memory otherwise).
     */
    public synchronized void nodeClosing(int node) {
        for (Region r : regions()) {
            for (int p = 0; p < r.pageCount(); p++) {
                if (PageTableEntry.node(r.entry(p)) == node) {
                    r.endViews(true);
                    break;
                }
            }
        }
    }

    /** Unmaps a region: its frames are zeroed and freed, its id becomes free, its addresses fault. */
    public synchronized void unmap(Region region) {
        requireMapped(region);
        regions[region.id()] = null;
        mappedRegions--;
        region.markUnmapped();
        region.endViews(false);
        epoch++;
        for (TranslationCache cache : caches) {
            cache.invalidateRegion(region.id());
        }
        long pageSize = region.pageSizeBytes();
        MutableIntObjectMap<MutableLongList> byNode = IntObjectMaps.mutable.empty();
        for (int p = 0; p < region.pageCount(); p++) {
            long entry = region.entry(p);
            byNode.getIfAbsentPut(PageTableEntry.node(entry), LongArrayList::new).add(PageTableEntry.offset(entry));
        }
        byNode.forEachKeyValue((node, frames) -> {
            long[] sorted = frames.toSortedArray();
            int runStart = 0;
            for (int i = 1; i <= sorted.length; i++) {
                if (i == sorted.length || sorted[i] != sorted[i - 1] + pageSize) {
                    releaseFrame(node, sorted[runStart], (i - runStart) * pageSize);
                    runStart = i;
                }
            }
        });
    }

    private void releaseFrame(int node, long offset, long sizeBytes) {
        nodes[node].discardIfOpen(offset, sizeBytes);
        nodes[node].allocator().free(offset, sizeBytes);
    }

    private void requireMapped(Region region) {
        if (regions[region.id()] != region) {
            throw new UnmappedAddressFault(region + " is not mapped", region.baseAddress(), region.id(), NONE);
        }
    }
}
