package io.supernode.serving.profile;

import io.supernode.gas.fault.ConfigFault;

/** A layer's feed-forward block: one gated MLP, or experts a router picks per token. */
public sealed interface FeedForward permits FeedForward.Dense, FeedForward.Experts {

    /** Weights of a gated MLP (gate, up and down projections) of {@code intermediate} over {@code hidden}. */
    static double mlpParams(int hidden, int intermediate) {
        return 3.0 * hidden * intermediate;
    }

    /**
     * Every layer has the same gated MLP.
     *
     * @param intermediate its intermediate size ({@code intermediate_size})
     */
    record Dense(int intermediate) implements FeedForward {

        /** Checks the size. */
        public Dense {
            if (intermediate < 1) {
                throw new ConfigFault("a dense MLP needs a positive intermediate size, got " + intermediate);
            }
        }
    }

    /**
     * Mixture of experts: after {@code denseLayers} leading dense layers, each layer has {@code routed} experts of
     * which a router picks {@code topK} per token, and {@code shared} experts every token runs.
     *
     * @param routed            routed experts per layer ({@code n_routed_experts} or {@code num_experts})
     * @param shared            shared experts per layer ({@code n_shared_experts}, 0 if none)
     * @param topK              routed experts per token ({@code num_experts_per_tok})
     * @param intermediate      an expert's intermediate size ({@code moe_intermediate_size})
     * @param denseLayers       leading layers with a dense MLP instead ({@code first_k_dense_replace}, 0 if none)
     * @param denseIntermediate those layers' intermediate size ({@code intermediate_size}; 0 when there are none)
     */
    record Experts(int routed, int shared, int topK, int intermediate, int denseLayers, int denseIntermediate)
            implements FeedForward {

        /** Checks the sizes. */
        public Experts {
            if (routed < 1 || shared < 0 || topK < 1 || topK > routed || intermediate < 1 || denseLayers < 0
                    || denseIntermediate < 0 || denseLayers > 0 && denseIntermediate < 1) {
                throw new ConfigFault("experts need positive counts and sizes, top-k at most the routed experts, and "
                        + "an intermediate size for their dense layers; got " + routed + " routed, top-" + topK);
            }
        }

        /** Weights of one expert. */
        public double expertParams(int hidden) {
            return mlpParams(hidden, intermediate);
        }
    }
}
