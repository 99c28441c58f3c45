package io.supernode.collectives.moe;

import io.supernode.collectives.run.EventQueue;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.SliceCosts;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.MessagePlane;

/**
 * The modeled time of one phase's chunks, booked on the machine's links by {@link SliceCosts} as a collective's
 * slices are: a rank's channels stream their chunks in program order, a forwarded chunk leaves once the chunk that
 * brought its tokens has landed, and chunks ready at the same time go in program order, so that the links are booked
 * in time order and concurrent flows queue where they share a port. A rank's time is DeepEP's kernel time on it: from
 * the launch until everything it sends, forwards and receives is in place; the phase's time is the mean over ranks
 * (DeepEP reports a rank's average kernel time), its slowest rank alongside. Modeled time only.
 */
final class MoeTiming {

    /**
     * One phase's modeled cost.
     *
     * @param meanNanos   mean over ranks of a rank's time
     * @param maxNanos    the slowest rank's time
     * @param rankNanos   every rank's time
     * @param routeBytes  bytes moved by route class ({@link RouteClass} ordinal): a rank's own copies, inside a
     *                    first-tier group, between groups
     * @param messages    puts (unified path) or messages (copy path) between ranks
     * @param chunks      chunks timed
     */
    record Phase(long meanNanos, long maxNanos, long[] rankNanos, long[] routeBytes, long messages, int chunks) {
    }

    private MoeTiming() {
    }

    /**
     * Times {@code graph} on {@code team} over {@code transport}, the kernels driving ports at {@code portShare}; with
     * {@code unpack} every rank, once all it receives is in, copies it out of its receive buffer (a read and a write
     * of every byte at memory bandwidth), as DeepEP's low-latency dispatch packs received tokens per expert once the
     * senders' counts arrive.
     */
    static Phase time(ChunkGraph graph, Team team, Topology topology, Transport transport, Protocol protocol,
                      MessagePlane plane, int channels, double portShare, boolean unpack) {
        SliceCosts costs = new SliceCosts(transport, protocol, topology, plane, channels, portShare, true);
        int count = graph.count();
        int[] pending = new int[count];
        long[] ready = new long[count];
        EventQueue queue = new EventQueue(1024);
        // As in Timing: chunks whose sender is busy wait at it, the first in program order released when it frees up.
        // Chunks ready at the start wait at their senders from the outset, so that the event queue holds one chunk
        // per sender rather than every chunk of the phase.
        EventQueue[] waiting = new EventQueue[costs.senders()];
        int[] released = new int[costs.senders()];
        java.util.Arrays.fill(released, -1);
        for (int c = 0; c < count; c++) {
            pending[c] = graph.predecessors(c);
            if (pending[c] == 0) {
                int sender = costs.sender(team.node(graph.from(c)), graph.channel(c), graph.from(c) == graph.to(c));
                if (sender < 0) {
                    queue.push(0, c);
                    continue;
                }
                if (waiting[sender] == null) {
                    waiting[sender] = new EventQueue(16);
                }
                waiting[sender].push(graph.position(c), c);
            }
        }
        for (int sender = 0; sender < waiting.length; sender++) {
            if (waiting[sender] != null) {
                released[sender] = waiting[sender].pop();
                queue.push(0, released[sender]);
            }
        }
        long[] rankEnd = new long[team.size()];
        long[] receivedBytes = new long[team.size()];
        long[] receiveEnd = new long[team.size()];
        long[] routeBytes = new long[RouteClass.values().length];
        long puts = 0;
        int processed = 0;
        while (!queue.isEmpty()) {
            long at = queue.peekTime();
            int chunk = queue.pop();
            int from = graph.from(chunk);
            int to = graph.to(chunk);
            boolean local = from == to;
            int sender = costs.sender(team.node(from), graph.channel(chunk), local);
            if (sender >= 0 && released[sender] == chunk) {
                released[sender] = -1;
            }
            if (sender >= 0 && costs.freeAt(sender) > at) {
                if (waiting[sender] == null) {
                    waiting[sender] = new EventQueue(16);
                }
                waiting[sender].push(graph.position(chunk), chunk);
                if (released[sender] < 0) {
                    released[sender] = waiting[sender].pop();
                    queue.push(costs.freeAt(sender), released[sender]);
                }
                continue;
            }
            processed++;
            long done = costs.slice(team.node(from), team.node(to), graph.channel(chunk), local, graph.reduces(chunk),
                    graph.bytes(chunk), at);
            routeBytes[topology.routeClass(team.node(from), team.node(to)).ordinal()] += graph.bytes(chunk);
            puts += local ? 0 : 1;
            rankEnd[from] = Math.max(rankEnd[from], done);
            rankEnd[to] = Math.max(rankEnd[to], done);
            receiveEnd[to] = Math.max(receiveEnd[to], done);
            receivedBytes[to] += graph.bytes(chunk);
            if (sender >= 0 && released[sender] < 0 && waiting[sender] != null && !waiting[sender].isEmpty()) {
                released[sender] = waiting[sender].pop();
                queue.push(costs.freeAt(sender), released[sender]);
            }
            for (int e = graph.firstEdge(chunk); e >= 0; e = graph.nextEdge(e)) {
                int next = graph.edgeTarget(e);
                ready[next] = Math.max(ready[next], done);
                if (--pending[next] == 0) {
                    queue.push(ready[next], next);
                }
            }
        }
        if (processed != count) {
            throw new IllegalStateException("moe timing left " + (count - processed) + " of " + count + " chunks waiting");
        }
        long sum = 0;
        long max = 0;
        long[] rankNanos = new long[team.size()];
        for (int r = 0; r < rankNanos.length; r++) {
            // The unpack starts once the rank's own receives are in, whatever its sends still do elsewhere.
            long unpacked = unpack
                    ? receiveEnd[r] + FabricModel.transferNanos(2 * receivedBytes[r], topology.memory().bytesPerSecond()) : 0;
            rankNanos[r] = protocol.launchNanos() + Math.max(rankEnd[r], unpacked);
            sum += rankNanos[r];
            max = Math.max(max, rankNanos[r]);
        }
        long messages = transport == Transport.UNIFIED ? puts : costs.messages();
        return new Phase(sum / rankNanos.length, max, rankNanos, routeBytes, messages, count);
    }
}
