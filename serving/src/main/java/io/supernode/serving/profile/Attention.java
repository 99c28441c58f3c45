package io.supernode.serving.profile;

import io.supernode.gas.fault.ConfigFault;

/**
 * How a model's layers attend: what each token caches and what attending to one earlier token costs.
 */
public sealed interface Attention permits Attention.GroupedQuery, Attention.Latent {

    /** Attention heads (query heads). */
    int heads();

    /** Weights of one layer's attention projections. */
    double params(int hidden);

    /** Elements one token caches per layer (keys and values, or the latent and rotary key). */
    int cachedElementsPerToken();

    /**
     * FLOPs of one query token attending to one context token in one layer, every head: scores and the weighted
     * sum of values. {@code absorbed}: latent attention with its up-projections folded into the query and output,
     * as decoding runs it; ignored by grouped-query attention.
     */
    double flopsPerContextToken(boolean absorbed);

    /**
     * FLOPs, per layer, of making one cached token's keys and values usable by a prompt chunk attending to it: none
     * for grouped-query attention, which caches them as they are; latent attention, run unabsorbed in prefill,
     * projects the cached latent up to every head's key and value.
     */
    double prefixTokenFlops();

    /**
     * Over how many of a tensor-parallel group's {@code accelerators} one token's cached KV is spread: grouped-query
     * attention shards its KV heads (and replicates them past one head per accelerator); the latent is whole on each.
     */
    int kvShards(int accelerators);

    /**
     * Grouped-query attention (multi-head when {@code kvHeads == heads}), as Llama 3 and Qwen3 use.
     *
     * @param heads   query heads ({@code num_attention_heads})
     * @param kvHeads key-value heads ({@code num_key_value_heads})
     * @param headDim dimensions per head ({@code head_dim}, else hidden / heads)
     */
    record GroupedQuery(int heads, int kvHeads, int headDim) implements Attention {

        /** Checks the shape. */
        public GroupedQuery {
            if (heads < 1 || kvHeads < 1 || headDim < 1 || heads % kvHeads != 0) {
                throw new ConfigFault("grouped-query attention needs positive sizes and query heads a multiple of "
                        + "key-value heads, got " + heads + " heads, " + kvHeads + " KV heads, head dim " + headDim);
            }
        }

        @Override
        public double params(int hidden) {
            return (double) hidden * headDim * (2.0 * heads + 2.0 * kvHeads);
        }

        @Override
        public int cachedElementsPerToken() {
            return 2 * kvHeads * headDim;
        }

        @Override
        public double flopsPerContextToken(boolean absorbed) {
            return 4.0 * heads * headDim;
        }

        @Override
        public double prefixTokenFlops() {
            return 0;
        }

        @Override
        public int kvShards(int accelerators) {
            return Math.min(accelerators, kvHeads);
        }
    }

    /**
     * Multi-head latent attention (MLA), as DeepSeek-V2 and V3 use: keys and values are cached as one compressed
     * latent per token plus a shared rotary key.
     *
     * @param heads         attention heads
     * @param qLoraRank     query compression rank (0: queries projected directly)
     * @param kvLoraRank    key-value latent rank
     * @param qkNopeHeadDim per head, query and key dimensions without rotary embedding
     * @param qkRopeHeadDim per head, rotary dimensions (one shared rotary key per token is cached)
     * @param vHeadDim      per head, value dimensions
     */
    record Latent(int heads, int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim)
            implements Attention {

        /** Checks the shape. */
        public Latent {
            if (heads < 1 || qLoraRank < 0 || kvLoraRank < 1 || qkNopeHeadDim < 0 || qkRopeHeadDim < 0 || vHeadDim < 1) {
                throw new ConfigFault("latent attention needs positive heads, KV rank and value dimensions");
            }
        }

        /** Query (through its low rank), latent KV and rotary key, key and value up-projections, output. */
        @Override
        public double params(int hidden) {
            double query = qLoraRank > 0
                    ? (double) hidden * qLoraRank + (double) qLoraRank * heads * (qkNopeHeadDim + qkRopeHeadDim)
                    : (double) hidden * heads * (qkNopeHeadDim + qkRopeHeadDim);
            double latent = (double) hidden * (kvLoraRank + qkRopeHeadDim);
            double upProjection = (double) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
            double output = (double) heads * vHeadDim * hidden;
            return query + latent + upProjection + output;
        }

        @Override
        public int cachedElementsPerToken() {
            return kvLoraRank + qkRopeHeadDim;
        }

        /**
         * Absorbed (decode): scores over the cached latent and rotary key, values over the latent. Not absorbed
         * (prefill): ordinary multi-head attention over keys and values projected up once per token (those
         * projections are among {@link #params}).
         */
        @Override
        public double flopsPerContextToken(boolean absorbed) {
            return absorbed ? 2.0 * heads * (kvLoraRank + qkRopeHeadDim + kvLoraRank)
                    : 2.0 * heads * (qkNopeHeadDim + qkRopeHeadDim + vHeadDim);
        }

        /** The key and value up-projections of one cached latent: 2 x rank x heads x (key + value dimensions). */
        @Override
        public double prefixTokenFlops() {
            return 2.0 * kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
        }

        @Override
        public int kvShards(int accelerators) {
            return 1;
        }
    }
}
