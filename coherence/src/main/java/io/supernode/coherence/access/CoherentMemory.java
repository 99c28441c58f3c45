package io.supernode.coherence.access;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.protocol.CacheAction;
import io.supernode.coherence.protocol.CacheController;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.DirAction;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.DirectoryController;
import io.supernode.coherence.protocol.Message;
import io.supernode.coherence.protocol.MessageType;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolTable;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.protocol.Transition;
import io.supernode.coherence.protocol.VirtualNetwork;
import io.supernode.gas.Attachment;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.AccessMode;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.address.Translation;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.DomainClosedFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import io.supernode.gas.memory.PhysicalAllocator;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.Waits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * A coherence domain over a supernode: regions mapped {@link AccessMode#COHERENT} through it are cached
 * line by line in every node's {@link LineCache} (in that node's own memory), and a directory at each
 * line's home node keeps the copies coherent with the MSI or MESI protocol chosen per region. Loads,
 * stores and atomics reach such regions through {@link #node(int)}.
 *
 * <p>The controllers are the pure tables of {@code coherence.protocol}; this class is their transport
 * over the real machine. Bytes move for real: a Data or PutM message snapshots the line from the sender's
 * cache slot or home memory, and the receiver copies it in when its transition says "copy data". Time is
 * modeled: each message crosses the fabric in {@link FabricModel#transferNanos(int, int, long)} (a header,
 * plus the line when it carries data), a remote request pays the link's issue overhead, a directory
 * answering its own node from memory adds the memory's latency (a remote route's calibrated latency
 * already includes it), and a request completes when the last message of its own transaction arrives, so a
 * transaction costs its critical path (three hops when an owner forwards, the slowest Inv-Ack when sharers
 * are invalidated) on the requesting node's clock. Each message is handled at its own arrival time: waiting
 * behind another node's request for the line (a stall, or the order in which racing messages are
 * delivered) is not charged, nor is contention for the directory.
 *
 * <p>Node threads run at the same time. A hit touches only the node's own cache: no lock, a seqlock stamp per
 * slot (see {@link LineCache}). A miss, an upgrade or an eviction takes only its line's lock, and only while it
 * issues a request or delivers one message; between deliveries other nodes' requests for the same line get in,
 * so a GetM may overtake a GetS, an eviction may race a forwarded request and Inv-Acks may arrive before the
 * Data, and the protocol's transient states and stalls resolve them. Whoever holds a line's lock delivers its
 * messages, picked at random among those deliverable (seeded by the line, so a program on one thread repeats
 * exactly). A request's load, store or atomic is performed on the slot by its own thread the moment its last
 * message has arrived: messages to its cache wait until then, so no other request can take the line in
 * between. Lines are independent: a request never holds two lines' locks. Closing (the domain, a node, the
 * machine) waits for requests in flight and runs alone.
 *
 * <p>{@link CoherenceMode#checked()} runs every access under its line's lock and checks single writer,
 * multiple readers after every message and every load and store against the line's last written bytes.
 * A miss that must evict writes the victim back off the critical path. Link contention is not charged, and
 * neither is a write-back by {@link #writeBackAll} or a close (they run on the closing thread, which may not
 * advance the nodes' clocks).
 */
public final class CoherentMemory implements AutoCloseable {

    /** Bytes of a protocol message without data: type, line address, requestor, ack count. */
    public static final int HEADER_BYTES = 16;

    /** What {@link #access} returns when the request was a hit: the caller charges the hit's cost. */
    static final long HIT = Long.MIN_VALUE;

    /** The directory entry of a line nobody caches; its value field is unused, home memory holds the bytes. */
    private static final DirLine IDLE = DirLine.idle(0);
    /** Seeds each line's delivery order: a constant, so that the same program gives the same run. */
    private static final long ORDER_SEED = 0x5EED_C0DEL;

    private final Supernode machine;
    private final FabricModel fabric;
    private final CoherenceConfig config;
    private final CoherenceMode mode;
    private final long lineMask;
    private final LineCache[] caches;
    private final long[] cacheOffsets;
    private final CoherenceStats[] stats;
    private final CoherentAccess[] nodes;
    /**
     * The lines with a directory entry or messages in flight, by line number (address over line size: line
     * addresses themselves share their low bits, which would crowd the table's buckets); idle lines are dropped
     * (kept when checking).
     */
    private final Map<Long, LineRecord> lines = new ConcurrentHashMap<>();
    private final int lineShift;
    /** By region id (a plain array: the hit path reads it on every access). */
    private final Protocol[] protocolOfRegion = new Protocol[GlobalAddress.MAX_REGION_ID + 1];
    private final Map<Protocol, CacheController> cacheControllers = new EnumMap<>(Protocol.class);
    private final Map<Protocol, DirectoryController> directoryControllers = new EnumMap<>(Protocol.class);
    /** By protocol and state: whether a load hits without a message. */
    private final boolean[][] loadHits = new boolean[Protocol.values().length][];
    /** By protocol and state: the state a store moves to without a message, or null when it needs one. */
    private final CacheState[][] silentStores = new CacheState[Protocol.values().length][];
    private final long issueOverheadNanos;
    private final long memoryLatencyNanos;
    /** Requests share it; closing the domain, a node or the machine takes it alone. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** The regions mapped through this domain, handed back as uncached when it closes. */
    private final List<Region> regions = new ArrayList<>();
    /** Nodes whose memory is gone or going: they hold no line, and no transaction may involve them. */
    private final boolean[] departed;
    /** Whether any node has departed: until one has, no access needs to look up its lines' homes. */
    private volatile boolean anyDeparted;
    /** Told by the machine before a node's memory, or all of it, is unmapped. */
    private final Attachment closeHook = new Attachment() {
        @Override
        public void nodeClosing(int node) {
            departing(node);
        }

        @Override
        public void machineClosing() {
            // Alone: a transaction in flight finishes before the memory it uses is unmapped.
            Lock exclusive = lifecycle.writeLock();
            exclusive.lock();
            try {
                if (machineClosing) {
                    return;
                }
                machineClosing = true;
                for (LineCache cache : caches) {
                    cache.poison();
                }
            } finally {
                exclusive.unlock();
            }
        }
    };
    private volatile boolean closed;
    private volatile boolean machineClosing;
    /** The first protocol error or violation: the lines are inconsistent from then on, so every access refuses. */
    private volatile RuntimeException broken;

    private CoherentMemory(Supernode machine, CoherenceConfig config, CoherenceMode mode) {
        this.machine = machine;
        this.fabric = machine.fabric();
        this.config = config;
        this.mode = mode;
        this.lineMask = ~((long) config.lineSizeBytes() - 1);
        this.lineShift = Integer.numberOfTrailingZeros(config.lineSizeBytes());
        int n = machine.nodeCount();
        this.caches = new LineCache[n];
        this.cacheOffsets = new long[n];
        this.stats = new CoherenceStats[n];
        this.nodes = new CoherentAccess[n];
        this.departed = new boolean[n];
        for (int node = 0; node < n; node++) {
            PhysicalAllocator allocator = machine.memory(node).allocator();
            cacheOffsets[node] = allocator.allocate(config.cacheBytesPerNode(), config.lineSizeBytes());
            MemorySegment data = machine.memory(node).segment().asSlice(cacheOffsets[node], config.cacheBytesPerNode());
            caches[node] = new LineCache(data, config.lineSizeBytes(), config.linesPerNode());
            stats[node] = new CoherenceStats();
        }
        for (Protocol p : Protocol.values()) {
            CacheController cache = new CacheController(p.cacheTable(mode.variant()));
            cacheControllers.put(p, cache);
            directoryControllers.put(p, new DirectoryController(p.directoryTable(mode.variant())));
            // Which states serve a load, and which a store, without a message: read off the protocol's own table.
            var table = cache.table();
            boolean[] hits = new boolean[CacheState.values().length];
            CacheState[] stores = new CacheState[CacheState.values().length];
            for (CacheState s : CacheState.values()) {
                hits[s.ordinal()] = silentHit(table, s, CacheEvent.LOAD);
                stores[s.ordinal()] = silentHit(table, s, CacheEvent.STORE) ? table.lookup(s, CacheEvent.STORE).next() : null;
            }
            loadHits[p.ordinal()] = hits;
            silentStores[p.ordinal()] = stores;
        }
        this.issueOverheadNanos = fabric.topology().link().loadStoreOverheadNanos();
        this.memoryLatencyNanos = fabric.topology().memory().latencyNanos();
        for (int node = 0; node < n; node++) {
            nodes[node] = new CoherentAccess(this, node, machine.node(node), caches[node], stats[node]);
        }
    }

    private static boolean silentHit(ProtocolTable<CacheState, CacheEvent, CacheAction> table, CacheState s, CacheEvent e) {
        if (!table.defines(s, e)) {
            return false;
        }
        Transition<CacheState, CacheAction> t = table.lookup(s, e);
        return !t.waits() && t.actions().equals(List.of(CacheAction.HIT));
    }

    /**
     * A coherence domain over {@code machine} running the correct protocol unchecked ({@link CoherenceMode#FAST}):
     * every node gives {@link CoherenceConfig#cacheBytesPerNode()} of its memory to its line cache.
     *
     * @throws ConfigFault when the machine's fabric has no load/store path (there is nothing to cache over), or
     *                     it has one only inside each of stacked servers (a line homed in another server could not
     *                     be reached)
     */
    public static CoherentMemory attach(Supernode machine, CoherenceConfig config) {
        return attach(machine, config, CoherenceMode.FAST);
    }

    /**
     * A coherence domain over {@code machine} running {@code mode}.
     *
     * @throws ConfigFault as {@link #attach(Supernode, CoherenceConfig)}
     */
    public static CoherentMemory attach(Supernode machine, CoherenceConfig config, CoherenceMode mode) {
        Topology topology = machine.fabric().topology();
        if (!topology.link().loadStore()) {
            throw new ConfigFault("link profile " + topology.link().name()
                    + " has no load/store path, so there is no coherent memory to cache over it");
        }
        if (!topology.loadStoreEverywhere()) {
            throw new ConfigFault(topology.groupNoun() + "s are joined by " + topology.scaleOut().name()
                    + ", which carries messages only, so no coherence domain spans them");
        }
        if (mode == null) {
            throw new ConfigFault("a coherence domain needs a mode (CoherenceMode.FAST or CHECKED)");
        }
        CoherentMemory domain = new CoherentMemory(machine, config, mode);
        machine.attach(domain.closeHook);
        return domain;
    }

    /** The machine it runs on. */
    public Supernode machine() {
        return machine;
    }

    /** The line caches' shape. */
    public CoherenceConfig config() {
        return config;
    }

    /** The protocol variant it runs and whether it checks every access. */
    public CoherenceMode mode() {
        return mode;
    }

    /**
     * Maps {@code spec} as a coherent region kept by {@code protocol}.
     *
     * @throws DomainClosedFault when this domain is closed
     */
    public Region map(RegionSpec spec, Protocol protocol) {
        synchronized (regions) {
            if (closed) {
                throw new DomainClosedFault("the coherence domain is closed: it cannot map " + spec.name(), NONE, NONE, NONE);
            }
            Region region = machine.map(spec.withAccessMode(AccessMode.COHERENT));
            protocolOfRegion[region.id()] = protocol;
            regions.add(region);
            return region;
        }
    }

    /**
     * Node {@code node}'s access path: coherent regions through its cache, all others as {@code NodeAccess} does.
     * Like every node's access path it is driven by one thread at a time; different nodes' paths run at once.
     */
    public CoherentAccess node(int node) {
        return nodes[checkNode(node)];
    }

    /**
     * Node {@code node}'s {@link DataPath} of kind
     * {@link io.supernode.gas.path.PathKind#COHERENT}: the same calls a workload makes on every other path,
     * through this node's access path.
     */
    public DataPath path(int node) {
        return path(node, Waits.SEQUENTIAL);
    }

    /** As {@link #path(int)}, for a node program whose waits for signals go through {@code waits}. */
    public DataPath path(int node, Waits waits) {
        return new CoherentPath(this, nodes[checkNode(node)], machine.fabric(), waits);
    }

    /** The bytes node {@code node}'s coherence messages have carried over the fabric so far, without a copy of its stats. */
    long fabricBytes(int node) {
        return stats[node].fabricBytes;
    }

    /** A snapshot of node {@code node}'s coherence counters (exact once node threads are quiet). */
    public CoherenceStats stats(int node) {
        return stats[checkNode(node)].copy();
    }

    /** A snapshot of every node's coherence counters, summed. */
    public CoherenceStats totals() {
        CoherenceStats sum = new CoherenceStats();
        for (CoherenceStats s : stats) {
            sum.add(s);
        }
        return sum;
    }

    /** The protocol state node {@code node}'s cache holds {@code address}'s line in (I when not held). */
    public CacheState lineState(int node, long address) {
        return caches[checkNode(node)].lineState(address & lineMask).state();
    }

    /** The directory's state for {@code address}'s line. */
    public DirState directoryState(long address) {
        LineRecord r = lines.get(address >>> lineShift);
        if (r == null) {
            return DirState.I;
        }
        r.lock.lock();
        try {
            return r.directory.state();
        } finally {
            r.lock.unlock();
        }
    }

    /**
     * Evicts every cached line of every node (PutS, PutE, PutM), so that home memory holds every value
     * written and the directory is idle. It waits for requests in flight and runs alone; node threads' hits
     * on lines it has not reached yet go on meanwhile.
     */
    public void writeBackAll() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            checkUsable(0, NONE, NONE);
            stopIfBroken();
            evictWhere((node, line) -> true);
        } catch (ProtocolError | CoherenceViolation e) {
            throw breaks(e);
        } finally {
            exclusive.unlock();
        }
    }

    /** Picks lines to evict by node and line. */
    @FunctionalInterface
    private interface LineFilter {
        boolean test(int node, long line);
    }

    /**
     * Delivers every message still in flight, then evicts the lines that {@code which} picks from every open
     * node's cache; the caller runs alone. The slots are left invalid for their nodes' threads to free.
     */
    private void evictWhere(LineFilter which) {
        for (LineRecord r : List.copyOf(lines.values())) {
            LineRecord locked = locked(r.line);
            try {
                drain(locked, protocolOfLine(locked.line));
            } finally {
                release(locked);
            }
        }
        for (int node = 0; node < caches.length; node++) {
            LineCache cache = caches[node];
            for (int slot = 0; slot < cache.capacity(); slot++) {
                long line = cache.lineOf(slot);
                if (!departed[node] && line >= 0 && !cache.in(slot, CacheState.I) && which.test(node, line)) {
                    LineRecord r = locked(line);
                    try {
                        r.holds(node, slot);
                        replace(r, node, slot, 0);
                    } finally {
                        release(r);
                    }
                    cache.invalidatedByDelivery(slot);
                }
            }
        }
    }

    /**
     * Node {@code node} is about to close, its memory still mapped: what its cache holds goes home, and every
     * other node's copy of a line whose home is {@code node} goes back to it, so that no line is left where
     * the protocol would reach into unmapped memory. From now on a transaction that would involve the node
     * faults before anything moves.
     */
    private void departing(int node) {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed || machineClosing || departed[node]) {
                return;
            }
            if (broken == null) {
                evictWhere((holder, line) -> holder == node || homeOf(line) == node);
            }
            departed[node] = true;
            anyDeparted = true;
        } finally {
            exclusive.unlock();
        }
    }

    /** Faults unless every page of the {@code length} bytes at {@code address} has an open home. */
    void checkHomes(int node, Region region, long address, long length) {
        if (!anyDeparted) {
            return;
        }
        long page = region.pageSizeBytes();
        for (long at = address & -page; at < address + length; at += page) {
            int home = homeOf(at);
            if (departed[home]) {
                throw homeClosed(home, node, at, region.id());
            }
        }
    }

    private static NodeClosedFault homeClosed(int home, int node, long address, long regionId) {
        return new NodeClosedFault("node " + home + " is closed: node " + node + " cannot reach "
                + GlobalAddress.format(address) + ", homed there", address, regionId, node);
    }

    private int homeOf(long line) {
        return machine.addressSpace().nodeOf(line);
    }

    /**
     * Faults unless node {@code node} may still use this domain: the domain is open, the machine is open and
     * the node has not closed. Every access of a {@link CoherentAccess} that does not hit starts here, before
     * anything moves.
     */
    void checkUsable(int node, long address, long regionId) {
        if (closed) {
            throw new DomainClosedFault("the coherence domain is closed: node " + node + " cannot reach "
                    + (address == NONE ? "it" : GlobalAddress.format(address)) + " through it", address, regionId, node);
        }
        if (machineClosing || machine.isClosed()) {
            throw new SupernodeClosedFault("the supernode is closed", address, regionId, node);
        }
        if (departed[node]) {
            throw new NodeClosedFault("node " + node + " is closed", address, regionId, node);
        }
    }

    /**
     * Closes the domain and loses nothing: every cached line is written home, the domain's regions are
     * handed back to the machine as {@link AccessMode#UNCACHED} (so plain accesses reach their data), and the
     * line caches' memory is zeroed and given back to the nodes that are still open. Every later use of the
     * domain or of its {@link CoherentAccess} handles is a {@link DomainClosedFault}. It waits for requests in
     * flight; the machine stays up; idempotent.
     */
    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            // Under the lock: a machine closing meanwhile waits in the hook, its memory mapped, until this is done.
            machine.detach(closeHook);
            closed = true;
            if (!machineClosing && !machine.isClosed()) {
                if (broken == null) {
                    evictWhere((node, line) -> true);
                }
                synchronized (regions) {
                    for (Region region : regions) {
                        if (machine.addressSpace().regionById(region.id()) == region) {
                            machine.addressSpace().changeAccessMode(region, AccessMode.UNCACHED);
                        }
                    }
                }
                for (int node = 0; node < caches.length; node++) {
                    caches[node].poison();
                    if (!departed[node]) {
                        caches[node].data().fill((byte) 0);
                        machine.memory(node).allocator().free(cacheOffsets[node], config.cacheBytesPerNode());
                    }
                }
            }
        } finally {
            exclusive.unlock();
        }
    }

    // ---- the protocol engine (called by CoherentAccess) -------------------------------------------

    int lineSize() {
        return config.lineSizeBytes();
    }

    /** The protocol of each region id, by id; null for regions not mapped through this domain. */
    Protocol[] protocolOfRegion() {
        return protocolOfRegion;
    }

    /** By protocol and state ordinal: whether a load hits without a message. */
    boolean[][] loadHits() {
        return loadHits;
    }

    /** By protocol and state ordinal: the state a store moves to without a message, or null. */
    CacheState[][] silentStores() {
        return silentStores;
    }

    /** Whether every access is checked (and hits, too, take their line's lock). */
    boolean checked() {
        return mode.checked();
    }

    /**
     * Makes node {@code node}'s cache hold {@code line} so that {@code event} (LOAD or STORE) hits, then
     * performs {@code action} on the line's bytes in the cache, starting at {@code startNanos}: takes a slot
     * (evicting the least recently used line if the cache is full) and runs the request until it completes.
     * Counts the hit or miss. Called on the node's thread.
     *
     * @return the modeled time the request completed, or {@link #HIT} when the line was held as needed
     */
    long access(int node, long line, Protocol protocol, CacheEvent event, long startNanos, LineRecord.SlotAction action) {
        Lock shared = lifecycle.readLock();
        shared.lock();
        try {
            checkUsable(node, line, GlobalAddress.regionId(line));
            stopIfBroken();
            if (anyDeparted && departed[homeOf(line)]) {
                throw homeClosed(homeOf(line), node, line, GlobalAddress.regionId(line));
            }
            LineCache cache = caches[node];
            int slot = cache.slotOf(line);
            if (slot < 0) {
                if (cache.full()) {
                    makeRoom(node);
                }
                slot = cache.insert(line);
            }
            LineRecord r = locked(line);
            try {
                r.holds(node, slot);
                long done = accessLocked(r, node, slot, protocol, event, startNanos, action);
                cache.touch(slot);
                return done;
            } finally {
                release(r);
            }
        } catch (ProtocolError | CoherenceViolation e) {
            throw breaks(e);
        } finally {
            shared.unlock();
        }
    }

    private long accessLocked(LineRecord r, int node, int slot, Protocol protocol, CacheEvent event, long startNanos,
                              LineRecord.SlotAction action) {
        LineCache cache = caches[node];
        CoherenceStats s = stats[node];
        CacheLine held = cache.state(slot);
        if (event == CacheEvent.LOAD) {
            if (loadHits[protocol.ordinal()][held.state().ordinal()]) {
                s.loadHits++;
                perform(r, node, cache, slot, event, action);
                return HIT;
            }
            s.loadMisses++;
        } else {
            CacheState silent = silentStores[protocol.ordinal()][held.state().ordinal()];
            if (silent != null) {
                s.storeHits++;
                cache.beginWrite(slot);
                try {
                    if (silent != held.state()) {
                        s.silentUpgrades++;
                        cache.setState(slot, new CacheLine(silent, held.value(), held.acks()));
                    }
                    perform(r, node, cache, slot, event, action);
                } finally {
                    cache.endWrite(slot);
                }
                if (mode.checked()) {
                    checkSwmr(r);
                }
                return HIT;
            }
            if (held.state().readable()) {
                s.upgrades++;
            } else {
                s.storeMisses++;
            }
        }
        LineRecord.Request request = new LineRecord.Request(node, new CoreOp(event, 0), action, startNanos);
        run(r, request, slot, protocol, startNanos);
        return request.latestArrivalNanos;
    }

    /**
     * Frees a slot of node {@code node}'s full cache: one that deliveries invalidated, if any still is, else the
     * least recently used line's, evicted. Called on the node's thread.
     */
    private void makeRoom(int node) {
        LineCache cache = caches[node];
        for (int slot = cache.nextInvalidated(); slot >= 0; slot = cache.nextInvalidated()) {
            long line = cache.lineOf(slot);
            if (line < 0) {
                continue;
            }
            LineRecord r = locked(line);
            try {
                if (cache.lineOf(slot) == line && cache.in(slot, CacheState.I)) {
                    r.drops(node);
                    cache.free(slot);
                    return;
                }
            } finally {
                release(r);
            }
        }
        int slot = cache.leastRecent();
        LineRecord r = locked(cache.lineOf(slot));
        try {
            if (!cache.in(slot, CacheState.I)) {
                r.holds(node, slot);
                replace(r, node, slot, machine.node(node).clock().nowNanos());
            }
            r.drops(node);
            cache.free(slot);
        } finally {
            release(r);
        }
    }

    /** Writes {@code node}'s copy in {@code slot} home (PutS, PutE or PutM) and waits until it is invalid. */
    private void replace(LineRecord r, int node, int slot, long startNanos) {
        CoherenceStats s = stats[node];
        s.evictions++;
        if (caches[node].in(slot, CacheState.M)) {
            s.writebacks++;
        }
        LineRecord.Request request = new LineRecord.Request(node, new CoreOp(CacheEvent.REPLACEMENT, 0), null, startNanos);
        run(r, request, slot, protocolOfLine(r.line), startNanos);
    }

    private Protocol protocolOfLine(long line) {
        return protocolOfRegion[GlobalAddress.regionId(line)];
    }

    /**
     * Issues {@code request} and delivers the line's messages until it is done, letting other threads' requests
     * for the line in between deliveries; then delivers whatever else it can. The caller holds the line's lock.
     */
    private void run(LineRecord r, LineRecord.Request request, int slot, Protocol protocol, long startNanos) {
        r.pending.add(request);
        try {
            issue(r, request, slot, protocol, startNanos);
            while (!request.done) {
                boolean delivered = deliverOne(r, protocol);
                if (!delivered && !r.awaitsPerform()) {
                    throw new ProtocolError("N" + request.node + "'s " + request.op.event() + " of line "
                            + GlobalAddress.format(r.line) + " waits, and every message in flight for it stalls: "
                            + r.inFlight.stream().map(LineRecord.Envelope::message).toList());
                }
                if (!request.done && (!delivered || r.lock.hasQueuedThreads())) {
                    // Let other requests for the line in, or the thread whose request waits to be performed.
                    r.lock.unlock();
                    if (!delivered) {
                        Thread.yield();
                    }
                    r.lock.lock();
                    stopIfBroken();
                }
            }
            if (!request.performed) {
                perform(r, request.node, caches[request.node], slot, request.op.event(), request.action);
                request.performed = true;
            }
        } finally {
            r.pending.remove(request);
        }
        drain(r, protocol);
    }

    /** Delivers every deliverable message of the line; the caller holds its lock. */
    private void drain(LineRecord r, Protocol protocol) {
        while (deliverOne(r, protocol)) {
            // each delivery may enable others
        }
        if (!r.inFlight.isEmpty() && r.pending.isEmpty()) {
            throw new ProtocolError("line " + GlobalAddress.format(r.line) + " has no request outstanding, and every "
                    + "message in flight for it stalls: " + r.inFlight.stream().map(LineRecord.Envelope::message).toList());
        }
    }

    /** The requesting cache's transition for a core event (the slot's own node's request). */
    private void issue(LineRecord r, LineRecord.Request request, int slot, Protocol protocol, long startNanos) {
        int node = request.node;
        LineCache cache = caches[node];
        cache.beginWrite(slot);
        try {
            CacheController.Result res = cacheControllers.get(protocol).handle(node, 0, cache.state(slot),
                    request.op.event(), null, request.op);
            cache.setState(slot, res.line());
            boolean homeIsLocal = homeOf(r.line) == node;
            send(r, node, slot, res.out(), startNanos + (homeIsLocal ? 0 : issueOverheadNanos), node);
            if (finishes(request, res)) {
                complete(r, request, cache, slot);
            }
        } finally {
            cache.endWrite(slot);
        }
        if (mode.checked()) {
            checkSwmr(r);
        }
    }

    /**
     * Delivers one deliverable message of the line, chosen at random among them (order kept where the network
     * keeps it); false when none is.
     */
    private boolean deliverOne(LineRecord r, Protocol protocol) {
        List<LineRecord.Envelope> q = r.inFlight;
        int chosen = -1;
        int deliverable = 0;
        for (int i = 0; i < q.size(); i++) {
            if (deliverable(r, i, protocol) && r.order.nextInt(++deliverable) == 0) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            return false;
        }
        LineRecord.Envelope e = q.remove(chosen);
        if (e.message().target() == Message.DIRECTORY) {
            toDirectory(r, e, protocol);
        } else {
            toCache(r, e, protocol);
        }
        if (mode.checked()) {
            checkSwmr(r);
        }
        return true;
    }

    private boolean deliverable(LineRecord r, int index, Protocol protocol) {
        List<LineRecord.Envelope> q = r.inFlight;
        Message m = q.get(index).message();
        if (ordered(m)) {
            for (int j = 0; j < index; j++) {
                Message earlier = q.get(j).message();
                if (ordered(earlier) && earlier.source() == m.source() && earlier.target() == m.target()) {
                    return false;
                }
            }
        }
        if (m.target() == Message.DIRECTORY) {
            return !directoryControllers.get(protocol).stalls(r.directory, m);
        }
        LineRecord.Request waiting = r.pendingOf(m.target());
        if (waiting != null && waiting.done && !waiting.performed) {
            return false;
        }
        int slot = r.slotOf(m.target());
        CacheLine line = slot < 0 ? CacheLine.INVALID : caches[m.target()].state(slot);
        CacheEvent event = CacheController.classify(line, m);
        ProtocolTable<CacheState, CacheEvent, CacheAction> table = cacheControllers.get(protocol).table();
        // An event the table does not define is delivered, so that it fails as the protocol error it is.
        return !table.defines(line.state(), event) || !table.lookup(line.state(), event).waits();
    }

    /** Whether the network keeps {@code m} in order behind earlier messages of its pair: forwarded requests do. */
    private boolean ordered(Message m) {
        return m.type().network() == VirtualNetwork.FORWARD && mode.variant() != ProtocolVariant.UNORDERED_FORWARD_NETWORK;
    }

    private void toDirectory(LineRecord r, LineRecord.Envelope e, Protocol protocol) {
        DirectoryController controller = directoryControllers.get(protocol);
        Message m = e.message();
        DirLine entry = r.directory;
        Transition<DirState, DirAction> t = controller.table().lookup(entry.state(), DirectoryController.classify(entry, m));
        Translation home = machine.addressSpace().translate(r.line);
        if (t.actions().contains(DirAction.COPY_DATA_TO_MEMORY)) {
            MemorySegment.copy(e.payload(), 0, homeBytes(home), 0, config.lineSizeBytes());
        }
        DirectoryController.Result res = controller.handle(0, entry, m);
        r.directory = res.line().state() == DirState.I && res.line().sharers() == 0 ? IDLE : res.line();
        // A remote route's calibrated latency already includes reading the far memory; a local one does not.
        boolean readsLocalMemory = home.node() == m.source() && (t.actions().contains(DirAction.SEND_DATA_TO_REQ)
                || t.actions().contains(DirAction.SEND_DATA_TO_REQ_WITH_ACKS)
                || t.actions().contains(DirAction.SEND_EXCLUSIVE_DATA_TO_REQ));
        send(r, home.node(), -1, res.out(), e.arriveNanos() + (readsLocalMemory ? memoryLatencyNanos : 0), e.requester());
    }

    private void toCache(LineRecord r, LineRecord.Envelope e, Protocol protocol) {
        CacheController controller = cacheControllers.get(protocol);
        Message m = e.message();
        int node = m.target();
        LineCache cache = caches[node];
        LineRecord.Request request = r.pendingOf(node);
        CoreOp op = request == null ? null : request.op;
        int slot = r.slotOf(node);
        if (slot < 0) {
            CacheEvent event = CacheController.classify(CacheLine.INVALID, m);
            CacheController.Result res = controller.handle(node, 0, CacheLine.INVALID, event, m, op);
            count(event, e.requester());
            send(r, node, -1, res.out(), e.arriveNanos(), e.requester());
            return;
        }
        cache.beginWrite(slot);
        try {
            CacheLine line = cache.state(slot);
            CacheEvent event = CacheController.classify(line, m);
            Transition<CacheState, CacheAction> t = controller.table().lookup(line.state(), event);
            if (t.actions().contains(CacheAction.COPY_DATA)) {
                MemorySegment.copy(e.payload(), 0, cache.data(), cache.offset(slot), config.lineSizeBytes());
            }
            CacheController.Result res = controller.handle(node, 0, line, event, m, op);
            count(event, e.requester());
            cache.setState(slot, res.line());
            // Data leaving this cache is snapshot from its slot, under the slot's stamp.
            send(r, node, slot, res.out(), e.arriveNanos(), e.requester());
            if (request != null) {
                if (e.requester() == request.node) {
                    // Only its own transaction's messages time a request: another node's Inv is not on its path.
                    request.latestArrivalNanos = Math.max(request.latestArrivalNanos, e.arriveNanos());
                }
                if (finishes(request, res)) {
                    complete(r, request, cache, slot);
                }
            } else if (res.line().state() == CacheState.I && line.state() != CacheState.I) {
                cache.invalidatedByDelivery(slot);
            }
        } finally {
            cache.endWrite(slot);
        }
    }

    private void count(CacheEvent event, int requester) {
        switch (event) {
            case INV, FWD_GETM -> stats[requester].countInvalidation();
            case FWD_GETS -> stats[requester].countDowngrade();
            default -> { }
        }
    }

    /** Whether {@code res} ends {@code request}: a load or store completes, a replacement ends with the line invalid. */
    private static boolean finishes(LineRecord.Request request, CacheController.Result res) {
        return res.completed() || request.op.event() == CacheEvent.REPLACEMENT && res.line().state() == CacheState.I;
    }

    /**
     * The request's line arrived as it needs it: its load, store or atomic happens now, on the slot, when this is
     * the requesting thread; else as soon as that thread takes the line's lock, messages to its cache waiting.
     */
    private void complete(LineRecord r, LineRecord.Request request, LineCache cache, int slot) {
        request.done = true;
        if (request.action == null) {
            request.performed = true;
        } else if (Thread.currentThread() == request.thread) {
            perform(r, request.node, cache, slot, request.op.event(), request.action);
            request.performed = true;
        }
    }

    /** Performs an access on the slot; when checking, first tests the copy against the line's last written bytes. */
    private void perform(LineRecord r, int node, LineCache cache, int slot, CacheEvent event, LineRecord.SlotAction action) {
        if (!mode.checked()) {
            action.perform(cache.data(), cache.offset(slot));
            return;
        }
        MemorySegment shadow = MemorySegment.ofArray(r.shadow);
        long at = cache.offset(slot);
        long differs = MemorySegment.mismatch(cache.data(), at, at + config.lineSizeBytes(), shadow, 0, config.lineSizeBytes());
        if (differs >= 0) {
            throw new CoherenceViolation(CoherenceViolation.Kind.DATA_VALUE, "N" + node + " "
                    + (event == CacheEvent.LOAD ? "read" : "wrote") + " line " + GlobalAddress.format(r.line)
                    + " in a copy that differs from its last write at byte " + differs);
        }
        action.perform(cache.data(), at);
        if (event != CacheEvent.LOAD) {
            MemorySegment.copy(cache.data(), at, shadow, 0, config.lineSizeBytes());
        }
    }

    /** Single writer, multiple readers over every node's copy of the line (E counts as a writer). */
    private void checkSwmr(LineRecord r) {
        int writer = -1;
        int reader = -1;
        for (int node = 0; node < caches.length; node++) {
            CacheState s = caches[node].lineState(r.line).state();
            if (s.exclusive()) {
                if (writer >= 0) {
                    throw new CoherenceViolation(CoherenceViolation.Kind.SWMR, "N" + writer + " and N" + node
                            + " both hold line " + GlobalAddress.format(r.line) + " exclusively");
                }
                writer = node;
            } else if (s.readable()) {
                reader = node;
            }
        }
        if (writer >= 0 && reader >= 0) {
            throw new CoherenceViolation(CoherenceViolation.Kind.SWMR, "N" + writer + " holds line "
                    + GlobalAddress.format(r.line) + " exclusively (" + caches[writer].lineState(r.line).state().textbook()
                    + ") while N" + reader + " can still read it");
        }
    }

    /** Puts {@code out}, sent by {@code from} (a node, or the directory at the line's home) at {@code atNanos}, in flight. */
    private void send(LineRecord r, int from, int fromSlot, List<Message> out, long atNanos, int requester) {
        if (out.isEmpty()) {
            return;
        }
        int home = -1;
        for (Message m : out) {
            boolean fromDirectory = m.source() == Message.DIRECTORY;
            int source = fromDirectory ? from : m.source();
            int target = m.target();
            if (target == Message.DIRECTORY) {
                if (home < 0) {
                    home = homeOf(r.line);
                }
                target = home;
            }
            MemorySegment payload = null;
            if (carriesData(m.type())) {
                payload = snapshot(fromDirectory ? -1 : source, fromSlot, r.line);
            }
            long bytes = HEADER_BYTES + (payload == null ? 0 : config.lineSizeBytes());
            stats[requester].countMessage(m.type(), fabric.topology().routeClass(source, target) != RouteClass.LOCAL ? bytes : 0);
            r.inFlight.add(new LineRecord.Envelope(m, requester, payload, atNanos + fabric.transferNanos(source, target, bytes)));
        }
    }

    private static boolean carriesData(MessageType type) {
        return type == MessageType.DATA || type == MessageType.EXCLUSIVE_DATA || type == MessageType.PUTM;
    }

    /** A copy of {@code line} as {@code node}'s cache holds it in {@code slot}, or as home memory holds it when {@code node} is -1. */
    private MemorySegment snapshot(int node, int slot, long line) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[config.lineSizeBytes()]);
        if (node < 0) {
            MemorySegment.copy(homeBytes(machine.addressSpace().translate(line)), 0, buffer, 0, config.lineSizeBytes());
        } else if (slot >= 0) {
            MemorySegment.copy(caches[node].data(), caches[node].offset(slot), buffer, 0, config.lineSizeBytes());
        } else {
            throw new ProtocolError("N" + node + " sends line " + GlobalAddress.format(line) + " it does not hold");
        }
        return buffer;
    }

    /** The line's bytes in its home node's memory. */
    private MemorySegment homeBytes(Translation home) {
        return machine.addressSpace().nodeSegment(home.node()).asSlice(home.physicalOffset(), config.lineSizeBytes());
    }

    /** The line's record, locked; created when the line has none. */
    private LineRecord locked(long line) {
        while (true) {
            LineRecord r = lines.computeIfAbsent(line >>> lineShift, number -> newRecord(number << lineShift));
            r.lock.lock();
            if (!r.retired) {
                return r;
            }
            r.lock.unlock();
        }
    }

    private LineRecord newRecord(long line) {
        LineRecord r = new LineRecord(line, IDLE, ORDER_SEED);
        if (mode.checked()) {
            // The first request for a line finds home memory current: nobody has cached it yet.
            r.shadow = homeBytes(machine.addressSpace().translate(line)).toArray(ValueLayout.JAVA_BYTE);
        }
        return r;
    }

    /** Unlocks the line's record, dropping it when the line is idle (checking mode keeps it: its shadow is the truth). */
    private void release(LineRecord r) {
        if (!mode.checked() && r.inFlight.isEmpty() && r.pending.isEmpty() && r.directory == IDLE) {
            r.retired = true;
            lines.remove(r.line >>> lineShift, r);
        }
        r.lock.unlock();
    }

    private void stopIfBroken() {
        RuntimeException first = broken;
        if (first != null) {
            String message = "the coherence domain stopped at an earlier failure: " + first.getMessage();
            throw first instanceof CoherenceViolation v ? new CoherenceViolation(v.kind(), message) : new ProtocolError(message);
        }
    }

    /**
     * Records the domain's first failure and returns {@code e} to throw. The lines may be inconsistent from now on,
     * so hits stop too: every slot's stamp is poisoned, and every later access meets the failure.
     */
    private RuntimeException breaks(RuntimeException e) {
        synchronized (lines) {
            if (broken == null) {
                broken = e;
                for (LineCache cache : caches) {
                    cache.poison();
                }
            }
        }
        return e;
    }

    /** {@code node}, when the domain has it; else the fault that names the domain's nodes. */
    private int checkNode(int node) {
        if (node < 0 || node >= nodes.length) {
            throw new OutOfRangeFault("the coherence domain has no node " + node + " (nodes 0.." + (nodes.length - 1) + ")",
                    NONE, NONE, node);
        }
        return node;
    }
}
