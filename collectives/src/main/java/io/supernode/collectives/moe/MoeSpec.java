package io.supernode.collectives.moe;

import io.supernode.gas.fault.ConfigFault;

/**
 * One expert-parallel dispatch and combine to run: DeepEP's test shapes by default (hidden 7168, top-8 of 256 routed
 * experts, FP8 dispatch, bfloat16 combine; 4096 tokens per rank in normal mode, 128 in low-latency mode).
 *
 * @param mode          normal or low-latency kernels
 * @param tokensPerRank tokens every rank dispatches
 * @param hidden        channels per token, a multiple of {@link TokenFormat#SCALE_BLOCK}
 * @param topK          experts per token
 * @param experts       routed experts, spread evenly over the ranks
 * @param routing       how tokens pick experts
 * @param format        the dispatch format (combine is bfloat16)
 * @param maxRealTokens most tokens per rank moved for real (fewer when the host budget
 *                      {@link ExpertParallel#MAX_REAL_BYTES} needs it); the fabric is charged for all of them
 * @param seed          seeds the routing, the tokens and the experts
 */
public record MoeSpec(MoeMode mode, int tokensPerRank, int hidden, int topK, int experts, Routing routing,
                      TokenFormat format, int maxRealTokens, long seed) {

    /** The largest hidden size taken. */
    public static final int MAX_HIDDEN = 1 << 16;
    /** The most tokens per rank taken. */
    public static final int MAX_TOKENS = 1 << 16;
    /** The most experts per token taken. */
    public static final int MAX_TOP_K = 64;
    /** The most routed experts taken. */
    public static final int MAX_EXPERTS = 1 << 16;

    /** Checks the numbers. */
    public MoeSpec {
        if (mode == null || routing == null || format == null) {
            throw new ConfigFault("an expert-parallel run needs a mode, a routing and a dispatch format");
        }
        if (tokensPerRank < 1 || tokensPerRank > MAX_TOKENS) {
            throw new ConfigFault("tokens per rank must be 1.." + MAX_TOKENS + ", got " + tokensPerRank);
        }
        if (hidden < TokenFormat.SCALE_BLOCK || hidden > MAX_HIDDEN || hidden % TokenFormat.SCALE_BLOCK != 0) {
            throw new ConfigFault("hidden must be a multiple of " + TokenFormat.SCALE_BLOCK + " up to " + MAX_HIDDEN
                    + ", got " + hidden);
        }
        if (experts < 1 || experts > MAX_EXPERTS) {
            throw new ConfigFault("experts must be 1.." + MAX_EXPERTS + ", got " + experts);
        }
        if (topK < 1 || topK > MAX_TOP_K || topK > experts) {
            throw new ConfigFault("top-k must be 1.." + Math.min(MAX_TOP_K, Math.max(1, experts)) + ", got " + topK);
        }
        if (maxRealTokens < 1) {
            throw new ConfigFault("at least one token per rank must move for real, got " + maxRealTokens);
        }
    }

    /** DeepEP's shapes for {@code mode}. */
    public static Builder builder(MoeMode mode) {
        return new Builder(mode);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        return new Builder(mode).tokensPerRank(tokensPerRank).hidden(hidden).topK(topK).experts(experts)
                .routing(routing).format(format).maxRealTokens(maxRealTokens).seed(seed);
    }

    /** Builds a {@link MoeSpec} from DeepEP's test shapes; {@link #build()} checks it. */
    public static final class Builder {
        private MoeMode mode;
        private int tokensPerRank;
        private int hidden = 7168;
        private int topK = 8;
        private int experts = 256;
        private Routing routing = new Routing.GroupLimited(4);
        private TokenFormat format = TokenFormat.FP8;
        private int maxRealTokens = 32;
        private long seed = 42;

        private Builder(MoeMode mode) {
            this.mode = mode;
            this.tokensPerRank = mode == MoeMode.LOW_LATENCY ? 128 : 4096;
        }

        /** The kernels (the token count stays as it is). */
        public Builder mode(MoeMode mode) {
            this.mode = mode;
            return this;
        }

        /** Tokens every rank dispatches. */
        public Builder tokensPerRank(int tokensPerRank) {
            this.tokensPerRank = tokensPerRank;
            return this;
        }

        /** Channels per token. */
        public Builder hidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Experts per token. */
        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Routed experts. */
        public Builder experts(int experts) {
            this.experts = experts;
            return this;
        }

        /** How tokens pick experts. */
        public Builder routing(Routing routing) {
            this.routing = routing;
            return this;
        }

        /** The dispatch format. */
        public Builder format(TokenFormat format) {
            this.format = format;
            return this;
        }

        /** Most tokens per rank moved for real. */
        public Builder maxRealTokens(int maxRealTokens) {
            this.maxRealTokens = maxRealTokens;
            return this;
        }

        /** The seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The checked spec. */
        public MoeSpec build() {
            return new MoeSpec(mode, tokensPerRank, hidden, topK, experts, routing, format, maxRealTokens, seed);
        }
    }
}
