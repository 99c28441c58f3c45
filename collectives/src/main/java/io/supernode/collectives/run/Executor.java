package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.data.Reduction;
import io.supernode.collectives.schedule.Buffer;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.SignalSlot;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a schedule on real bytes: every rank's buffers are regions in its own node's memory, every remote
 * transfer is a {@link DataPath#putSignal} of the sender and a {@link DataPath#waitSignal} of the receiver
 * (a store and a signal on the unified path, a message through the copy stack on the copy path), and a
 * reducing transfer lands in the receiver's staging slot for its sender, then is reduced into place by the
 * receiver. One thread drives every rank step by step, so a run is deterministic; the paths' clocks are
 * not the collective's time (see {@link Timing}). Closing unmaps every region.
 */
final class Executor implements AutoCloseable {

    private final Supernode machine;
    private final Team team;
    private final Schedule schedule;
    private final DataType type;
    private final ReduceOp op;
    private final DataPath[] paths;
    private final List<Region> regions = new ArrayList<>();
    private final List<Map<Buffer, MemorySegment>> buffers = new ArrayList<>();
    private final List<Map<Buffer, Long>> addresses = new ArrayList<>();
    private final MemorySegment[] staging;
    private final long[] stagingAddress;
    private final List<Map<Integer, Long>> slotOf = new ArrayList<>();
    private final long[] signalAddress;
    private final long[][] signalValue;
    private final long slotBytes;

    Executor(Supernode machine, MessagePlane plane, Transport transport, Team team, Schedule schedule, DataType type,
             ReduceOp op) {
        this.machine = machine;
        this.team = team;
        this.schedule = schedule;
        this.type = type;
        this.op = op;
        int n = team.size();
        DataPath[] all = DataPaths.open(transport.kind(), machine, plane);
        this.paths = new DataPath[n];
        long largestReduce = 0;
        for (List<Transfer> step : schedule.steps()) {
            for (Transfer t : step) {
                if (t.reduce() && !t.local()) {
                    largestReduce = Math.max(largestReduce, t.elements());
                }
            }
        }
        this.slotBytes = largestReduce * type.sizeBytes();
        this.staging = new MemorySegment[n];
        this.stagingAddress = new long[n];
        this.signalAddress = new long[n];
        this.signalValue = new long[n][n];
        try {
            for (int r = 0; r < n; r++) {
                paths[r] = all[team.node(r)];
                Map<Integer, Long> slots = new HashMap<>();
                for (List<Transfer> step : schedule.steps()) {
                    for (Transfer t : step) {
                        if (t.to() == r && t.reduce() && !t.local()) {
                            slots.putIfAbsent(t.from(), slots.size() * slotBytes);
                        }
                    }
                }
                slotOf.add(slots);
                Map<Buffer, MemorySegment> bytes = new EnumMap<>(Buffer.class);
                Map<Buffer, Long> at = new EnumMap<>(Buffer.class);
                for (Buffer b : Buffer.values()) {
                    long size = schedule.elements(b) * type.sizeBytes();
                    if (size > 0) {
                        Region region = map("coll-" + b.name().toLowerCase() + "-" + r, r, size);
                        bytes.put(b, machine.node(team.node(r)).view(region.baseAddress(), size));
                        at.put(b, region.baseAddress());
                    }
                }
                buffers.add(bytes);
                addresses.add(at);
                if (!slots.isEmpty()) {
                    Region region = map("coll-staging-" + r, r, slots.size() * slotBytes);
                    staging[r] = machine.node(team.node(r)).view(region.baseAddress(), slots.size() * slotBytes);
                    stagingAddress[r] = region.baseAddress();
                }
                signalAddress[r] = map("coll-signals-" + r, r, (long) n * SignalSlot.BYTES).baseAddress();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Region map(String name, int rank, long bytes) {
        Region region = machine.map(RegionSpec.of(name, bytes, Placement.onNode(team.node(rank))));
        regions.add(region);
        return region;
    }

    /** Fills every rank's input from {@code seed} (see {@link Inputs}). */
    void fillInputs(long seed) {
        for (int r = 0; r < team.size(); r++) {
            Inputs.fill(type, seed, r, 0, schedule.inputElements(), buffers.get(r).get(Buffer.INPUT), 0);
        }
    }

    /** Runs every step. */
    void run() {
        for (List<Transfer> step : schedule.steps()) {
            runStep(step);
        }
    }

    /** Runs one step: the remote puts, their landings (and reductions), then the ranks' own copies in order. */
    void runStep(List<Transfer> step) {
        for (Transfer t : step) {
            if (!t.local()) {
                put(t);
            }
        }
        for (Transfer t : step) {
            if (!t.local()) {
                land(t);
            }
        }
        for (Transfer t : step) {
            if (t.local()) {
                local(t);
            }
        }
    }

    private void put(Transfer t) {
        int size = type.sizeBytes();
        long bytes = t.elements() * size;
        long target = t.reduce() ? stagingAddress[t.to()] + slotOf.get(t.to()).get(t.from())
                : addresses.get(t.to()).get(t.target()) + t.targetElement() * size;
        long value = ++signalValue[t.to()][t.from()];
        paths[t.from()].putSignal(team.node(t.to()), buffers.get(t.from()).get(t.source()), t.sourceElement() * size,
                bytes, target, signal(t.to(), t.from()), value);
    }

    private void land(Transfer t) {
        int size = type.sizeBytes();
        long bytes = t.elements() * size;
        long slot = t.reduce() ? slotOf.get(t.to()).get(t.from()) : 0;
        long target = t.reduce() ? stagingAddress[t.to()] + slot
                : addresses.get(t.to()).get(t.target()) + t.targetElement() * size;
        paths[t.to()].waitSignal(team.node(t.from()), target, bytes, signal(t.to(), t.from()),
                signalValue[t.to()][t.from()]);
        if (t.reduce()) {
            Reduction.reduce(type, op, staging[t.to()], slot, buffers.get(t.to()).get(t.target()),
                    t.targetElement() * size, t.elements());
        }
    }

    private void local(Transfer t) {
        int size = type.sizeBytes();
        MemorySegment from = buffers.get(t.from()).get(t.source());
        MemorySegment into = buffers.get(t.to()).get(t.target());
        if (t.reduce()) {
            Reduction.reduce(type, op, from, t.sourceElement() * size, into, t.targetElement() * size, t.elements());
        } else {
            MemorySegment.copy(from, t.sourceElement() * size, into, t.targetElement() * size, t.elements() * size);
        }
    }

    private long signal(int rank, int from) {
        return signalAddress[rank] + (long) from * SignalSlot.BYTES;
    }

    /** Rank {@code rank}'s output buffer as its node's memory holds it. */
    MemorySegment output(int rank) {
        return buffers.get(rank).get(Buffer.OUTPUT);
    }

    /** Bytes the ranks' paths moved over the fabric so far. */
    long fabricBytes() {
        long total = 0;
        for (DataPath path : paths) {
            total += path.fabricBytes();
        }
        return total;
    }

    @Override
    public void close() {
        for (Region region : regions.reversed()) {
            machine.unmap(region);
        }
        regions.clear();
    }
}
