package io.supernode.collectives.run;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

/**
 * What one slice costs on one transport, with the links and per-rank engines it occupies: the cost model
 * {@link Timing} books a collective's slices with, and expert-parallel dispatch and combine book their chunks with.
 * Modeled time only.
 */
public final class SliceCosts {

    private final Transport transport;
    private final Protocol protocol;
    private final FabricModel fabric;
    private final MessagePlane plane;
    private final double memoryBytesPerSecond;
    /** By route class, the rate one channel's engine streams at. */
    private final double[] channelBytesPerSecond = new double[RouteClass.values().length];
    private final int channels;
    /** By route class, the one-way latency. */
    private final long[] oneWayNanos = new long[RouteClass.values().length];
    /** By route class, whether the copy path's slices are moved by a copy kernel over a scale-up link. */
    private final boolean[] copyKernel = new boolean[RouteClass.values().length];
    private final long[] engineFree;
    private final long[] sendFree;
    private final long[] receiveFree;
    private final boolean interleaved;
    private long wireBytes;
    private long messages;

    /**
     * Fresh costs (every link and engine idle at time zero) of slices over {@code transport} with {@code protocol}'s
     * overheads on a machine shaped {@code topology}, {@code channels} engines per rank.
     */
    public SliceCosts(Transport transport, Protocol protocol, Topology topology, MessagePlane plane, int channels) {
        this(transport, protocol, topology, plane, channels, 1.0, false);
    }

    /**
     * As {@link #SliceCosts(Transport, Protocol, Topology, MessagePlane, int)}, with a rank's engines together
     * driving a load/store port at {@code portShare} of its rate (kernels that stream through fewer or slower
     * units than a collective's copy engines), and with {@code interleaved} every link of a slice's route booked on
     * its own ({@link FabricModel#interleavedLanding}: many small concurrent flows) instead of as one circuit.
     */
    public SliceCosts(Transport transport, Protocol protocol, Topology topology, MessagePlane plane, int channels,
                      double portShare, boolean interleaved) {
        this.interleaved = interleaved;
        this.transport = transport;
        this.protocol = protocol;
        this.plane = plane;
        this.channels = channels;
        Topology wired = transport == Transport.UNIFIED ? topology : plane.wire().topology();
        this.fabric = new FabricModel(wired);
        this.memoryBytesPerSecond = topology.memory().bytesPerSecond();
        for (RouteClass rc : RouteClass.values()) {
            // Channels share every lane of a node's port (UB's two dies each stream at the link's rate). Between
            // stacked servers the NIC moves the bytes of an RDMA write at the link's rate; the channel only posts
            // it, so it streams nothing itself.
            LinkProfile link = wired.linkOf(rc);
            boolean nicMoves = wired.stacked() && rc == RouteClass.CROSS_GROUP;
            channelBytesPerSecond[rc.ordinal()] = nicMoves ? Double.POSITIVE_INFINITY
                    : link.writeBytesPerSecond() * link.lanes() * portShare / channels;
            copyKernel[rc.ordinal()] = transport == Transport.COPY && link.loadStore() && rc != RouteClass.LOCAL;
            oneWayNanos[rc.ordinal()] = fabric.transferNanos(rc, 0);
        }
        this.engineFree = new long[topology.nodeCount() * channels];
        this.sendFree = new long[topology.nodeCount()];
        this.receiveFree = new long[topology.nodeCount()];
    }

    /** Bytes on remote links so far, payload and protocol overhead. */
    public long wireBytes() {
        return wireBytes;
    }

    /** Messages on the copy path so far (0 on the unified path). */
    public long messages() {
        return messages;
    }

    /** How many senders there are: an engine per node and channel (unified) or a node's software (copy). */
    public int senders() {
        return transport == Transport.UNIFIED ? engineFree.length : sendFree.length;
    }

    /** The sender of a slice of {@code from}'s channel, or -1 for a rank's own copy, which no sender serializes. */
    public int sender(int from, int channel, boolean local) {
        return local ? -1 : transport == Transport.UNIFIED ? from * channels + channel : from;
    }

    /** When {@code sender} is free to send its next slice. */
    public long freeAt(int sender) {
        return transport == Transport.UNIFIED ? engineFree[sender] : sendFree[sender];
    }

    /**
     * Books one slice of {@code bytes} from node {@code from} to node {@code to} on {@code channel}, its data ready at
     * {@code ready}: a rank's own copy (or reduction, {@code reduce}) at memory bandwidth, or a remote slice as the
     * class comment of {@link Timing} describes, reduced on landing when {@code reduce}.
     *
     * @return when the slice is in place (and reduced) at {@code to}
     */
    public long slice(int from, int to, int channel, boolean local, boolean reduce, long bytes, long ready) {
        if (local) {
            return ready + FabricModel.transferNanos((reduce ? 3 : 2) * bytes, memoryBytesPerSecond);
        }
        long reduceNanos = reduce ? FabricModel.transferNanos(3 * bytes, memoryBytesPerSecond) : 0;
        long wire = (long) Math.ceil(bytes / protocol.payloadShare());
        if (transport == Transport.UNIFIED) {
            wireBytes += wire;
            // The channel's engine at the sender streams the slice at its share of the link, one slice at
            // a time; the link itself is reserved at its full rate, shared by every channel and flow.
            int engine = from * channels + channel;
            int route = fabric.routeClass(from, to).ordinal();
            long start = Math.max(ready, engineFree[engine]);
            long streamed = start + FabricModel.transferNanos(wire, channelBytesPerSecond[route]);
            engineFree[engine] = streamed;
            long booked = interleaved ? fabric.interleavedLanding(from, to, wire, start, true)
                    : fabric.writeLanding(from, to, wire, start);
            long landed = Math.max(booked, streamed + oneWayNanos[route]);
            if (interleaved && channelBytesPerSecond[route] == Double.POSITIVE_INFINITY) {
                // The NIC streams what the channel posted: the channel posts its next write once the NIC has sent
                // this one, so that links are booked in time order.
                engineFree[engine] = Math.max(engineFree[engine], fabric.sendPortFreeAt(from, to));
            }
            return landed + protocol.syncNanos() + reduceNanos;
        }
        messages++;
        wireBytes += wire + CopyStack.HEADER_BYTES;
        long sendStart = Math.max(ready, sendFree[from]);
        RouteClass route = fabric.routeClass(from, to);
        long depart = sendStart + plane.sendSideNanos(route, wire);
        sendFree[from] = depart;
        long streamed = 0;
        if (copyKernel[route.ordinal()]) {
            // Over a scale-up link (inside a stacked server) a copy kernel moves the slice, a channel's at its
            // share of the port, as the unified path's stores are; a NIC moves the rest at the link's rate.
            int engine = from * channels + channel;
            depart = Math.max(depart, engineFree[engine]);
            streamed = depart + FabricModel.transferNanos(wire, channelBytesPerSecond[route.ordinal()]);
            engineFree[engine] = streamed;
        }
        long handed = depart + plane.nicFetchNanos(route, wire);
        long wired = interleaved ? fabric.interleavedLanding(from, to, wire + CopyStack.HEADER_BYTES, handed, false)
                : fabric.transfer(from, to, wire + CopyStack.HEADER_BYTES, handed);
        long arrival = Math.max(streamed + oneWayNanos[route.ordinal()], wired);
        long received = Math.max(arrival, receiveFree[to]) + plane.receiveSideNanos(route, wire);
        receiveFree[to] = received;
        return received + reduceNanos;
    }
}
