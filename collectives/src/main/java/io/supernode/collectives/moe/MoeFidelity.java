package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

import java.util.ArrayList;
import java.util.List;

/**
 * DeepEP's published dispatch and combine figures (deepseek-ai/DeepEP, README and docs/legacy.md: H800s with NVLink,
 * ~160 GB/s, and one 400 Gb/s ConnectX-7 per GPU; 4096 tokens per rank in normal mode, 128 in low-latency mode, hidden
 * 7168, top-8 experts, FP8 dispatch, bfloat16 combine), each beside what the model gives for the same run on the
 * {@code h800-cluster} preset over the unified path (DeepEP's kernels store over NVLink and write by RDMA, as the
 * unified path does between stacked servers). Normal mode counts bandwidth per rank as DeepEP does (see
 * {@link MoeResult#bandwidthDefinition()}); low-latency mode compares time per phase. Only the EP8 normal dispatch
 * figure was used to derive a parameter ({@link ExpertParallel#PORT_SHARE}); the others check the model. Where the
 * model's setup differs from DeepEP's tests: normal mode inside one server routes without a group limit and across
 * servers with at most 4 servers per token (DeepEP's top-4 groups); low-latency mode routes uniformly over 256 experts
 * (DeepEP's tests use 288 where they divide the ranks and mask 10 of the 1024 choices).
 */
public final class MoeFidelity {

    /**
     * A published figure and the model's.
     *
     * @param what        the run
     * @param published   DeepEP's figure
     * @param modeled     the model's figure for the same run
     * @param unit        {@code GB/s} or {@code us}
     * @param tolerance   the relative difference the MoE issue allows (10 % for normal, 20 % for low-latency figures)
     * @param source      where the figure comes from
     */
    public record Anchor(String what, double published, double modeled, String unit, double tolerance, String source) {

        /** The model's difference from the published figure, relative to it. */
        public double relativeError() {
            return modeled / published - 1;
        }
    }

    private static final String SOURCE = "M: deepseek-ai/DeepEP README and docs/legacy.md";
    private static final int[] NORMAL_EP = {8, 16, 32, 64};
    private static final double[][] NORMAL_GBPS = {{153, 158}, {43, 43}, {58, 57}, {51, 50}};
    private static final int[] LOW_LATENCY_EP = {8, 16, 32, 64, 128, 256};
    private static final double[][] LOW_LATENCY_US = {{77, 114}, {118, 195}, {155, 273}, {173, 314}, {192, 369},
            {194, 360}};
    /** Tokens per rank each anchor also runs for real, to check the bytes (host time stays a few seconds). */
    private static final int REAL_TOKENS = 2;

    private MoeFidelity() {
    }

    /** Every anchor, modeled: 10 dispatch-combine pairs on up to 256 ranks, several seconds of host time. */
    public static List<Anchor> anchors() {
        List<Anchor> anchors = new ArrayList<>();
        try (Supernode machine = Supernode.boot(Presets.h800Cluster())) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            for (int i = 0; i < NORMAL_EP.length; i++) {
                int ep = NORMAL_EP[i];
                MoeSpec spec = MoeSpec.builder(MoeMode.NORMAL).maxRealTokens(REAL_TOKENS)
                        .routing(ep == 8 ? new Routing.Uniform() : new Routing.GroupLimited(4)).build();
                MoeResult result = checked(machine, plane, ep, spec);
                String link = ep == 8 ? "NVLink" : "RDMA";
                anchors.add(new Anchor("EP" + ep + " normal dispatch, " + link + " bandwidth", NORMAL_GBPS[i][0],
                        result.dispatch().gbPerSecond(), "GB/s", 0.10,
                        SOURCE + (ep == 8 ? " (PORT_SHARE's calibration point)" : "")));
                anchors.add(new Anchor("EP" + ep + " normal combine, " + link + " bandwidth", NORMAL_GBPS[i][1],
                        result.combine().gbPerSecond(), "GB/s", 0.10, SOURCE));
            }
            for (int i = 0; i < LOW_LATENCY_EP.length; i++) {
                int ep = LOW_LATENCY_EP[i];
                MoeSpec spec = MoeSpec.builder(MoeMode.LOW_LATENCY).maxRealTokens(REAL_TOKENS)
                        .routing(new Routing.Uniform()).build();
                MoeResult result = checked(machine, plane, ep, spec);
                anchors.add(new Anchor("EP" + ep + " low-latency dispatch, time", LOW_LATENCY_US[i][0],
                        result.dispatch().meanNanos() / 1e3, "us", 0.20, SOURCE));
                anchors.add(new Anchor("EP" + ep + " low-latency combine, time", LOW_LATENCY_US[i][1],
                        result.combine().meanNanos() / 1e3, "us", 0.20, SOURCE));
            }
        }
        return anchors;
    }

    private static MoeResult checked(Supernode machine, MessagePlane plane, int ep, MoeSpec spec) {
        MoeResult result = ExpertParallel.run(machine, plane, Team.world(ep), spec, Transport.UNIFIED);
        if (result.wrong() != 0) {
            throw new IllegalStateException(result.wrong() + " wrong channels in the fidelity run of EP" + ep + " "
                    + spec.mode());
        }
        return result;
    }
}
