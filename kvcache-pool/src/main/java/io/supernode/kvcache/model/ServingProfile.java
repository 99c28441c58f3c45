package io.supernode.kvcache.model;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.kvcache.KvConfigException;
import io.supernode.serving.cost.StepCost;
import io.supernode.serving.cost.StepLoad;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

/**
 * The served model on a serving node's accelerators, as far as the KV replay's time is concerned: how many bytes of
 * KV a token has, what prefilling a prompt after a cached prefix costs, what recomputing one block costs beside
 * fetching it, and what a decode token costs. Times come from {@link StepCost}: prefill FLOPs grow with the context
 * the new tokens attend to (cached included), so a cached prefix saves less than its share of the prompt. The replay
 * moves small payloads for real but charges the fabric for {@link #kvBytesPerToken()}.
 *
 * @param cost the step cost model of the model on the node's accelerators
 */
public record ServingProfile(StepCost cost) {

    /** Llama 3.1 8B in BF16 on one H100 SXM. */
    public static final ServingProfile LLAMA3_8B = of(ModelProfile.LLAMA3_1_8B, HardwareProfile.H100, 1);

    /** Checks that there is a cost model. */
    public ServingProfile {
        if (cost == null) {
            throw new KvConfigException("a serving profile needs a step cost model");
        }
    }

    /**
     * {@code model} on {@code accelerators} of {@code hardware} per serving node.
     *
     * @throws KvConfigException when the group cannot be built (see {@link StepCost})
     */
    public static ServingProfile of(ModelProfile model, HardwareProfile hardware, int accelerators) {
        try {
            return new ServingProfile(new StepCost(model, hardware, accelerators));
        } catch (ConfigFault e) {
            throw new KvConfigException(e.getMessage());
        }
    }

    /**
     * The fewest accelerators, a power of two, whose HBM holds {@code model}'s weights in at most 90 % (A: the rest
     * for activations and some KV cache), as tensor parallelism groups them.
     */
    public static int acceleratorsFor(ModelProfile model, HardwareProfile hardware) {
        double weights = model.totalParams() * model.weightBytes();
        int group = 1;
        while (group < 1024 && weights > 0.9 * group * (double) hardware.hbmBytes()) {
            group *= 2;
        }
        return group;
    }

    /** Share of a node's HBM left for the KV cache after the weights, the rest holding activations (A: 10 %). */
    public static final double KV_SHARE_AFTER_WEIGHTS = 0.9;

    /**
     * Tokens of KV the node's accelerators hold beside the weights: {@link #KV_SHARE_AFTER_WEIGHTS} of their HBM, less
     * the weights, over the KV bytes per token (a latent, whole on every accelerator, counts once per accelerator).
     * At least one token's worth, so an engine always admits a lone prompt.
     */
    public long hbmKvTokens() {
        int group = cost.accelerators();
        double free = KV_SHARE_AFTER_WEIGHTS * group * (double) cost.hardware().hbmBytes()
                - cost.model().totalParams() * cost.model().weightBytes();
        double perToken = (double) kvBytesPerToken() * group / cost.model().attention().kvShards(group);
        return Math.max(1, (long) (free / perToken));
    }

    /** The model, its accelerators and their number, e.g. {@code llama3.1-8b on 1 x h100}. */
    public String name() {
        return cost.model().name() + " on " + cost.accelerators() + " x " + cost.hardware().name();
    }

    /** KV cache bytes per token. */
    public long kvBytesPerToken() {
        return cost.model().kvBytesPerToken();
    }

    /** Modeled KV bytes of {@code tokens} tokens. */
    public long kvBytes(long tokens) {
        return tokens * kvBytesPerToken();
    }

    /**
     * One prefill step of {@code newTokens} after a cached prefix of {@code cachedTokens}. A prompt cached whole still
     * computes its last token, as engines do to sample the first output token.
     */
    public long prefillNanos(long newTokens, long cachedTokens) {
        if (newTokens == 0) {
            return cachedTokens == 0 ? 0 : cost.prefillNanos(1, cachedTokens - 1);
        }
        return cost.prefillNanos(newTokens, cachedTokens);
    }

    /**
     * What computing one block of {@code blockTokens} at {@code positionTokens} into its prompt adds to a prefill:
     * its FLOPs (linear layers and attention over everything before it) at the reachable peak, without the step's
     * fixed costs, which the prompt's prefill pays anyway. A fetch is worth it when it costs less.
     */
    public long recomputeNanos(int blockTokens, long positionTokens) {
        return cost.time(StepLoad.prefill(blockTokens, positionTokens, false)).computeNanos();
    }

    /** One decode step of a lone sequence holding {@code contextTokens}: its weights and KV read once. */
    public long decodeTokenNanos(long contextTokens) {
        return cost.decodeStepNanos(1, contextTokens);
    }

    /** Modeled prefill time of a {@code tokens}-token prompt with nothing cached: what the info line quotes. */
    public long prefillNanos(long tokens) {
        return prefillNanos(tokens, 0);
    }
}
