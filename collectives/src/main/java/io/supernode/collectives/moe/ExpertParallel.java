package io.supernode.collectives.moe;

import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.MessagePlane;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Expert-parallel dispatch and combine, as DeepEP's kernels do them, over the unified path (stores into the peers'
 * buffers; between stacked servers one-sided RDMA writes, as NVSHMEM's puts) or the copy path (messages through the copy
 * stack). {@link #run} times both phases at the full token count on the machine's links ({@link MoeTiming}) and runs
 * the first tokens of every rank for real ({@link MoeExecutor}), checked bit for bit against a single-node
 * {@link MoeReference}. On stacked servers normal mode takes DeepEP's hierarchical route when the team is made of whole
 * servers; low-latency mode never does.
 */
public final class ExpertParallel {

    /** The most host memory the real run's buffers take over all ranks: 1 GiB (A). */
    public static final long MAX_REAL_BYTES = 1L << 30;
    /**
     * The most token-expert messages low-latency mode times per phase (A: each is a chunk of the timing, about 100
     * bytes of host memory with its queues; 4 Mi of them stay well under a default heap).
     */
    public static final long MAX_LOW_LATENCY_PAIRS = 1L << 22;
    /** Channels a rank's normal kernels run (C: DeepEP's tests give them 24 SMs, a sender and a receiver per channel). */
    static final int NORMAL_CHANNELS = 12;
    /** Channels a rank's low-latency messages are spread over (A: as many as the normal kernels'). */
    static final int LOW_LATENCY_CHANNELS = 12;
    /**
     * Share of a load/store port's achieved rate DeepEP's kernels' copies reach: 0.846 (D from the EP8 normal dispatch
     * figure the MoE issue names, 153 GB/s on H800s whose NVLink reaches ~160 GB/s: DeepEP counts every token a rank
     * receives, its own included, at 7,392 bytes, while 7/8 of them cross the port, at 7,472 bytes each, so the port
     * carried 153 x 7/8 x 7472/7392 = 135 GB/s). Derived by that arithmetic, not fitted to the model: with it the model
     * gives 148.3 GB/s for the same run (-3.0 %), its launch and chunk latencies on top. The other published figures
     * check it.
     */
    static final double PORT_SHARE = 153.0 * 7 / 8 * 7472 / 7392 / 160;
    /** Normal kernels' chunk handshake and launch: NCCL Simple's (C: NCCL 2.30 tuning.cc, 3.4 us and 8.4 us). */
    static final Protocol NORMAL = new Protocol("DeepEP normal", 1L << 20, 1.0, Protocol.SIMPLE.syncNanos(),
            Protocol.SIMPLE.launchNanos(), "C: NCCL 2.30 tuning.cc, Simple's step and base latency");
    /** Low-latency kernels' signal and launch: NCCL LL's (C: NCCL 2.30 tuning.cc, 0.6 us and 6.6 us). */
    static final Protocol LOW_LATENCY = new Protocol("DeepEP low-latency", 1L << 20, 1.0, Protocol.LL.syncNanos(),
            Protocol.LL.launchNanos(), "C: NCCL 2.30 tuning.cc, LL's step and base latency");

    private ExpertParallel() {
    }

    /** The modeled side of a run: its traffic and both phases' times. */
    record Model(RoutingTable table, MoeTraffic traffic, MoeTiming.Phase dispatch, MoeTiming.Phase combine,
                 boolean hierarchical, TokenMessage message) {
    }

    /**
     * Runs {@code spec} on {@code team} of {@code machine} over {@code transport}; {@code plane} is the machine's copy
     * plane (used by the copy path, and for its costs).
     *
     * @throws ConfigFault when the team does not fit the machine, the experts do not spread over the ranks, or the
     *         routing cannot be drawn
     */
    public static MoeResult run(Supernode machine, MessagePlane plane, Team team, MoeSpec spec, Transport transport) {
        Model model = model(machine.topology(), plane, team, spec, transport);
        int realTokens = realTokens(team.size(), spec);
        long start = System.nanoTime();
        long wrong = 0;
        long fabricBytes;
        try (MoeExecutor executor = new MoeExecutor(machine, plane, transport, team, spec, model.table(), realTokens,
                model.hierarchical())) {
            long before = executor.fabricBytes();
            executor.run();
            fabricBytes = executor.fabricBytes() - before;
            MoeReference reference = new MoeReference(spec, model.table(), model.hierarchical());
            float[] expected = new float[spec.hidden()];
            long tokenBytes = 2L * spec.hidden();
            for (int r = 0; r < team.size(); r++) {
                MemorySegment output = executor.output(r);
                for (int t = 0; t < realTokens; t++) {
                    reference.expected(r, t, expected);
                    for (int c = 0; c < spec.hidden(); c++) {
                        short actual = output.get(ValueLayout.JAVA_SHORT_UNALIGNED, t * tokenBytes + 2L * c);
                        wrong += Float.floatToRawIntBits(expected[c]) >>> 16 != (actual & 0xFFFF) ? 1 : 0;
                    }
                }
            }
        }
        long hostNanos = System.nanoTime() - start;
        return new MoeResult(spec, transport, team.size(), model.hierarchical(),
                phase(model, model.dispatch(), true, spec), phase(model, model.combine(), false, spec), realTokens, wrong,
                fabricBytes, hostNanos);
    }

    /**
     * Tokens per rank the real run moves: the spec's cap, or fewer so that its buffers fit {@link #MAX_REAL_BYTES}.
     *
     * @throws ConfigFault when not even one token per rank fits
     */
    static int realTokens(int ranks, MoeSpec spec) {
        TokenMessage message = new TokenMessage(spec.format(), spec.hidden(), spec.topK(), true);
        // Input and output, and per expert the dispatched message four times (sent, forwarded in and out, received)
        // and the combined token four times (partial, forwarded back, summed, returned): a bound on every mode.
        long perToken = 4L * spec.hidden() + spec.topK() * (4 * message.bytes() + 4 * TokenMessage.combineBytes(spec.hidden()));
        long fits = MAX_REAL_BYTES / ((long) ranks * perToken);
        if (fits < 1) {
            throw new ConfigFault("one token per rank on " + ranks + " ranks at hidden " + spec.hidden() + " and top-"
                    + spec.topK() + " would take " + (long) ranks * perToken + " bytes of host buffers, more than "
                    + MAX_REAL_BYTES);
        }
        return (int) Math.min(Math.min(spec.tokensPerRank(), spec.maxRealTokens()), fits);
    }

    /**
     * The modeled side of a run, without moving anything.
     *
     * @throws ConfigFault when the team does not fit the machine, the routing cannot be drawn, or low-latency mode would
     *         time more than {@link #MAX_LOW_LATENCY_PAIRS} messages
     */
    static Model model(Topology topology, MessagePlane plane, Team team, MoeSpec spec, Transport transport) {
        for (int r = 0; r < team.size(); r++) {
            if (team.node(r) >= topology.nodeCount()) {
                throw new ConfigFault(team + " names node " + team.node(r) + " of a machine of " + topology.nodeCount());
            }
        }
        long pairs = (long) team.size() * spec.tokensPerRank() * spec.topK();
        if (spec.mode() == MoeMode.LOW_LATENCY && pairs > MAX_LOW_LATENCY_PAIRS) {
            throw new ConfigFault("low-latency mode times a message per token and expert: " + pairs + " of them is more "
                    + "than " + MAX_LOW_LATENCY_PAIRS + "; fewer tokens per rank (its kernels are for decode batches)");
        }
        int groupSize = team.groupSize(topology);
        boolean hierarchical = spec.mode() == MoeMode.NORMAL && topology.stacked() && groupSize > 0;
        int ranksPerGroup = groupSize > 0 ? groupSize : team.size();
        RoutingTable table = RoutingTable.draw(spec.routing(), team.size(), spec.tokensPerRank(), spec.experts(),
                spec.topK(), ranksPerGroup, spec.seed());
        TokenMessage message = new TokenMessage(spec.format(), spec.hidden(), spec.topK(), spec.mode() == MoeMode.NORMAL);
        int channels = spec.mode() == MoeMode.NORMAL ? NORMAL_CHANNELS : LOW_LATENCY_CHANNELS;
        MoeTraffic traffic = MoeTraffic.of(table, spec.mode(), hierarchical, message, channels);
        Protocol protocol = spec.mode() == MoeMode.NORMAL ? NORMAL : LOW_LATENCY;
        MoeTiming.Phase dispatch = MoeTiming.time(traffic.dispatch, team, topology, transport, protocol, plane, channels,
                PORT_SHARE, spec.mode() == MoeMode.LOW_LATENCY);
        MoeTiming.Phase combine = MoeTiming.time(traffic.combine, team, topology, transport, protocol, plane, channels,
                PORT_SHARE, false);
        return new Model(table, traffic, dispatch, combine, hierarchical, message);
    }

    /** A phase as DeepEP reports it (see {@link MoeResult#bandwidthDefinition()}). */
    private static MoePhase phase(Model model, MoeTiming.Phase timed, boolean dispatch, MoeSpec spec) {
        long perItem;
        long[] items;
        if (spec.mode() == MoeMode.LOW_LATENCY) {
            items = model.traffic().pairs;
            perItem = !dispatch ? TokenMessage.combineBytes(spec.hidden())
                    : spec.format() == TokenFormat.BF16 ? spec.format().payloadBytes(spec.hidden())
                    : spec.format().payloadBytes(spec.hidden()) + TokenMessage.HEADER_BYTES;
        } else {
            items = model.hierarchical() ? model.traffic().tokenGroups : model.traffic().receivedTokens;
            perItem = dispatch ? spec.format().payloadBytes(spec.hidden()) : TokenMessage.combineBytes(spec.hidden());
        }
        double counted = 0;
        double gbPerSecond = 0;
        for (int r = 0; r < items.length; r++) {
            double bytes = (double) items[r] * perItem;
            counted += bytes;
            gbPerSecond += bytes / timed.rankNanos()[r];
        }
        long[] route = timed.routeBytes();
        return new MoePhase(timed.meanNanos(), timed.maxNanos(), counted / items.length, gbPerSecond / items.length,
                route[RouteClass.LOCAL.ordinal()], route[RouteClass.SAME_GROUP.ordinal()],
                route[RouteClass.CROSS_GROUP.ordinal()], timed.messages());
    }
}
