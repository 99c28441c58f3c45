package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.serving.profile.FeedForward;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

/**
 * One decode or prefill step of an MoE model served with wide expert parallelism, as DeepSeek serves V3: attention
 * data-parallel (every rank runs its own batch and holds the attention weights), experts spread over the ranks,
 * tokens dispatched to them and combined back every MoE layer. Each compute phase is a roofline on the hardware
 * profile: the larger of its FLOPs at the reachable share of peak and its bytes at the reachable share of HBM bandwidth
 * (so the experts are memory-bound at small batches, compute-bound at large). Dispatch and combine are timed by
 * {@link ExpertParallel}'s model on the machine's links (low-latency kernels for decode, normal kernels for prefill).
 * With overlap the batch runs as two micro-batches, one's communication under the other's compute, as DeepSeek's
 * inference does: an MoE layer then takes the larger of both micro-batches' compute and both's communication, unless
 * the whole batch at once is faster (micro-batches read every weight twice). Modeled time only; nothing moves for
 * real.
 */
public final class ServingStep {

    /** The largest batch per rank taken. */
    public static final int MAX_BATCH = 1 << 16;

    private ServingStep() {
    }

    /**
     * A step of {@code kind} on {@code team}: {@code batch} sequences per rank each with {@code contextTokens} cached
     * (decode), or {@code batch} prompt tokens per rank from prompts of {@code contextTokens} (prefill).
     *
     * @throws ConfigFault when the batch or context is out of range, the model is dense or larger than a dispatch
     *                     takes, or the experts do not spread over the team
     */
    public static StepResult run(Topology topology, MessagePlane plane, Team team, ModelProfile model,
                                 HardwareProfile hardware, StepResult.StepKind kind, int batch, int contextTokens,
                                 boolean overlap, Routing routing, Transport transport, long seed) {
        if (batch < 2 || batch > MAX_BATCH) {
            throw new ConfigFault("batch per rank must be 2.." + MAX_BATCH + ", got " + batch);
        }
        if (contextTokens < 1 || contextTokens > 1 << 20) {
            throw new ConfigFault("context must be 1.." + (1 << 20) + " tokens, got " + contextTokens);
        }
        FeedForward.Experts experts = model.experts();
        if (experts.routed() > MoeSpec.MAX_EXPERTS || experts.topK() > MoeSpec.MAX_TOP_K
                || model.hidden() > MoeSpec.MAX_HIDDEN) {
            throw new ConfigFault("model " + model.name() + ": a dispatch takes at most " + MoeSpec.MAX_EXPERTS
                    + " experts, top-" + MoeSpec.MAX_TOP_K + " and hidden " + MoeSpec.MAX_HIDDEN);
        }
        int ranks = team.size();
        if (experts.routed() % ranks != 0) {
            throw new ConfigFault(experts.routed() + " experts of " + model.name() + " do not spread evenly over "
                    + ranks + " ranks");
        }
        Phases whole = phases(topology, plane, team, model, hardware, kind, batch, contextTokens, routing, transport, seed);
        double moeLayer = whole.attention + whole.experts + whole.dispatch + whole.combine;
        if (overlap) {
            // Two micro-batches read every weight twice: at small batches, where the experts are memory-bound, that
            // can cost more than the overlap saves, and the whole batch is run instead.
            Phases first = phases(topology, plane, team, model, hardware, kind, (batch + 1) / 2, contextTokens, routing,
                    transport, seed);
            Phases second = batch % 2 == 0 ? first : phases(topology, plane, team, model, hardware, kind, batch / 2,
                    contextTokens, routing, transport, seed);
            moeLayer = Math.min(moeLayer, Math.max(first.attention + first.experts + second.attention + second.experts,
                    first.dispatch + first.combine + second.dispatch + second.combine));
        }
        double denseLayer = whole.attention + roofline(model, hardware, 2 * model.denseMlpParams() * batch,
                model.denseMlpParams() * model.weightBytes());
        // The head runs on every token that ends a sequence: all of a decode batch, the last of each prompt in prefill.
        double headTokens = kind == StepResult.StepKind.DECODE ? batch : Math.max(1.0, (double) batch / contextTokens);
        double head = roofline(model, hardware, 2 * model.headParams() * headTokens, model.headParams() * model.weightBytes());
        double step = model.denseLayers() * denseLayer + model.moeLayers() * moeLayer + head;
        double weights = model.weightBytes() * (model.layers() * model.attentionParams()
                + model.denseLayers() * model.denseMlpParams()
                + model.moeLayers() * ((double) experts.routed() / ranks + experts.shared()) * experts.expertParams(model.hidden())
                + 2 * model.headParams());
        // Decode holds its sequences' whole context; prefill writes its prompt tokens' KV cache.
        double kv = (kind == StepResult.StepKind.DECODE ? (double) batch * contextTokens : batch)
                * model.kvBytesPerTokenLayer() * model.layers();
        return new StepResult(kind, ranks, transport, step, batch / (step / 1e6), whole.attention, whole.experts,
                whole.dispatch, whole.combine, moeLayer, denseLayer, head, weights, kv, weights + kv <= hardware.hbmBytes());
    }

    /** One MoE layer's phases for {@code tokens} tokens per rank, in microseconds. */
    private record Phases(double attention, double experts, double dispatch, double combine) {
    }

    private static Phases phases(Topology topology, MessagePlane plane, Team team, ModelProfile model,
                                 HardwareProfile hardware, StepResult.StepKind kind, int tokens, int context,
                                 Routing routing, Transport transport, long seed) {
        boolean decode = kind == StepResult.StepKind.DECODE;
        // Decode attends over the whole context; a prompt token over the half before it on average (causal).
        double attended = decode ? context : context / 2.0;
        double projections = 2 * model.attentionParams() * tokens;
        double core = model.attention().flopsPerContextToken(decode) * attended * tokens;
        double attentionBytes = model.attentionParams() * model.weightBytes()
                + (decode ? tokens * (double) context * model.kvBytesPerTokenLayer() : 0);
        double attention = Math.max(projections / (hardware.peakFlops(model.weightBytes()) * hardware.mfu())
                        + core / (hardware.bf16Flops() * hardware.mfu()),
                attentionBytes / (hardware.hbmBytesPerSecond() * hardware.bandwidthUtilization())) * 1e6;
        int ranks = team.size();
        FeedForward.Experts moe = model.experts();
        double expertParams = moe.expertParams(model.hidden());
        double localExperts = (double) moe.routed() / ranks;
        // Each of the batch's token-expert pairs lands on some rank: a rank's experts see tokens x top-k pairs on
        // average, and an expert whose weights no token needs is not read.
        double pairsPerExpert = (double) tokens * ranks * moe.topK() / moe.routed();
        double touched = localExperts * -Math.expm1(-pairsPerExpert);
        double expertFlops = 2 * expertParams * ((double) tokens * moe.topK() + (double) tokens * moe.shared());
        double expertBytes = expertParams * model.weightBytes() * (touched + moe.shared());
        double experts = roofline(model, hardware, expertFlops, expertBytes);
        MoeSpec spec = MoeSpec.builder(decode ? MoeMode.LOW_LATENCY : MoeMode.NORMAL).tokensPerRank(tokens)
                .hidden(model.hidden()).topK(moe.topK()).experts(moe.routed()).routing(routing).seed(seed)
                .build();
        ExpertParallel.Model timed = ExpertParallel.model(topology, plane, team, spec, transport);
        return new Phases(attention, experts, timed.dispatch().meanNanos() / 1e3, timed.combine().meanNanos() / 1e3);
    }

    /** Microseconds of the larger of {@code flops} at the weights' reachable peak and {@code bytes} at reachable HBM rate. */
    private static double roofline(ModelProfile model, HardwareProfile hardware, double flops, double bytes) {
        return Math.max(flops / (hardware.peakFlops(model.weightBytes()) * hardware.mfu()),
                bytes / (hardware.hbmBytesPerSecond() * hardware.bandwidthUtilization())) * 1e6;
    }
}
