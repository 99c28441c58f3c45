package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.data.Reduction;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Buffer;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Schedules;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.fabric.InSwitchReduction;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.MessagePlane;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a collective on a team of a machine over one transport: the algorithm and protocol chosen by the
 * model (the candidate with the least modeled time, as NCCL's tuner picks by its cost model) unless forced,
 * the schedule run on real bytes (capped, see {@link CollectiveSpec#payloadCapBytes()}) and checked against
 * the {@link Reference}, and timed at the full size by {@link Timing}.
 */
public final class Collectives {

    /**
     * Slices a candidate is timed with while choosing, on the same channels as the run (A: coarse slices
     * compare candidates cheaply, as NCCL's tuner ranks them by a formula rather than by running them; one
     * channel misjudged small direct and two-shot transfers, which many channels serialize at each sender).
     */
    static final int CHOOSING_EVENTS = 1 << 14;

    /**
     * Channels a collective's data is split over, each its own ring with an engine streaming at its share of
     * the link (A: NCCL runs 16 to 32 channels on NVLink servers; its logs show 16 to 24 for a ring on 8 H100s).
     */
    public static final int CHANNELS = 16;

    /**
     * The most bytes one run's buffers may take for real over all ranks: 4 GiB (A: inputs, outputs and work
     * buffers are touched, so they take host memory).
     */
    public static final long MAX_REAL_BYTES = 4L << 30;

    private Collectives() {
    }

    /**
     * Runs {@code spec} on {@code team} of {@code machine} over {@code transport}; {@code plane} is the
     * machine's copy plane (used by the copy transport, and for its costs).
     *
     * @throws ConfigFault when the team does not fit the machine, the root is not in it, or a forced
     *         algorithm does not implement the operation
     */
    public static CollectiveResult run(Supernode machine, MessagePlane plane, Team team, CollectiveSpec spec,
                                       Transport transport) {
        int n = team.size();
        for (int r = 0; r < n; r++) {
            if (team.node(r) >= machine.nodeCount()) {
                throw new ConfigFault(team + " names node " + team.node(r) + " of a machine of " + machine.nodeCount());
            }
        }
        if (spec.root() < 0 || spec.root() >= n) {
            throw new ConfigFault("root " + spec.root() + " is not a rank of a team of " + n);
        }
        long count = count(spec, n);
        int groupSize = team.groupSize(machine.topology());
        if (spec.algorithm() == Algorithm.NVLS) {
            String why = inSwitchRefusal(machine.topology(), team, transport);
            if (why != null) {
                throw new ConfigFault("nvls all-reduce: " + why);
            }
        }
        Choice choice = choose(machine, plane, team, groupSize, spec, transport, count);
        Schedule full = Schedules.build(spec.op(), choice.algorithm, n, groupSize, count, spec.root());
        Timing.Result timing = Timing.of(full, team, spec.type().sizeBytes(), transport, choice.protocol,
                machine.topology(), plane, Timing.MAX_EVENTS, CHANNELS);
        requireHostFits(n, spec, largestBufferBytes(full, spec));
        long moved = movedCount(full, spec);
        Schedule real = Schedules.build(spec.op(), choice.algorithm, n, groupSize, moved, spec.root());
        long start = System.nanoTime();
        long wrong;
        long fabricBytes;
        try (Executor executor = new Executor(machine, plane, transport, team, real, spec.type(), spec.redop())) {
            long before = executor.fabricBytes();
            executor.fillInputs(spec.seed());
            executor.run();
            fabricBytes = executor.fabricBytes() - before;
            wrong = wrong(executor, new Reference(spec.op(), choice.algorithm, n, groupSize, moved, spec.root(),
                    spec.type(), spec.redop(), spec.seed()), spec, n);
        }
        long hostNanos = System.nanoTime() - start;
        return new CollectiveResult(spec, transport, n, choice.algorithm, choice.protocol, count, timing.modeledNanos(),
                timing.sliceBytes(), moved, wrong, fabricBytes, hostNanos);
    }

    /**
     * Runs an all-to-all with uneven counts on {@code team} over {@code transport}: rank r sends
     * {@code counts[r][j]} elements of {@code type} to rank j (an expert-parallel dispatch or combine), every block
     * moved for real (no payload cap) and checked where {@link Schedules#allToAll} lands it, the protocol with the
     * least modeled time. The result's spec has the size of all blocks over all ranks divided by the ranks (so that
     * algbw and busbw read as nccl-tests' all-to-all of that size would) and its count is the largest block.
     *
     * @throws ConfigFault when {@code counts} is not ranks x ranks of counts >= 0, or would take more than
     *         {@link #MAX_REAL_BYTES} of host memory
     */
    public static CollectiveResult allToAll(Supernode machine, MessagePlane plane, Team team, long[][] counts,
                                            DataType type, Transport transport, long seed) {
        int n = team.size();
        if (counts.length != n) {
            throw new ConfigFault("all-to-all counts must be " + n + " x " + n + ", got " + counts.length + " rows");
        }
        Schedule schedule = Schedules.allToAll(counts);
        long totalElements = 0;
        long largest = 0;
        for (long[] row : counts) {
            for (long c : row) {
                totalElements += c;
                largest = Math.max(largest, c);
            }
        }
        long bufferBytes = Math.max(schedule.inputElements(), schedule.outputElements()) * type.sizeBytes();
        if (bufferBytes > MAX_REAL_BYTES / (2L * n)) {
            throw new ConfigFault("an all-to-all of " + bufferBytes + " bytes per rank buffer over " + n
                    + " ranks would take more than " + MAX_REAL_BYTES + " bytes of host memory");
        }
        Protocol best = Protocol.SIMPLE;
        Timing.Result timing = null;
        for (Protocol p : Protocol.all()) {
            Timing.Result t = Timing.of(schedule, team, type.sizeBytes(), transport, p, machine.topology(), plane,
                    Timing.MAX_EVENTS, CHANNELS);
            if (timing == null || t.modeledNanos() < timing.modeledNanos()) {
                timing = t;
                best = p;
            }
        }
        long start = System.nanoTime();
        long wrong = 0;
        long fabricBytes;
        try (Executor executor = new Executor(machine, plane, transport, team, schedule, type, ReduceOp.SUM)) {
            long before = executor.fabricBytes();
            executor.fillInputs(seed);
            executor.run();
            fabricBytes = executor.fabricBytes() - before;
            // Every block where the schedule put it: the sender's input at its offset, in the receiver's output.
            for (List<Transfer> step : schedule.steps()) {
                for (Transfer t : step) {
                    for (long i = 0; i < t.elements(); i++) {
                        wrong += differs(Inputs.value(type, seed, t.from(), t.sourceElement() + i),
                                Reduction.get(type, executor.output(t.to()), 0, t.targetElement() + i)) ? 1 : 0;
                    }
                }
            }
        }
        long hostNanos = System.nanoTime() - start;
        CollectiveSpec spec = new CollectiveSpec(Op.ALL_TO_ALL, type, ReduceOp.SUM, 0,
                Math.min(CollectiveSpec.MAX_SIZE_BYTES, totalElements * type.sizeBytes() / n), Algorithm.DIRECT, best,
                CollectiveSpec.MAX_PAYLOAD_CAP_BYTES, seed);
        return new CollectiveResult(spec, transport, n, Algorithm.DIRECT, best, largest, timing.modeledNanos(),
                timing.sliceBytes(), largest, wrong, fabricBytes, hostNanos);
    }

    /** nccl-tests' count of {@code spec} over {@code ranks}: per buffer, or per block of n-block operations. */
    public static long count(CollectiveSpec spec, int ranks) {
        long elements = spec.sizeBytes() / spec.type().sizeBytes();
        return switch (spec.op()) {
            case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL -> elements / ranks;
            case BARRIER -> 1;
            default -> elements;
        };
    }

    private record Choice(Algorithm algorithm, Protocol protocol) {
    }

    private static Choice choose(Supernode machine, MessagePlane plane, Team team, int groupSize, CollectiveSpec spec,
                                 Transport transport, long count) {
        List<Algorithm> algorithms = candidates(spec, team.size(), groupSize);
        if (inSwitchRefusal(machine.topology(), team, transport) != null) {
            algorithms = algorithms.stream().filter(a -> a != Algorithm.NVLS).toList();
        }
        if (algorithms.isEmpty()) {
            throw new ConfigFault(spec.op().ncclName() + " has no " + spec.algorithm().name().toLowerCase()
                    + " schedule here");
        }
        List<Protocol> protocols = spec.protocol() != null ? List.of(spec.protocol()) : List.of(Protocol.all());
        Choice best = null;
        long bestNanos = Long.MAX_VALUE;
        for (Algorithm a : algorithms) {
            Schedule schedule = Schedules.build(spec.op(), a, team.size(), groupSize, count, spec.root());
            for (Protocol p : protocols) {
                if (a == Algorithm.NVLS && p != Protocol.SIMPLE && spec.protocol() == null) {
                    // NCCL runs NVLS with the Simple protocol only.
                    continue;
                }
                if (algorithms.size() * protocols.size() == 1) {
                    return new Choice(a, p);
                }
                long nanos = Timing.of(schedule, team, spec.type().sizeBytes(), transport, p, machine.topology(), plane,
                        CHOOSING_EVENTS, CHANNELS).modeledNanos();
                if (nanos < bestNanos) {
                    bestNanos = nanos;
                    best = new Choice(a, p);
                }
            }
        }
        return best;
    }

    /**
     * Checks, before anything is booted or moved, that running {@code spec} on {@code ranks} ranks moves at
     * most {@link #MAX_REAL_BYTES} for real: the payload cap (or the largest buffer of any algorithm it may
     * choose, when smaller) times every buffer of every rank.
     *
     * @throws ConfigFault naming the cap and the bytes it would take
     */
    public static void requireHostFits(int ranks, CollectiveSpec spec) {
        long largest = 0;
        for (Algorithm a : candidates(spec, ranks, 0)) {
            // No team is known yet: a hierarchical all-reduce has the ring's buffers.
            Algorithm sized = a == Algorithm.HIERARCHICAL || a == Algorithm.RHD && Integer.bitCount(ranks) != 1
                    ? Algorithm.RING : a;
            Schedule full = Schedules.build(spec.op(), sized, ranks, count(spec, ranks), Math.min(spec.root(), ranks - 1));
            largest = Math.max(largest, largestBufferBytes(full, spec));
        }
        requireHostFits(ranks, spec, largest);
    }

    /**
     * Why an in-switch all-reduce cannot run on {@code team} over {@code transport}, or null when it can: the
     * switches must reduce at a known rate, the team sit under one first-tier switch, and the path be unified.
     */
    private static String inSwitchRefusal(Topology topology, Team team, Transport transport) {
        LinkProfile link = topology.link();
        if (!link.reducesInSwitch()) {
            return switch (link.inSwitchReduction()) {
                case SUPPORTED -> "the switches of " + link.name() + " reduce, but at no known rate (give "
                        + "switchReduceGBps in a topology file)";
                case UNKNOWN -> "no source says whether the switches of " + link.name() + " reduce in flight";
                case NONE -> "the switches of " + link.name() + " do not reduce in flight";
            };
        }
        if (transport != Transport.UNIFIED) {
            return "in-switch reduction is a load/store operation; the copy path has none";
        }
        for (int r = 0; r < team.size(); r++) {
            if (topology.groupOf(team.node(r)) != topology.groupOf(team.node(0))) {
                return "the team spans more than one " + topology.groupNoun() + "'s switch";
            }
        }
        return null;
    }

    /**
     * The algorithms {@code spec} may run on a team of {@code ranks} in domains of {@code groupSize} ranks (0:
     * none): the forced one, or every one that implements its operation there (a hierarchy needs whole domains,
     * recursive halving-doubling a power of two).
     */
    private static List<Algorithm> candidates(CollectiveSpec spec, int ranks, int groupSize) {
        if (spec.algorithm() != null) {
            return Schedules.implemented(spec.op(), spec.algorithm()) ? List.of(spec.algorithm()) : List.of();
        }
        List<Algorithm> algorithms = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            if (Schedules.implemented(spec.op(), a) && (a != Algorithm.HIERARCHICAL || groupSize > 0)
                    && (a != Algorithm.RHD || Integer.bitCount(ranks) == 1)) {
                algorithms.add(a);
            }
        }
        return algorithms;
    }

    private static void requireHostFits(int ranks, CollectiveSpec spec, long largestBufferBytes) {
        long realBytes = (long) ranks * Buffer.values().length * Math.min(spec.payloadCapBytes(), largestBufferBytes);
        if (realBytes > MAX_REAL_BYTES) {
            throw new ConfigFault("a payload cap of " + spec.payloadCapBytes() + " bytes on " + ranks + " ranks would move "
                    + realBytes + " bytes for real, more than " + MAX_REAL_BYTES + "; lower the cap");
        }
    }

    private static long largestBufferBytes(Schedule full, CollectiveSpec spec) {
        long largest = 0;
        for (Buffer b : Buffer.values()) {
            largest = Math.max(largest, full.elements(b) * spec.type().sizeBytes());
        }
        return largest;
    }

    /** The count the host runs: the full one, or smaller so that no buffer of a rank exceeds the cap. */
    private static long movedCount(Schedule full, CollectiveSpec spec) {
        long largest = largestBufferBytes(full, spec);
        if (largest <= spec.payloadCapBytes()) {
            return full.count();
        }
        return Math.max(1, (long) (full.count() * (spec.payloadCapBytes() / (double) largest)));
    }

    private static long wrong(Executor executor, Reference reference, CollectiveSpec spec, int ranks) {
        long wrong = 0;
        if (reference.sameOnEveryRank()) {
            for (long i = 0; i < reference.outputElements(); i++) {
                float expected = reference.expected(0, i);
                for (int r = 0; r < ranks; r++) {
                    wrong += differs(expected, Reduction.get(spec.type(), executor.output(r), 0, i)) ? 1 : 0;
                }
            }
            return wrong;
        }
        for (int r = 0; r < ranks; r++) {
            MemorySegment output = executor.output(r);
            for (long i = 0; i < reference.outputElements(); i++) {
                wrong += differs(reference.expected(r, i), Reduction.get(spec.type(), output, 0, i)) ? 1 : 0;
            }
        }
        return wrong;
    }

    /** Whether an element differs from its reference bit for bit (NaN: no reference, as on a reduce's other ranks). */
    private static boolean differs(float expected, float actual) {
        return !Float.isNaN(expected) && Float.floatToIntBits(expected) != Float.floatToIntBits(actual);
    }
}
