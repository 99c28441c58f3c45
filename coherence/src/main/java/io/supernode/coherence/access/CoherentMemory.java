package io.supernode.coherence.access;

import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.Waits;
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
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.protocol.Transition;
import io.supernode.gas.Attachment;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.AccessMode;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.address.Translation;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.DomainClosedFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import io.supernode.gas.memory.PhysicalAllocator;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

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
 * already includes it), and a
 * request completes when the message completing it arrives, so a transaction costs its critical path
 * (three hops when an owner forwards, the slowest Inv-Ack when sharers are invalidated).
 *
 * <p>Transactions are serialized: one runs to quiescence before the next starts, so the races between
 * transactions that the protocol's transient states exist for never arise here (the deterministic
 * transport and the explorer exercise those). A miss that must evict writes the victim back off the
 * critical path. Link contention is not charged. Thread-safe: every access takes the domain's lock.
 */
public final class CoherentMemory implements AutoCloseable {

    /** Bytes of a protocol message without data: type, line address, requestor, ack count. */
    public static final int HEADER_BYTES = 16;

    /** The directory entry of a line nobody caches; its value field is unused, home memory holds the bytes. */
    private static final DirLine IDLE = DirLine.idle(0);

    private record Envelope(Message message, long line, MemorySegment payload, long arriveNanos) {
    }

    private final Supernode machine;
    private final FabricModel fabric;
    private final CoherenceConfig config;
    private final long lineMask;
    private final LineCache[] caches;
    private final long[] cacheOffsets;
    private final CoherenceStats[] stats;
    private final CoherentAccess[] nodes;
    private final LongObjectHashMap<DirLine> directory = new LongObjectHashMap<>();
    /** By region id (a plain array: the hit path reads it on every access). */
    private final Protocol[] protocolOfRegion = new Protocol[GlobalAddress.MAX_REGION_ID + 1];
    private final Map<Protocol, CacheController> cacheControllers = new EnumMap<>(Protocol.class);
    private final Map<Protocol, DirectoryController> directoryControllers = new EnumMap<>(Protocol.class);
    private final ArrayDeque<Envelope> inFlight = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> payloads = new ArrayDeque<>();
    private final Arena payloadArena = Arena.ofShared();
    private final long issueOverheadNanos;
    private final long memoryLatencyNanos;
    /** The regions mapped through this domain, handed back as uncached when it closes. */
    private final List<Region> regions = new ArrayList<>();
    /** Nodes whose memory is gone or going: they hold no line, and no transaction may involve them. */
    private final boolean[] departed;
    /** Whether any node has departed: until one has, no access needs to look up its lines' homes. */
    private boolean anyDeparted;
    /** Told by the machine before a node's memory, or all of it, is unmapped. */
    private final Attachment closeHook = new Attachment() {
        @Override
        public void nodeClosing(int node) {
            departing(node);
        }

        @Override
        public void machineClosing() {
            // Under the domain's lock: a transaction in flight finishes before the memory it uses is unmapped.
            synchronized (CoherentMemory.this) {
                machineClosing = true;
            }
        }
    };
    private volatile boolean closed;
    private volatile boolean machineClosing;

    // The transaction in progress: whose request, on which line, and when it completed.
    private int requester;
    private long requestLine;
    private CoreOp requestOp;
    private long completedAtNanos;

    private CoherentMemory(Supernode machine, CoherenceConfig config) {
        this.machine = machine;
        this.fabric = machine.fabric();
        this.config = config;
        this.lineMask = ~((long) config.lineSizeBytes() - 1);
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
            cacheControllers.put(p, new CacheController(p.cacheTable(ProtocolVariant.CORRECT)));
            directoryControllers.put(p, new DirectoryController(p.directoryTable(ProtocolVariant.CORRECT)));
        }
        this.issueOverheadNanos = fabric.topology().link().loadStoreOverheadNanos();
        this.memoryLatencyNanos = fabric.topology().memory().latencyNanos();
        for (int node = 0; node < n; node++) {
            nodes[node] = new CoherentAccess(this, node, machine.node(node), caches[node], stats[node]);
        }
    }

    /**
     * A coherence domain over {@code machine}: every node gives {@link CoherenceConfig#cacheBytesPerNode()}
     * of its memory to its line cache.
     *
     * @throws ConfigFault when the machine's fabric has no load/store path (there is nothing to cache over), or
     *                     it has one only inside each of stacked servers (a line homed in another server could not
     *                     be reached)
     */
    public static CoherentMemory attach(Supernode machine, CoherenceConfig config) {
        Topology topology = machine.fabric().topology();
        if (!topology.link().loadStore()) {
            throw new ConfigFault("link profile " + topology.link().name()
                    + " has no load/store path, so there is no coherent memory to cache over it");
        }
        if (!topology.loadStoreEverywhere()) {
            throw new ConfigFault(topology.groupNoun() + "s are joined by " + topology.scaleOut().name()
                    + ", which carries messages only, so no coherence domain spans them");
        }
        CoherentMemory domain = new CoherentMemory(machine, config);
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

    /**
     * Maps {@code spec} as a coherent region kept by {@code protocol}.
     *
     * @throws DomainClosedFault when this domain is closed
     */
    public synchronized Region map(RegionSpec spec, Protocol protocol) {
        if (closed) {
            throw new DomainClosedFault("the coherence domain is closed: it cannot map " + spec.name(), NONE, NONE, NONE);
        }
        Region region = machine.map(spec.withAccessMode(AccessMode.COHERENT));
        protocolOfRegion[region.id()] = protocol;
        regions.add(region);
        return region;
    }

    /** Node {@code node}'s access path: coherent regions through its cache, all others as {@code NodeAccess} does. */
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
    synchronized long fabricBytes(int node) {
        return stats[node].fabricBytes;
    }

    /** A snapshot of node {@code node}'s coherence counters. */
    public synchronized CoherenceStats stats(int node) {
        return stats[checkNode(node)].copy();
    }

    /** A snapshot of every node's coherence counters, summed. */
    public synchronized CoherenceStats totals() {
        CoherenceStats sum = new CoherenceStats();
        for (CoherenceStats s : stats) {
            sum.add(s);
        }
        return sum;
    }

    /** The protocol state node {@code node}'s cache holds {@code address}'s line in (I when not held). */
    public synchronized CacheState lineState(int node, long address) {
        return caches[checkNode(node)].lineState(address & lineMask).state();
    }

    /** The directory's state for {@code address}'s line. */
    public synchronized DirState directoryState(long address) {
        DirLine d = directory.get(address & lineMask);
        return d == null ? DirState.I : d.state();
    }

    /**
     * Evicts every cached line of every node (PutS, PutE, PutM), so that home memory holds every value
     * written and the directory is idle. Modeled time is charged to each evicting node.
     */
    public synchronized void writeBackAll() {
        checkUsable(0, NONE, NONE);
        for (int node = 0; node < caches.length; node++) {
            if (!departed[node]) {
                evictWhere(node, line -> true);
            }
        }
    }

    /** Evicts the lines of {@code node}'s cache that {@code which} picks, charging the node's clock. */
    private void evictWhere(int node, LongPredicate which) {
        for (long line : caches[node].lines()) {
            if (which.test(line)) {
                long now = machine.node(node).clock().nowNanos();
                machine.node(node).clock().advanceTo(evict(node, line, now));
            }
        }
    }

    /**
     * Node {@code node} is about to close, its memory still mapped: what its cache holds goes home, and every
     * other node's copy of a line whose home is {@code node} goes back to it, so that no line is left where
     * the protocol would reach into unmapped memory. From now on a transaction that would involve the node
     * faults before anything moves.
     */
    private synchronized void departing(int node) {
        if (closed || departed[node]) {
            return;
        }
        evictWhere(node, line -> true);
        for (int other = 0; other < caches.length; other++) {
            if (other != node && !departed[other]) {
                evictWhere(other, line -> homeOf(line) == node);
            }
        }
        departed[node] = true;
        anyDeparted = true;
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
     * the node has not closed. Every access of a {@link CoherentAccess} starts here, before anything moves.
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
     * domain or of its {@link CoherentAccess} handles is a {@link DomainClosedFault}. The machine stays up;
     * idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        machine.detach(closeHook);
        if (!machineClosing && !machine.isClosed()) {
            for (int node = 0; node < caches.length; node++) {
                if (!departed[node]) {
                    evictWhere(node, line -> true);
                }
            }
            for (Region region : regions) {
                if (machine.addressSpace().regionById(region.id()) == region) {
                    machine.addressSpace().changeAccessMode(region, AccessMode.UNCACHED);
                }
            }
            for (int node = 0; node < caches.length; node++) {
                if (!departed[node]) {
                    caches[node].data().fill((byte) 0);
                    machine.memory(node).allocator().free(cacheOffsets[node], config.cacheBytesPerNode());
                }
            }
        }
        closed = true;
        payloadArena.close();
    }

    // ---- the protocol engine (called by CoherentAccess under this object's lock) -----------------

    long lineOf(long address) {
        return address & lineMask;
    }

    int lineSize() {
        return config.lineSizeBytes();
    }

    Protocol protocolOfRegionId(int regionId) {
        return protocolOfRegion[regionId];
    }

    CacheController cacheController(Protocol protocol) {
        return cacheControllers.get(protocol);
    }

    /**
     * Makes node {@code node}'s cache hold {@code line} so that {@code event} (LOAD or STORE) can hit,
     * starting at {@code startNanos}: takes a slot (evicting the least recently used line if the cache is
     * full) and runs the request to quiescence.
     *
     * @return the modeled time the request completed
     */
    long acquire(int node, long line, Protocol protocol, CacheEvent event, long startNanos) {
        if (anyDeparted && departed[homeOf(line)]) {
            throw homeClosed(homeOf(line), node, line, GlobalAddress.regionId(line));
        }
        LineCache cache = caches[node];
        if (cache.slotOf(line) < 0) {
            if (cache.full()) {
                evict(node, cache.lineOf(cache.leastRecent()), startNanos);
            }
            cache.insert(line);
        }
        return transact(node, line, protocol, new CoreOp(event, 0), startNanos);
    }

    private long evict(int node, long line, long startNanos) {
        CoherenceStats s = stats[node];
        s.evictions++;
        if (caches[node].lineState(line).state() == CacheState.M) {
            s.writebacks++;
        }
        return transact(node, line, protocolOfLine(line), new CoreOp(CacheEvent.REPLACEMENT, 0), startNanos);
    }

    private Protocol protocolOfLine(long line) {
        return protocolOfRegion[GlobalAddress.regionId(line)];
    }

    /** Runs one core request to quiescence; returns when it completed (when it was issued, for a replacement). */
    private long transact(int node, long line, Protocol protocol, CoreOp op, long startNanos) {
        LineCache cache = caches[node];
        int slot = cache.slotOf(line);
        requester = node;
        requestLine = line;
        requestOp = op;
        completedAtNanos = op.event() == CacheEvent.REPLACEMENT ? startNanos : -1;
        CacheController.Result r = cacheControllers.get(protocol).handle(node, 0, cache.state(slot), op.event(), null, op);
        cache.setState(slot, r.line());
        cache.touch(slot);
        boolean homeIsLocal = machine.addressSpace().translate(line).node() == node;
        send(node, line, r.out(), startNanos + (homeIsLocal ? 0 : issueOverheadNanos));
        if (r.completed()) {
            completedAtNanos = startNanos;
        }
        drain(protocol);
        if (cache.slotOf(line) >= 0 && cache.state(cache.slotOf(line)).state() == CacheState.I) {
            cache.free(cache.slotOf(line));
        }
        if (completedAtNanos < 0) {
            throw new ProtocolError("N" + node + "'s " + op.event() + " of line " + Long.toHexString(line)
                    + " reached quiescence without completing");
        }
        return completedAtNanos;
    }

    private void drain(Protocol protocol) {
        int stalledInARow = 0;
        while (!inFlight.isEmpty()) {
            Envelope e = inFlight.poll();
            boolean delivered = e.message().target() == Message.DIRECTORY ? toDirectory(e, protocol) : toCache(e, protocol);
            if (delivered) {
                stalledInARow = 0;
                if (e.payload() != null) {
                    payloads.push(e.payload());
                }
            } else {
                inFlight.add(e);
                if (++stalledInARow > inFlight.size()) {
                    throw new ProtocolError("every message in flight stalls: " + inFlight.stream().map(Envelope::message).toList());
                }
            }
        }
    }

    private boolean toDirectory(Envelope e, Protocol protocol) {
        DirectoryController controller = directoryControllers.get(protocol);
        Message m = e.message();
        DirLine stored = directory.get(e.line());
        DirLine entry = stored == null ? IDLE : stored;
        Transition<DirState, DirAction> t = controller.table().lookup(entry.state(), DirectoryController.classify(entry, m));
        if (t.waits()) {
            return false;
        }
        Translation home = machine.addressSpace().translate(e.line());
        if (t.actions().contains(DirAction.COPY_DATA_TO_MEMORY)) {
            MemorySegment.copy(e.payload(), 0, machine.addressSpace().nodeSegment(home.node()), home.physicalOffset(),
                    config.lineSizeBytes());
        }
        DirectoryController.Result r = controller.handle(0, entry, m);
        if (r.line().state() == DirState.I && r.line().sharers() == 0) {
            directory.remove(e.line());
        } else {
            directory.put(e.line(), r.line());
        }
        // A remote route's calibrated latency already includes reading the far memory; a local one does not.
        boolean readsLocalMemory = home.node() == m.source() && (t.actions().contains(DirAction.SEND_DATA_TO_REQ)
                || t.actions().contains(DirAction.SEND_DATA_TO_REQ_WITH_ACKS)
                || t.actions().contains(DirAction.SEND_EXCLUSIVE_DATA_TO_REQ));
        send(home.node(), e.line(), r.out(), e.arriveNanos() + (readsLocalMemory ? memoryLatencyNanos : 0));
        return true;
    }

    private boolean toCache(Envelope e, Protocol protocol) {
        CacheController controller = cacheControllers.get(protocol);
        Message m = e.message();
        int node = m.target();
        LineCache cache = caches[node];
        int slot = cache.slotOf(e.line());
        CacheLine line = slot < 0 ? CacheLine.INVALID : cache.state(slot);
        CacheEvent event = CacheController.classify(line, m);
        Transition<CacheState, CacheAction> t = controller.table().lookup(line.state(), event);
        if (t.waits()) {
            return false;
        }
        if (t.actions().contains(CacheAction.COPY_DATA)) {
            MemorySegment.copy(e.payload(), 0, cache.data(), cache.offset(slot), config.lineSizeBytes());
        }
        CoreOp op = node == requester && e.line() == requestLine ? requestOp : null;
        CacheController.Result r = controller.handle(node, 0, line, event, m, op);
        CoherenceStats s = stats[requester];
        switch (event) {
            case INV, FWD_GETM -> s.invalidations++;
            case FWD_GETS -> s.downgrades++;
            default -> { }
        }
        if (slot >= 0) {
            cache.setState(slot, r.line());
        }
        // Data leaving this cache is snapshot from its slot, so the slot is freed only after sending.
        send(node, e.line(), r.out(), e.arriveNanos());
        if (slot >= 0 && r.line().state() == CacheState.I && node != requester) {
            cache.free(slot);
        }
        if (r.completed()) {
            completedAtNanos = e.arriveNanos();
        }
        return true;
    }

    /** Puts {@code out}, sent by {@code from} (a node, or the directory at the line's home) at {@code atNanos}, in flight. */
    private void send(int from, long line, List<Message> out, long atNanos) {
        if (out.isEmpty()) {
            return;
        }
        int home = -1;
        for (Message m : out) {
            int source = m.source() == Message.DIRECTORY ? from : m.source();
            int target = m.target();
            if (target == Message.DIRECTORY) {
                if (home < 0) {
                    home = machine.addressSpace().translate(line).node();
                }
                target = home;
            }
            MemorySegment payload = null;
            if (carriesData(m.type())) {
                payload = snapshot(m.source() == Message.DIRECTORY ? -1 : source, line);
            }
            long bytes = HEADER_BYTES + (payload == null ? 0 : config.lineSizeBytes());
            CoherenceStats s = stats[requester];
            s.messagesByType[m.type().ordinal()]++;
            if (fabric.topology().routeClass(source, target) != RouteClass.LOCAL) {
                s.fabricBytes += bytes;
            }
            inFlight.add(new Envelope(m, line, payload, atNanos + fabric.transferNanos(source, target, bytes)));
        }
    }

    private static boolean carriesData(MessageType type) {
        return type == MessageType.DATA || type == MessageType.EXCLUSIVE_DATA || type == MessageType.PUTM;
    }

    /** A copy of {@code line} as {@code node}'s cache holds it, or as home memory holds it when {@code node} is -1. */
    private MemorySegment snapshot(int node, long line) {
        MemorySegment buffer = payloads.isEmpty() ? payloadArena.allocate(config.lineSizeBytes(), 8) : payloads.pop();
        if (node < 0) {
            Translation home = machine.addressSpace().translate(line);
            MemorySegment.copy(machine.addressSpace().nodeSegment(home.node()), home.physicalOffset(), buffer, 0,
                    config.lineSizeBytes());
        } else {
            LineCache cache = caches[node];
            MemorySegment.copy(cache.data(), cache.offset(cache.slotOf(line)), buffer, 0, config.lineSizeBytes());
        }
        return buffer;
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
