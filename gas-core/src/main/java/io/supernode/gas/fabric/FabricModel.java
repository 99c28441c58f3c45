package io.supernode.gas.fabric;

import java.util.ArrayList;
import java.util.List;

/**
 * Modeled time of every access, from the topology and its profiles. Small operations are charged
 * their unloaded cost (latency bound: a 512 B read occupies a UB lane for 3 ns of a 1.2 us round
 * trip); bulk transfers reserve a lane on every link they cross, so transfers sharing a port or a
 * trunk queue behind each other.
 *
 * <p>Costs, with L the one-way latency of the route, o the load/store overhead, B the stream bandwidth:
 * read = o + 2L + n/B; write completion = o + 2L + ack + n/B (a store is posted: its issuer pays
 * o + max(g, n/B) and waits for completion only at the next fence); atomic = o + 2L + ack.
 * Local accesses cost the memory profile's latency + n/bandwidth.
 *
 * <p>Between stacked servers ({@link Topology#stacked()}) a route crosses the two nodes' NIC ports on the
 * scale-out network instead of group trunks, at the scale-out profile's latency and bandwidth, and its issue
 * overhead is that profile's message overhead: what an RDMA read or write of the bytes costs. The unified path
 * refuses such routes ({@link Topology#loadStoreReaches}); copy paths and collectives are charged them.
 */
public final class FabricModel {

    private static final int MAX_SCALAR_BYTES = 8;

    private final Topology topology;
    private final MemoryProfile memory;
    /** By route class: what the issuer spends before the first byte moves (o). */
    private final long[] issueOverheadNanos = new long[RouteClass.values().length];
    /** By route class: the minimum interval between two operations of one issuer (g). */
    private final long[] gapNanos = new long[RouteClass.values().length];
    /** By route class: the extra time before a write is known complete at its target. */
    private final long[] writeAckNanos = new long[RouteClass.values().length];
    private final List<Link> links;
    private final long[] oneWayNanos = new long[RouteClass.values().length];
    /** Nanoseconds per byte of a one-way transfer by route class: the message hot path multiplies. */
    private final double[] transferNanosPerByte = new double[RouteClass.values().length];
    /** Each node's first-tier group, so that routing a message divides nothing. */
    private final int[] groupOfNode;
    private final double[] readBytesPerSecond = new double[RouteClass.values().length];
    private final double[] writeBytesPerSecond = new double[RouteClass.values().length];
    private final long[] scalarReadNanos = new long[RouteClass.values().length * (MAX_SCALAR_BYTES + 1)];
    private final long[] scalarWriteNanos = new long[RouteClass.values().length * (MAX_SCALAR_BYTES + 1)];
    private final long[] scalarPostNanos = new long[RouteClass.values().length * (MAX_SCALAR_BYTES + 1)];

    /** A cost model over {@code topology}; links start idle at time zero. */
    public FabricModel(Topology topology) {
        this.topology = topology;
        LinkProfile link = topology.link();
        this.memory = topology.memory();
        this.links = buildLinks(topology);
        readBytesPerSecond[RouteClass.LOCAL.ordinal()] = memory.bytesPerSecond();
        writeBytesPerSecond[RouteClass.LOCAL.ordinal()] = memory.bytesPerSecond();
        int same = RouteClass.SAME_GROUP.ordinal();
        oneWayNanos[same] = link.latencyNanos();
        readBytesPerSecond[same] = link.readBytesPerSecond();
        writeBytesPerSecond[same] = link.writeBytesPerSecond();
        issueOverheadNanos[same] = link.loadStoreOverheadNanos();
        gapNanos[same] = link.gapNanos();
        writeAckNanos[same] = link.writeAckNanos();
        int cross = RouteClass.CROSS_GROUP.ordinal();
        // The link's own second tier, or between stacked servers the scale-out network (and its spine).
        LinkProfile out = topology.linkOf(RouteClass.CROSS_GROUP);
        oneWayNanos[cross] = out.latencyNanos() + out.secondTierLatencyNanos();
        readBytesPerSecond[cross] = out.readBytesPerSecond() * out.secondTierBandwidthFactor();
        writeBytesPerSecond[cross] = out.writeBytesPerSecond() * out.secondTierBandwidthFactor();
        issueOverheadNanos[cross] = topology.stacked() ? out.messageOverheadNanos() : link.loadStoreOverheadNanos();
        gapNanos[cross] = out.gapNanos();
        writeAckNanos[cross] = out.writeAckNanos();
        for (RouteClass rc : RouteClass.values()) {
            transferNanosPerByte[rc.ordinal()] = 1e9 / readBytesPerSecond[rc.ordinal()];
        }
        groupOfNode = new int[topology.nodeCount()];
        for (int node = 0; node < groupOfNode.length; node++) {
            groupOfNode[node] = topology.groupOf(node);
        }
        for (RouteClass rc : RouteClass.values()) {
            for (int size = 0; size <= MAX_SCALAR_BYTES; size++) {
                scalarReadNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + size] = readNanos(rc, size);
                scalarWriteNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + size] = writeNanos(rc, size);
                scalarPostNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + size] = postNanos(rc, size);
            }
        }
    }

    private static List<Link> buildLinks(Topology topology) {
        List<Link> all = new ArrayList<>();
        int lanes = topology.link().lanes();
        for (int node = 0; node < topology.nodeCount(); node++) {
            all.add(new Link(all.size(), Link.Kind.NODE_EGRESS, node, lanes));
            all.add(new Link(all.size(), Link.Kind.NODE_INGRESS, node, lanes));
        }
        if (topology.stacked()) {
            // One NIC per node on a non-blocking, rail-optimized scale-out network: no shared trunk.
            int nicLanes = topology.scaleOut().lanes();
            for (int node = 0; node < topology.nodeCount(); node++) {
                all.add(new Link(all.size(), Link.Kind.NIC_EGRESS, node, nicLanes));
                all.add(new Link(all.size(), Link.Kind.NIC_INGRESS, node, nicLanes));
            }
        } else if (topology.twoTier()) {
            // A non-blocking Clos: a domain's trunk carries all of its nodes' lanes at once.
            int trunkLanes = lanes * topology.nodesPerGroup();
            for (int group = 0; group < topology.groups(); group++) {
                all.add(new Link(all.size(), Link.Kind.GROUP_UP, group, trunkLanes));
                all.add(new Link(all.size(), Link.Kind.GROUP_DOWN, group, trunkLanes));
            }
        }
        return List.copyOf(all);
    }

    /** The topology this model charges for. */
    public Topology topology() {
        return topology;
    }

    /**
     * Every link, node ports first (egress, ingress per node), then group trunks (up, down per group) or, between
     * stacked servers, NIC ports (out, in per node).
     */
    public List<Link> links() {
        return links;
    }

    /** The ids of the links that data sent from {@code from} to {@code to} crosses, in order. */
    public int[] route(int from, int to) {
        return switch (topology.routeClass(from, to)) {
            case LOCAL -> new int[0];
            case SAME_GROUP -> new int[] {egress(from), ingress(to)};
            case CROSS_GROUP -> topology.stacked() ? new int[] {nicOut(from), nicIn(to)}
                    : new int[] {egress(from), groupUp(topology.groupOf(from)), groupDown(topology.groupOf(to)),
                    ingress(to)};
        };
    }

    private int nicOut(int node) {
        return 2 * topology.nodeCount() + 2 * node;
    }

    private int nicIn(int node) {
        return 2 * topology.nodeCount() + 2 * node + 1;
    }

    private static int egress(int node) {
        return 2 * node;
    }

    private static int ingress(int node) {
        return 2 * node + 1;
    }

    private int groupUp(int group) {
        return 2 * topology.nodeCount() + 2 * group;
    }

    private int groupDown(int group) {
        return 2 * topology.nodeCount() + 2 * group + 1;
    }

    /** Unloaded cost of reading {@code bytes} over a route of this class, issue to data in hand. */
    public long readNanos(RouteClass rc, long bytes) {
        if (rc == RouteClass.LOCAL) {
            return memory.latencyNanos() + transferNanos(bytes, memory.bytesPerSecond());
        }
        return issueOverheadNanos[rc.ordinal()] + 2 * oneWayNanos[rc.ordinal()]
                + transferNanos(bytes, readBytesPerSecond[rc.ordinal()]);
    }

    /** Unloaded cost of writing {@code bytes} over a route of this class, issue to known complete. */
    public long writeNanos(RouteClass rc, long bytes) {
        if (rc == RouteClass.LOCAL) {
            return memory.latencyNanos() + transferNanos(bytes, memory.bytesPerSecond());
        }
        return issueOverheadNanos[rc.ordinal()] + 2 * oneWayNanos[rc.ordinal()] + writeAckNanos[rc.ordinal()]
                + transferNanos(bytes, writeBytesPerSecond[rc.ordinal()]);
    }

    /** Cost of a remote atomic (compare-and-set, fetch-add, swap): a round trip plus the write's completion. */
    public long atomicNanos(RouteClass rc) {
        return scalarWriteNanos(rc, Long.BYTES);
    }

    /** What issuing a posted store costs its issuer; the store completes {@link #writeNanos} after issue. */
    public long postNanos(RouteClass rc, long bytes) {
        if (rc == RouteClass.LOCAL) {
            return transferNanos(bytes, memory.bytesPerSecond());
        }
        return issueOverheadNanos[rc.ordinal()]
                + Math.max(gapNanos[rc.ordinal()], transferNanos(bytes, writeBytesPerSecond[rc.ordinal()]));
    }

    /** {@link #readNanos} for 0..8 bytes, from a table: the scalar hot path does no arithmetic. */
    public long scalarReadNanos(RouteClass rc, int bytes) {
        return scalarReadNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + bytes];
    }

    /** {@link #writeNanos} for 0..8 bytes, from a table. */
    public long scalarWriteNanos(RouteClass rc, int bytes) {
        return scalarWriteNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + bytes];
    }

    /** {@link #postNanos} for 0..8 bytes, from a table. */
    public long scalarPostNanos(RouteClass rc, int bytes) {
        return scalarPostNanos[rc.ordinal() * (MAX_SCALAR_BYTES + 1) + bytes];
    }

    /** The cost of one page-table walk: an 8-byte read of the entry from the region's home node. */
    public long translationMissNanos(int issuer, int homeNode) {
        return scalarReadNanos(topology.routeClass(issuer, homeNode), Long.BYTES);
    }

    /**
     * A bulk read of {@code bytes} by {@code issuer} from {@code target}'s memory issued at
     * {@code startNanos}: the request travels one way, the data streams back through every link of
     * the route once a lane is free on each, then the last byte travels one way.
     *
     * @return the modeled time at which the data is in the issuer's hands
     */
    public long bulkRead(int issuer, int target, long bytes, long startNanos) {
        RouteClass rc = topology.routeClass(issuer, target);
        if (rc == RouteClass.LOCAL) {
            return startNanos + readNanos(rc, bytes);
        }
        long oneWay = oneWayNanos[rc.ordinal()];
        long duration = transferNanos(bytes, readBytesPerSecond[rc.ordinal()]);
        long dataStart = reserve(target, issuer, startNanos + issueOverheadNanos[rc.ordinal()] + oneWay, duration);
        return dataStart + duration + oneWay;
    }

    /**
     * A bulk write of {@code bytes} by {@code issuer} into {@code target}'s memory issued at
     * {@code startNanos}.
     *
     * @return the modeled time at which the write is known complete at the issuer
     */
    public long bulkWrite(int issuer, int target, long bytes, long startNanos) {
        RouteClass rc = topology.routeClass(issuer, target);
        if (rc == RouteClass.LOCAL) {
            return startNanos + writeNanos(rc, bytes);
        }
        return landing(rc, issuer, target, bytes, startNanos) + oneWayNanos[rc.ordinal()] + writeAckNanos[rc.ordinal()];
    }

    /**
     * A bulk write of {@code bytes} by {@code issuer} into {@code target}'s memory issued at
     * {@code startNanos}, as {@link #bulkWrite} reserves it, seen from the target: the store streams through
     * every link of the route once a lane is free on each, and its last byte lands one latency later (what
     * a signal stored after it announces to a waiting target).
     *
     * @return the modeled time at which the last byte is in {@code target}'s memory
     */
    public long writeLanding(int issuer, int target, long bytes, long startNanos) {
        RouteClass rc = topology.routeClass(issuer, target);
        if (rc == RouteClass.LOCAL) {
            return startNanos + writeNanos(rc, bytes);
        }
        return landing(rc, issuer, target, bytes, startNanos);
    }

    /** {@link #writeLanding} over a remote route already classified, so a bulk write classifies it once. */
    private long landing(RouteClass rc, int issuer, int target, long bytes, long startNanos) {
        long duration = transferNanos(bytes, writeBytesPerSecond[rc.ordinal()]);
        long dataStart = reserve(issuer, target, startNanos + issueOverheadNanos[rc.ordinal()], duration);
        return dataStart + duration + oneWayNanos[rc.ordinal()];
    }

    /**
     * A bulk write (or, with {@code write} false, a one-way message) of {@code bytes} from {@code from} to {@code to}
     * issued at {@code startNanos}, with every link of its route booked on its own, as packets of many concurrent
     * flows interleave on each port: the bytes take each link from when they start through the link before it, or
     * from when a lane of it frees up, so a busy receiving port delays the flows into it and not the sender's flows to
     * other nodes. {@link #writeLanding} and {@link #transfer} instead take every link of the route at once, as one
     * circuit, which suits a collective's few large flows but chains many small concurrent flows one behind another.
     *
     * @return the modeled time at which the last byte is in {@code to}'s memory
     */
    public long interleavedLanding(int from, int to, long bytes, long startNanos, boolean write) {
        RouteClass rc = routeClass(from, to);
        if (rc == RouteClass.LOCAL) {
            return write ? startNanos + writeNanos(rc, bytes) : startNanos + transferNanos(bytes, memory.bytesPerSecond());
        }
        double bytesPerSecond = write ? writeBytesPerSecond[rc.ordinal()] : readBytesPerSecond[rc.ordinal()];
        long duration = transferNanos(bytes, bytesPerSecond);
        long start = startNanos + (write ? issueOverheadNanos[rc.ordinal()] : 0);
        for (int id : route(from, to)) {
            Link link = links.get(id);
            synchronized (link) {
                int lane = link.earliestLane();
                start = Math.max(start, link.laneFreeAt(lane));
                link.occupy(lane, start, duration);
            }
        }
        return start + duration + oneWayNanos[rc.ordinal()];
    }

    /**
     * When the first link of the route from {@code from} to {@code to} (the sender's port, or its NIC between stacked
     * servers) has a lane free: what a sender whose NIC streams its posted writes waits for before posting more.
     */
    public long sendPortFreeAt(int from, int to) {
        int[] route = route(from, to);
        if (route.length == 0) {
            return 0;
        }
        Link link = links.get(route[0]);
        synchronized (link) {
            return link.laneFreeAt(link.earliestLane());
        }
    }

    /**
     * A one-way transfer of {@code bytes} from {@code from} to {@code to} (a message on this plane)
     * whose first byte may leave at {@code startNanos}: it streams through every link of the route
     * once a lane is free on each, and the last byte lands one latency later.
     *
     * @return the modeled time at which the last byte has arrived
     */
    public long transfer(int from, int to, long bytes, long startNanos) {
        RouteClass rc = topology.routeClass(from, to);
        if (rc == RouteClass.LOCAL) {
            return startNanos + transferNanos(bytes, memory.bytesPerSecond());
        }
        long duration = transferNanos(bytes, readBytesPerSecond[rc.ordinal()]);
        long dataStart = reserve(from, to, startNanos, duration);
        return dataStart + duration + oneWayNanos[rc.ordinal()];
    }

    /** The unloaded one-way cost of {@link #transfer}. */
    public long transferNanos(RouteClass rc, long bytes) {
        return oneWayNanos[rc.ordinal()] + Math.round(bytes * transferNanosPerByte[rc.ordinal()]);
    }

    /** {@link #transferNanos(RouteClass, long)} between two nodes, with no division on the way. */
    public long transferNanos(int from, int to, long bytes) {
        return transferNanos(routeClass(from, to), bytes);
    }

    /** The route class between two nodes, as {@link Topology#routeClass} gives it, from a table. */
    public RouteClass routeClass(int from, int to) {
        return from == to ? RouteClass.LOCAL
                : groupOfNode[from] == groupOfNode[to] ? RouteClass.SAME_GROUP : RouteClass.CROSS_GROUP;
    }

    /**
     * Finds the earliest time at or after {@code earliestNanos} when a lane is free on every link of the
     * route from {@code from} to {@code to}, and takes them. Locks are always taken trunk up, trunk down,
     * then the two node ports in id order, and port locks are never held while waiting for a trunk, so
     * the order is total (no deadlock) and transfers on disjoint links never wait for each other.
     */
    private long reserve(int from, int to, long earliestNanos, long durationNanos) {
        Link first = links.get(egress(from));
        Link last = links.get(ingress(to));
        if (topology.routeClass(from, to) == RouteClass.SAME_GROUP) {
            return reserve(first, last, earliestNanos, durationNanos);
        }
        if (topology.stacked()) {
            return reserve(links.get(nicOut(from)), links.get(nicIn(to)), earliestNanos, durationNanos);
        }
        Link up = links.get(groupUp(topology.groupOf(from)));
        Link down = links.get(groupDown(topology.groupOf(to)));
        synchronized (up) {
            synchronized (down) {
                long start = Math.max(earliestNanos, Math.max(up.laneFreeAt(up.earliestLane()), down.laneFreeAt(down.earliestLane())));
                start = reserve(first, last, start, durationNanos);
                up.occupy(up.earliestLane(), start, durationNanos);
                down.occupy(down.earliestLane(), start, durationNanos);
                return start;
            }
        }
    }

    private static long reserve(Link a, Link b, long earliestNanos, long durationNanos) {
        Link low = a.id() < b.id() ? a : b;
        Link high = low == a ? b : a;
        synchronized (low) {
            synchronized (high) {
                int laneA = a.earliestLane();
                int laneB = b.earliestLane();
                long start = Math.max(earliestNanos, Math.max(a.laneFreeAt(laneA), b.laneFreeAt(laneB)));
                a.occupy(laneA, start, durationNanos);
                b.occupy(laneB, start, durationNanos);
                return start;
            }
        }
    }

    /**
     * An in-switch load-reduce (NVLink SHARP's multimem load-reduce) of {@code bytes} by {@code requester} over
     * {@code members} under one first-tier switch, issued at {@code startNanos}: the request travels up, every
     * member's port streams its copy into the switch once a lane of it is free, and the reduced result streams
     * down the requester's port from when the last copy starts (the switch reduces as the packets pass), all at
     * the link's switch reduction rate. Each port is booked on its own, as packets of many operations interleave
     * on it.
     *
     * @return the modeled time at which the reduced bytes are in the requester's hands
     * @throws IllegalStateException when the link's switches do not reduce at a known rate
     */
    public long switchReduce(int requester, int[] members, long bytes, long startNanos) {
        long duration = switchDuration(bytes);
        long oneWay = oneWayNanos[RouteClass.SAME_GROUP.ordinal()];
        long requested = startNanos + issueOverheadNanos[RouteClass.SAME_GROUP.ordinal()] + oneWay;
        long lastCopy = requested;
        for (int member : members) {
            lastCopy = Math.max(lastCopy, reserveOne(links.get(egress(member)), requested, duration));
        }
        return reserveOne(links.get(ingress(requester)), lastCopy, duration) + duration + oneWay;
    }

    /**
     * A multicast store (NVLink SHARP's multimem store) of {@code bytes} from {@code from} to every one of
     * {@code members}: the sender's port streams the bytes once, and the switch replicates them into every other
     * member's port as they pass.
     *
     * @return the modeled time at which the last byte has landed at every member
     * @throws IllegalStateException when the link's switches do not reduce at a known rate
     */
    public long multicast(int from, int[] members, long bytes, long startNanos) {
        long duration = switchDuration(bytes);
        long sent = reserveOne(links.get(egress(from)), startNanos + issueOverheadNanos[RouteClass.SAME_GROUP.ordinal()],
                duration);
        long landed = sent + duration;
        for (int member : members) {
            if (member != from) {
                landed = Math.max(landed, reserveOne(links.get(ingress(member)), sent, duration) + duration);
            }
        }
        return landed + oneWayNanos[RouteClass.SAME_GROUP.ordinal()];
    }

    private long switchDuration(long bytes) {
        LinkProfile link = topology.link();
        if (!link.reducesInSwitch()) {
            throw new IllegalStateException("link profile " + link.name() + " does not reduce in its switches at a known rate");
        }
        return transferNanos(bytes, link.switchReduceBytesPerSecond());
    }

    /** Takes the earliest lane of {@code link} at or after {@code earliestNanos}; returns when it starts. */
    private static long reserveOne(Link link, long earliestNanos, long durationNanos) {
        synchronized (link) {
            int lane = link.earliestLane();
            long start = Math.max(earliestNanos, link.laneFreeAt(lane));
            link.occupy(lane, start, durationNanos);
            return start;
        }
    }

    /** Every link's busy time, indexed by link id, each read under its link's lock. */
    public long[] linkBusyNanos() {
        long[] busy = new long[links.size()];
        for (Link l : links) {
            synchronized (l) {
                busy[l.id()] = l.busyNanos();
            }
        }
        return busy;
    }

    /** Time to move {@code bytes} at {@code bytesPerSecond}, rounded to the nearest nanosecond. */
    public static long transferNanos(long bytes, double bytesPerSecond) {
        return Math.round(bytes * 1e9 / bytesPerSecond);
    }
}
