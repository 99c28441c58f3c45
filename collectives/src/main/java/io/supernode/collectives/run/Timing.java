package io.supernode.collectives.run;

import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.Topology;
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
 * software (serialized per rank, LogGP's o), the NIC's fetch, the wire, and the receiver's software; over a
 * scale-up link (inside a stacked server, NCCL's peer-to-peer copies over NVLink) a channel's copy kernel streams
 * the slice at its share of the port, as on the unified path. A
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
        if (schedule.algorithm() == Algorithm.NVLS) {
            return inSwitch(schedule, team, elementBytes, protocol, topology, maxEvents, channels);
        }
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
        SliceCosts costs = new SliceCosts(transport, protocol, topology, plane, lanes);
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
        return new Result(protocol.launchNanos() + end, slice, events, costs.wireBytes(), costs.messages(), stepEnd);
    }

    /**
     * An in-switch all-reduce (NVLS): rank k's block is cut over the channels and each channel's part into slices;
     * a channel's engine at rank k load-reduces a slice through the switch from every rank's port into its own, waits
     * for the result (a load blocks), then stores it to every rank with one multicast, which is posted, and goes on
     * with its next slice. Load-reduces and multicasts are booked in the order of the times they are issued, so that
     * ports are booked in time order. NVLS runs the Simple protocol only, as NCCL's does.
     */
    private static Result inSwitch(Schedule schedule, Team team, int elementBytes, Protocol protocol, Topology topology,
                                   int maxEvents, int channels) {
        int n = schedule.ranks();
        long count = schedule.count();
        FabricModel fabric = new FabricModel(topology);
        int[] members = new int[n];
        for (int r = 0; r < n; r++) {
            members[r] = team.node(r);
        }
        int lanes = (int) Math.max(1, Math.min(channels, count / Math.max(1, n)));
        long[] partBytes = new long[n * lanes];
        long largestPart = 0;
        for (int k = 0; k < n; k++) {
            long blockBytes = (count * (k + 1) / n - count * k / n) * elementBytes;
            for (int c = 0; c < lanes; c++) {
                partBytes[k * lanes + c] = blockBytes * (c + 1) / lanes - blockBytes * c / lanes;
                largestPart = Math.max(largestPart, partBytes[k * lanes + c]);
            }
        }
        long slice = protocol.sliceBytes();
        while ((long) n * lanes * ((largestPart + slice - 1) / slice) > maxEvents && slice < largestPart) {
            slice *= 2;
        }
        // An event is an engine's next load-reduce (even id: engine * 2) or a slice's multicast (odd id).
        EventQueue queue = new EventQueue(2 * n * lanes);
        int[] nextSlice = new int[n * lanes];
        int[] nextMulticast = new int[n * lanes];
        for (int engine = 0; engine < n * lanes; engine++) {
            if (partBytes[engine] > 0) {
                queue.push(0, 2 * engine);
            }
        }
        long end = 0;
        long slices = 0;
        long wireBytes = 0;
        while (!queue.isEmpty()) {
            long at = queue.peekTime();
            int id = queue.pop();
            int engine = id >>> 1;
            int k = engine / lanes;
            if ((id & 1) == 1) {
                // An engine's multicasts go out in slice order.
                long bytes = Math.min(slice, partBytes[engine] - (long) nextMulticast[engine]++ * slice);
                long landed = fabric.multicast(members[k], members, bytes, at);
                end = Math.max(end, landed + protocol.syncNanos());
                continue;
            }
            long sent = (long) nextSlice[engine] * slice;
            long bytes = Math.min(slice, partBytes[engine] - sent);
            nextSlice[engine]++;
            slices++;
            // Every port crossing: n up and one down for the reduce, one up and n - 1 down for the multicast.
            wireBytes += (2L * n + 1) * bytes;
            long reduced = fabric.switchReduce(members[k], members, bytes, at);
            queue.push(reduced, id | 1);
            if (sent + bytes < partBytes[engine]) {
                // A load-reduce blocks its channel until the reduced bytes are back (they are what it stores).
                queue.push(reduced, id);
            }
        }
        // The steps of its bytes' schedule are not steps in time here: each ends with the whole.
        long[] stepEnd = new long[schedule.steps().size()];
        Arrays.fill(stepEnd, protocol.launchNanos() + end);
        return new Result(protocol.launchNanos() + end, slice, slices, wireBytes, 0, stepEnd);
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
        // What the step before wrote into each rank, on any channel: a channel's slice may read what another
        // channel wrote when a step cuts the buffer differently (a hierarchical schedule's pieces of a block).
        Writers before = null;
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
                if (before != null) {
                    int reader = t;
                    before.forEachFeeding(transfer, writer -> add(next, nextCount, writer, reader));
                }
                if (transfer.local()) {
                    int queue = transfer.from() * lanes + channelOf.get(t);
                    if (lastLocal[queue] >= 0) {
                        add(next, nextCount, lastLocal[queue], t);
                    }
                    lastLocal[queue] = t;
                }
            }
            before = new Writers(ranks, transfers, first, end);
            first = end;
        }
        for (int t = 0; t < count; t++) {
            next[t] = next[t] == null ? new int[0] : Arrays.copyOf(next[t], nextCount[t]);
        }
        return next;
    }

    /**
     * The transfers of one step by the rank and range they write, for finding the writers of what a transfer of
     * the next step reads without comparing it with every one. A range is a key: the buffer in the top bits, the
     * element below, so that ranges of different buffers never overlap. Of a rank's own copies and reductions
     * into the very same range only the last is kept: they run one after another on their channel, so waiting for
     * it is waiting for all of them.
     */
    private static final class Writers {
        private static final int BUFFER_SHIFT = 56;
        private final int[] first;
        private final int[] writer;
        private final long[] startKey;
        private final long[] endKey;
        /** Per rank's run, the largest end key up to each entry: a backward scan stops once nothing reaches. */
        private final long[] reach;

        Writers(int ranks, List<Transfer> transfers, int from, int to) {
            first = new int[ranks + 1];
            for (int t = from; t < to; t++) {
                first[transfers.get(t).to() + 1]++;
            }
            for (int r = 0; r < ranks; r++) {
                first[r + 1] += first[r];
            }
            Integer[] order = new Integer[to - from];
            int[] fill = Arrays.copyOf(first, ranks);
            for (int t = from; t < to; t++) {
                order[fill[transfers.get(t).to()]++] = t;
            }
            int kept = 0;
            writer = new int[order.length];
            startKey = new long[order.length];
            endKey = new long[order.length];
            reach = new long[order.length];
            int[] keptFirst = new int[ranks + 1];
            for (int r = 0; r < ranks; r++) {
                keptFirst[r] = kept;
                Integer[] run = Arrays.copyOfRange(order, first[r], first[r + 1]);
                Arrays.sort(run, (a, b) -> {
                    int c = Long.compare(start(transfers.get(a)), start(transfers.get(b)));
                    c = c != 0 ? c : Long.compare(end(transfers.get(a)), end(transfers.get(b)));
                    return c != 0 ? c : Integer.compare(a, b);
                });
                for (int i = 0; i < run.length; i++) {
                    Transfer t = transfers.get(run[i]);
                    if (t.local() && i + 1 < run.length && transfers.get(run[i + 1]).local()
                            && start(transfers.get(run[i + 1])) == start(t) && end(transfers.get(run[i + 1])) == end(t)) {
                        continue;
                    }
                    writer[kept] = run[i];
                    startKey[kept] = start(t);
                    endKey[kept] = end(t);
                    reach[kept] = kept > keptFirst[r] ? Math.max(reach[kept - 1], endKey[kept]) : endKey[kept];
                    kept++;
                }
            }
            keptFirst[ranks] = kept;
            System.arraycopy(keptFirst, 0, first, 0, ranks + 1);
        }

        private static long start(Transfer t) {
            return (long) t.target().ordinal() << BUFFER_SHIFT | t.targetElement();
        }

        private static long end(Transfer t) {
            return (long) t.target().ordinal() << BUFFER_SHIFT | (t.targetElement() + t.elements());
        }

        /** Calls {@code action} with every kept transfer that wrote elements {@code reader} reads at its sender. */
        void forEachFeeding(Transfer reader, java.util.function.IntConsumer action) {
            long low = (long) reader.source().ordinal() << BUFFER_SHIFT | reader.sourceElement();
            long high = low + reader.elements();
            int lo = first[reader.from()];
            int hi = first[reader.from() + 1];
            // The first entry starting at or after the reader's end.
            int a = lo;
            int b = hi;
            while (a < b) {
                int mid = (a + b) >>> 1;
                if (startKey[mid] < high) {
                    a = mid + 1;
                } else {
                    b = mid;
                }
            }
            for (int i = a - 1; i >= lo && reach[i] > low; i--) {
                if (endKey[i] > low) {
                    action.accept(writer[i]);
                }
            }
        }
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
}
