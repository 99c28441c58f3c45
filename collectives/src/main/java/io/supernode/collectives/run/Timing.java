package io.supernode.collectives.run;

import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The modeled time of a schedule at its full size, from the fabric model: every transfer is cut into the
 * protocol's slices, every slice reserves a lane on each link of its route (fresh links, so a collective is
 * timed alone), and a slice leaves its sender once that sender has the data: for every transfer of the step
 * before that wrote what it reads (same buffer, overlapping elements, any channel), the slice of it that wrote
 * the slice's last element, and, for a rank's own copies and reductions, the one before it on its channel. Slices are taken in the order they become ready, so concurrent flows of one collective queue
 * on the ports and trunks they share, and a ring pipelines slice by slice as NCCL's does.
 *
 * <p>A slice costs, on the unified path, a bulk store (the link's write bandwidth, its latency) and the
 * protocol's synchronization before the receiver acts on it (between stacked servers the store is an RDMA write
 * through both NICs, as NVSHMEM's put is there); on the copy path, one message: the sender's
 * software (serialized per rank, LogGP's o), the NIC's fetch, the wire, and the receiver's software. A
 * reducing slice adds the receiver's reduction at memory bandwidth (three streams: two read, one written), a
 * local copy two. The collective's time is the protocol's launch cost plus the last slice's completion.
 * Modeled time only: nothing here moves bytes or reads the host clock.
 */
public final class Timing {

    /**
     * The most slices one timing takes: beyond it slices grow by powers of two (A: 2 M events keep a timing
     * under a second; the coarser pipeline is reported as the slice actually used).
     */
    public static final int MAX_EVENTS = 1 << 21;

    /**
     * A schedule's modeled cost.
     *
     * @param modeledNanos launch to the last slice's completion
     * @param sliceBytes   the slice the timing used (the protocol's, or larger past {@link #MAX_EVENTS})
     * @param slices       slices timed
     * @param wireBytes    bytes on remote links, payload and protocol overhead
     * @param messages     messages on the copy path (0 on the unified path)
     * @param stepEndNanos   per step of the schedule, when its last slice completed (after the launch)
     */
    public record Result(long modeledNanos, long sliceBytes, long slices, long wireBytes, long messages,
                         long[] stepEndNanos) {
    }

    private Timing() {
    }

    /**
     * Times {@code schedule} with elements of {@code elementBytes} on {@code team}'s nodes of a machine shaped
     * {@code topology}; {@code plane} gives the copy path's per-message costs.
     */
    public static Result of(Schedule schedule, Team team, int elementBytes, Transport transport, Protocol protocol,
                            Topology topology, MessagePlane plane, int maxEvents, int channels) {
        long smallest = Long.MAX_VALUE;
        for (List<Transfer> step : schedule.steps()) {
            for (Transfer t : step) {
                smallest = Math.min(smallest, t.elements());
            }
        }
        // As NCCL does for small sizes, fewer channels than elements are never used.
        int lanes = (int) Math.max(1, Math.min(channels, smallest == Long.MAX_VALUE ? 1 : smallest));
        List<Transfer> transfers = new ArrayList<>();
        List<Integer> stepOf = new ArrayList<>();
        List<Integer> channelOf = new ArrayList<>();
        for (int s = 0; s < schedule.steps().size(); s++) {
            for (Transfer t : schedule.steps().get(s)) {
                for (int c = 0; c < lanes; c++) {
                    long first = t.elements() * c / lanes;
                    long elements = t.elements() * (c + 1) / lanes - first;
                    transfers.add(new Transfer(t.from(), t.to(), t.source(), t.sourceElement() + first, t.target(),
                            t.targetElement() + first, elements, t.reduce()));
                    stepOf.add(s);
                    channelOf.add(c);
                }
            }
        }
        int count = transfers.size();
        long largest = 0;
        for (Transfer t : transfers) {
            largest = Math.max(largest, t.elements() * elementBytes);
        }
        long slice = protocol.sliceBytes();
        long events;
        while ((events = sliceCount(transfers, elementBytes, slice)) > maxEvents && slice < largest) {
            slice *= 2;
        }
        long sliceElements = Math.max(1, slice / elementBytes);
        int[][] successors = successors(schedule.ranks(), transfers, stepOf, channelOf, lanes);
        int[] predecessors = new int[count];
        for (int[] next : successors) {
            for (int t : next) {
                predecessors[t]++;
            }
        }
        int[] base = new int[count + 1];
        for (int t = 0; t < count; t++) {
            base[t + 1] = base[t] + slices(transfers.get(t), elementBytes, slice);
        }
        int[] pending = new int[(int) events];
        long[] ready = new long[(int) events];
        int[] owner = new int[(int) events];
        EventQueue queue = new EventQueue(1024);
        for (int t = 0; t < count; t++) {
            for (int e = base[t]; e < base[t + 1]; e++) {
                pending[e] = predecessors[t];
                owner[e] = t;
                if (predecessors[t] == 0) {
                    queue.push(0, e);
                }
            }
        }
        Costs costs = new Costs(transport, protocol, topology, plane, lanes);
        // Slices whose sender is busy wait at that sender, and the first in program order (step, then slice:
        // the order a channel's kernel loops in) goes back on the event queue when the sender frees up, so
        // that links are booked in time order.
        EventQueue[] waiting = new EventQueue[costs.senders()];
        // The one waiting slice per sender put back on the event queue, or -1.
        int[] releasedEvent = new int[costs.senders()];
        Arrays.fill(releasedEvent, -1);
        long[] stepEnd = new long[schedule.steps().size()];
        long end = 0;
        long processed = 0;
        while (!queue.isEmpty()) {
            long at = queue.peekTime();
            int event = queue.pop();
            int t = owner[event];
            Transfer transfer = transfers.get(t);
            int sender = costs.sender(team.node(transfer.from()), channelOf.get(t), transfer.local());
            if (sender >= 0 && releasedEvent[sender] == event) {
                releasedEvent[sender] = -1;
            }
            if (sender >= 0 && costs.freeAt(sender) > at) {
                if (waiting[sender] == null) {
                    waiting[sender] = new EventQueue(16);
                }
                waiting[sender].push(event, event);
                if (releasedEvent[sender] < 0) {
                    // The first waiting slice goes back on the queue for when the sender frees up.
                    releasedEvent[sender] = waiting[sender].pop();
                    queue.push(costs.freeAt(sender), releasedEvent[sender]);
                }
                continue;
            }
            processed++;
            int index = event - base[t];
            long bytes = sliceBytes(transfer, elementBytes, slice, index);
            long done = costs.slice(team.node(transfer.from()), team.node(transfer.to()), channelOf.get(t),
                    transfer.local(), transfer.reduce(), bytes, at);
            end = Math.max(end, done);
            int step = stepOf.get(t);
            stepEnd[step] = Math.max(stepEnd[step], protocol.launchNanos() + done);
            if (sender >= 0 && releasedEvent[sender] < 0 && waiting[sender] != null && !waiting[sender].isEmpty()) {
                releasedEvent[sender] = waiting[sender].pop();
                queue.push(costs.freeAt(sender), releasedEvent[sender]);
            }
            for (int next : successors[t]) {
                int slicesOfNext = base[next + 1] - base[next];
                Transfer successor = transfers.get(next);
                // The successor's slices whose last element this transfer wrote in this slice (see waitsFor).
                int low = firstWaiting(successor, transfer, sliceElements, slicesOfNext, index);
                for (int j = low; j < slicesOfNext && waitsFor(successor, transfer, sliceElements, j) == index; j++) {
                    int e = base[next] + j;
                    ready[e] = Math.max(ready[e], done);
                    if (--pending[e] == 0) {
                        queue.push(ready[e], e);
                    }
                }
            }
        }
        if (processed != events) {
            int stuck = 0;
            while (stuck < pending.length && pending[stuck] == 0) {
                stuck++;
            }
            throw new IllegalStateException("timing left " + (events - processed) + " of " + events + " slices waiting, "
                    + "first of transfer " + (stuck < owner.length ? transfers.get(owner[stuck]) : null) + " pending "
                    + (stuck < pending.length ? pending[stuck] : -1));
        }
        return new Result(protocol.launchNanos() + end, slice, events, costs.wireBytes, costs.messages, stepEnd);
    }

    /**
     * Per transfer, the transfers that wait for it (see the class comment), channel by channel: a channel's
     * transfers wait only for the same channel's.
     */
    private static int[][] successors(int ranks, List<Transfer> transfers, List<Integer> stepOf,
                                      List<Integer> channelOf, int lanes) {
        int count = transfers.size();
        int[][] next = new int[count][];
        int[] nextCount = new int[count];
        // The transfers of the step before into each rank, on any channel, as runs of one array: a channel's slice
        // may read what another channel wrote when a step cuts the buffer differently (a hierarchical schedule's
        // pieces of a block).
        int[] intoFirst = new int[ranks + 1];
        int[] into = new int[0];
        // A rank's own copies and reductions run one after another on their channel.
        int[] lastLocal = new int[ranks * lanes];
        int first = 0;
        while (first < count) {
            int end = first;
            while (end < count && stepOf.get(end).equals(stepOf.get(first))) {
                end++;
            }
            Arrays.fill(lastLocal, -1);
            for (int t = first; t < end; t++) {
                Transfer transfer = transfers.get(t);
                int queue = transfer.from() * lanes + channelOf.get(t);
                // A rank's own copies and reductions of a step run one after another, so waiting for the last of
                // them that wrote what this reads is waiting for all of them.
                int lastLocalWriter = -1;
                for (int i = intoFirst[transfer.from()]; i < intoFirst[transfer.from() + 1]; i++) {
                    Transfer writer = transfers.get(into[i]);
                    if (feeds(writer, transfer)) {
                        if (writer.local()) {
                            lastLocalWriter = Math.max(lastLocalWriter, into[i]);
                        } else {
                            add(next, nextCount, into[i], t);
                        }
                    }
                }
                if (lastLocalWriter >= 0) {
                    add(next, nextCount, lastLocalWriter, t);
                }
                if (transfer.local()) {
                    if (lastLocal[queue] >= 0) {
                        add(next, nextCount, lastLocal[queue], t);
                    }
                    lastLocal[queue] = t;
                }
            }
            // Counting sort of this step's transfers by the rank they arrive at.
            Arrays.fill(intoFirst, 0);
            for (int t = first; t < end; t++) {
                intoFirst[transfers.get(t).to() + 1]++;
            }
            for (int q = 0; q < ranks; q++) {
                intoFirst[q + 1] += intoFirst[q];
            }
            into = new int[end - first];
            int[] fill = Arrays.copyOf(intoFirst, ranks);
            for (int t = first; t < end; t++) {
                into[fill[transfers.get(t).to()]++] = t;
            }
            first = end;
        }
        for (int t = 0; t < count; t++) {
            next[t] = next[t] == null ? new int[0] : Arrays.copyOf(next[t], nextCount[t]);
        }
        return next;
    }

    /**
     * The slice of {@code writer} that slice {@code j} of {@code reader} waits for: the one that wrote the last
     * element of the slice that the writer writes at all (the nearest one when the slice reads none of them), so
     * that every slice of the reader waits for exactly one slice of each transfer it depends on, and a slice
     * leaves as soon as the bytes it carries are in place.
     */
    private static int waitsFor(Transfer reader, Transfer writer, long sliceElements, int j) {
        long lastRead = Math.min(reader.sourceElement() + reader.elements(), reader.sourceElement() + (j + 1) * sliceElements) - 1;
        long written = Math.clamp(lastRead, writer.targetElement(), writer.targetElement() + writer.elements() - 1);
        return (int) ((written - writer.targetElement()) / sliceElements);
    }

    /** The first slice of {@code reader} that waits for slice {@code index} of {@code writer} or a later one. */
    private static int firstWaiting(Transfer reader, Transfer writer, long sliceElements, int slices, int index) {
        int low = 0;
        int high = slices;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (waitsFor(reader, writer, sliceElements, mid) < index) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Whether {@code earlier} wrote elements that {@code later} reads: the same buffer, overlapping ranges. */
    private static boolean feeds(Transfer earlier, Transfer later) {
        return earlier.target() == later.source() && earlier.targetElement() < later.sourceElement() + later.elements()
                && later.sourceElement() < earlier.targetElement() + earlier.elements();
    }

    private static void add(int[][] next, int[] nextCount, int from, int to) {
        if (next[from] == null) {
            next[from] = new int[2];
        } else if (nextCount[from] == next[from].length) {
            next[from] = Arrays.copyOf(next[from], 2 * nextCount[from]);
        }
        next[from][nextCount[from]++] = to;
    }

    private static long sliceCount(List<Transfer> transfers, int elementBytes, long slice) {
        long total = 0;
        for (Transfer t : transfers) {
            total += slices(t, elementBytes, slice);
        }
        return total;
    }

    private static int slices(Transfer t, int elementBytes, long slice) {
        return (int) Math.max(1, (t.elements() * elementBytes + slice - 1) / slice);
    }

    private static long sliceBytes(Transfer t, int elementBytes, long slice, int index) {
        long bytes = t.elements() * elementBytes;
        return Math.min(slice, bytes - index * slice);
    }

    /** What one slice costs on one transport, with the links and per-rank engines it occupies. */
    private static final class Costs {
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
        private final long[] engineFree;
        private final long[] sendFree;
        private final long[] receiveFree;
        long wireBytes;
        long messages;

        Costs(Transport transport, Protocol protocol, Topology topology, MessagePlane plane, int channels) {
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
                        : link.writeBytesPerSecond() * link.lanes() / channels;
                oneWayNanos[rc.ordinal()] = fabric.transferNanos(rc, 0);
            }
            this.engineFree = new long[topology.nodeCount() * channels];
            this.sendFree = new long[topology.nodeCount()];
            this.receiveFree = new long[topology.nodeCount()];
        }

        /** How many senders there are: an engine per node and channel (unified) or a node's software (copy). */
        int senders() {
            return transport == Transport.UNIFIED ? engineFree.length : sendFree.length;
        }

        /** The sender of a slice of {@code from}'s channel, or -1 for a rank's own copy, which no sender serializes. */
        int sender(int from, int channel, boolean local) {
            return local ? -1 : transport == Transport.UNIFIED ? from * channels + channel : from;
        }

        /** When {@code sender} is free to send its next slice. */
        long freeAt(int sender) {
            return transport == Transport.UNIFIED ? engineFree[sender] : sendFree[sender];
        }

        long slice(int from, int to, int channel, boolean local, boolean reduce, long bytes, long ready) {
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
                long landed = Math.max(fabric.writeLanding(from, to, wire, start), streamed + oneWayNanos[route]);
                return landed + protocol.syncNanos() + reduceNanos;
            }
            messages++;
            wireBytes += wire + CopyStack.HEADER_BYTES;
            long sendStart = Math.max(ready, sendFree[from]);
            long depart = sendStart + plane.sendSideNanos(wire);
            sendFree[from] = depart;
            long arrival = fabric.transfer(from, to, wire + CopyStack.HEADER_BYTES, depart + plane.nicFetchNanos(fabric.routeClass(from, to), wire));
            long received = Math.max(arrival, receiveFree[to]) + plane.receiveSideNanos(wire);
            receiveFree[to] = received;
            return received + reduceNanos;
        }
    }
}
