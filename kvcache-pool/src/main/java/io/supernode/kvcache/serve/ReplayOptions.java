package io.supernode.kvcache.serve;

import io.supernode.gas.path.FabricPair;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.trace.TraceLoad;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * One replay's setting.
 *
 * @param nodes                 serving nodes
 * @param pair                  the fabric the pooled-unified path loads over, and the copy stack the pooled-copy path uses
 * @param path                  how nodes reach each other's blocks
 * @param router                which node serves a request
 * @param placement             where pooled paths store newly computed blocks (local-only always stores locally)
 * @param capacityTokensPerNode KV capacity of each node's HBM, in tokens
 * @param dramTokensPerNode     KV capacity of each node's host DRAM tier, in tokens (0: no DRAM tier)
 * @param ssdTokensPerNode      KV capacity of each node's SSD tier, in tokens (0: no SSD tier)
 * @param layout                the payload blocks that move for real (sized down for whole-trace replays)
 * @param profile               the served model: KV bytes the fabric is charged for, prefill and decode speed
 * @param payload               move and check real bytes; false runs the index and the cost model only
 * @param replicateAfter        copy a block to a node after this many remote reads by any node (0: never)
 * @param balanceThresholdNanos with the affinity router: how much longer than the least-loaded node's the prefix
 *                              holder's queue may be before a request is diverted ({@link #NO_BALANCING}: never)
 * @param tokenBudget           tokens per engine step under continuous batching with chunked prefill, KV admission
 *                              limited by the node's capacity; 0: no batching, each node prefills one prompt after
 *                              another and decode adds a lone sequence's steps
 * @param prefillNodes          prefill/decode disaggregation: the first this many nodes prefill and the others decode,
 *                              each request's KV moving from its prefill node to a decode node over the path (needs a
 *                              token budget); 0: every node does both
 * @param seed                  seeds the model's weights
 */
public record ReplayOptions(int nodes, FabricPair pair, ServingSetup path, RouterPolicy router, PlacementPolicy placement,
                            long capacityTokensPerNode, long dramTokensPerNode, long ssdTokensPerNode, BlockLayout layout, ServingProfile profile, boolean payload,
                            int replicateAfter, long balanceThresholdNanos, int tokenBudget, int prefillNodes,
                            long seed) {

    /**
     * Tokens per engine step unless set: continuous batching with chunked prefill, as vLLM's and TensorRT-LLM's
     * default 8,192 (A); {@link ConcurrencyFidelity} holds the engine at this budget against a published sweep.
     */
    public static final int DEFAULT_TOKEN_BUDGET = 8_192;

    /** The largest token budget per step (A: 1M tokens, far beyond any engine's). */
    public static final int MAX_TOKEN_BUDGET = 1 << 20;

    /**
     * The most payload bytes a replay's KV regions may reserve on all nodes together (A: 32 TiB, a quarter of the 128 TiB
     * of address space a Linux process has; pages are committed only as blocks are written).
     */
    public static final long MAX_PAYLOAD_BYTES = 32L << 40;

    /** No balance threshold: the affinity router never diverts a request from its prefix's holder. */
    public static final long NO_BALANCING = Long.MAX_VALUE;

    /** Checks the setting. */
    public ReplayOptions {
        if (nodes < 1 || nodes > 4096) {
            throw new KvConfigException("KV replay needs 1..4096 nodes, got " + nodes);
        }
        if (pair == null || path == null || router == null || placement == null || layout == null || profile == null) {
            throw new KvConfigException("KV replay options must all be set");
        }
        if (capacityTokensPerNode < layout.tokensPerBlock()) {
            throw new KvConfigException("KV capacity per node must hold at least one block of " + layout.tokensPerBlock()
                    + " tokens, got " + capacityTokensPerNode + " tokens");
        }
        if (dramTokensPerNode < 0 || ssdTokensPerNode < 0) {
            throw new KvConfigException("DRAM and SSD tiers must hold >= 0 tokens per node, got " + dramTokensPerNode
                    + " and " + ssdTokensPerNode);
        }
        for (long tier : new long[] {dramTokensPerNode, ssdTokensPerNode}) {
            if (tier > 0 && tier < layout.tokensPerBlock()) {
                throw new KvConfigException("a DRAM or SSD tier must hold at least one block of " + layout.tokensPerBlock()
                        + " tokens per node, got " + tier + " tokens");
            }
        }
        long payloadBytes = payload ? payloadBytes(layout, capacityTokensPerNode, dramTokensPerNode, ssdTokensPerNode) : 0;
        if (payloadBytes > MAX_PAYLOAD_BYTES / nodes) {
            throw new KvConfigException("KV capacities of " + capacityTokensPerNode + " + " + dramTokensPerNode + " + "
                    + ssdTokensPerNode + " tokens per node need " + payloadBytes / (1L << 30) + " GiB of real payload on "
                    + "each of " + nodes + " nodes, over " + MAX_PAYLOAD_BYTES / (1L << 40) + " TiB in all: use smaller "
                    + "capacities, or no payload");
        }
        if (replicateAfter < 0) {
            throw new KvConfigException("replicate-after must be >= 0, got " + replicateAfter);
        }
        if (tokenBudget < 0 || tokenBudget > MAX_TOKEN_BUDGET) {
            throw new KvConfigException("token budget must be 0 (no batching) .. " + MAX_TOKEN_BUDGET + ", got "
                    + tokenBudget);
        }
        if (prefillNodes < 0 || prefillNodes >= nodes && prefillNodes > 0) {
            throw new KvConfigException(nodes == 1 ? "disaggregation needs 2 nodes or more, one to prefill and one to "
                    + "decode; got 1 node" : "prefill nodes must be 0 (no disaggregation) or 1.." + (nodes - 1)
                    + " of the " + nodes + " nodes, leaving some to decode; got " + prefillNodes);
        }
        if (prefillNodes > 0 && tokenBudget == 0) {
            throw new KvConfigException("prefill/decode disaggregation needs a token budget: decode nodes batch their "
                    + "sequences");
        }
        if (balanceThresholdNanos < 0) {
            throw new KvConfigException("balance threshold must be >= 0, got " + balanceThresholdNanos + " ns");
        }
    }

    /**
     * The defaults: 8 nodes over UB (against RoCE), pooled-unified, cache-aware, local-first placement, Llama 3.1 8B on
     * one H100 with the KV its HBM holds beside the weights (426,788 tokens a node), no lower tiers, continuous batching
     * at {@link #DEFAULT_TOKEN_BUDGET} tokens a step, prefill and decode on every node, replay payloads, seed 42.
     */
    public static ReplayOptions defaults() {
        return builder().build();
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this setting. */
    public Builder toBuilder() {
        return new Builder().nodes(nodes).pair(pair).path(path).router(router).placement(placement)
                .capacityTokensPerNode(capacityTokensPerNode).dramTokensPerNode(dramTokensPerNode)
                .ssdTokensPerNode(ssdTokensPerNode).layout(layout).profile(profile).payload(payload)
                .replicateAfter(replicateAfter).balanceThresholdNanos(balanceThresholdNanos).tokenBudget(tokenBudget).prefillNodes(prefillNodes)
                .seed(seed);
    }

    /**
     * The capacity per node, in tokens, that holds every distinct block of {@code load} once when spread
     * evenly over the nodes: the top of a capacity sweep, where eviction stops mattering.
     */
    public long capacityHoldingEveryBlock(TraceLoad load) {
        long distinct = load.requests().stream().flatMapToLong(r -> LongStream.of(r.blockKeys())).distinct().count();
        return Math.max(1, distinct * layout.tokensPerBlock() / nodes);
    }

    /** Capacity of each node's HBM in blocks. */
    public int capacityBlocksPerNode() {
        return capacityBlocksPerNode(Tier.HBM);
    }

    /** Capacity of each node's share of {@code tier} in blocks (0: the tier is absent). */
    public int capacityBlocksPerNode(Tier tier) {
        return blocks(switch (tier) {
            case HBM -> capacityTokensPerNode;
            case DRAM -> dramTokensPerNode;
            case SSD -> ssdTokensPerNode;
        }, layout);
    }

    /** Whether prefill and decode run on separate nodes. */
    public boolean disaggregated() {
        return prefillNodes > 0;
    }

    /** The nodes a router sends prompts to: the prefill nodes, or all of them. */
    public int routableNodes() {
        return disaggregated() ? prefillNodes : nodes;
    }

    /** The tiers this setting has, HBM first: each lower one with room for at least a block per node. */
    public List<Tier> tiers() {
        return Arrays.stream(Tier.values()).filter(t -> t == Tier.HBM || capacityBlocksPerNode(t) > 0).toList();
    }

    /** Bytes of real payload each node's KV regions take, all tiers together (0 without payload). */
    public long payloadBytesPerNode() {
        return payload ? payloadBytes(layout, capacityTokensPerNode, dramTokensPerNode, ssdTokensPerNode) : 0;
    }

    private static long payloadBytes(BlockLayout layout, long... tierTokens) {
        long blocks = 0;
        for (long tokens : tierTokens) {
            blocks += blocks(tokens, layout);
        }
        return blocks * layout.blockBytes();
    }

    /** Whole blocks of {@code layout} in {@code tokens}, at most {@link Integer#MAX_VALUE}. */
    private static int blocks(long tokens, BlockLayout layout) {
        return (int) Math.min(Integer.MAX_VALUE, tokens / layout.tokensPerBlock());
    }

    /** Builds {@link ReplayOptions} field by field; {@link #build()} checks the setting. */
    public static final class Builder {

        private int nodes = 8;
        private FabricPair pair = FabricPair.UB_VS_ROCE;
        private ServingSetup path = ServingSetup.POOLED_UNIFIED;
        private RouterPolicy router = RouterPolicy.CACHE_AWARE;
        private PlacementPolicy placement = PlacementPolicy.LOCAL_FIRST;
        /** Unset: the profile's {@link ServingProfile#hbmKvTokens()} when built. */
        private long capacityTokensPerNode = -1;
        private long dramTokensPerNode = 0;
        private long ssdTokensPerNode = 0;
        private BlockLayout layout = BlockLayout.replay(BlockLayout.MOONCAKE_TOKENS_PER_BLOCK);
        private ServingProfile profile = ServingProfile.LLAMA3_8B;
        private boolean payload = true;
        private int replicateAfter = 0;
        private long balanceThresholdNanos = NO_BALANCING;
        private int tokenBudget = DEFAULT_TOKEN_BUDGET;
        private int prefillNodes = 0;
        private long seed = 42;

        private Builder() {
        }

        /** Serving nodes. */
        public Builder nodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        /** The fabric the pooled-unified path loads over, and the copy stack the pooled-copy path uses. */
        public Builder pair(FabricPair pair) {
            this.pair = pair;
            return this;
        }

        /** How nodes reach each other's blocks. */
        public Builder path(ServingSetup path) {
            this.path = path;
            return this;
        }

        /** Which node serves a request. */
        public Builder router(RouterPolicy router) {
            this.router = router;
            return this;
        }

        /** Where pooled paths store newly computed blocks. */
        public Builder placement(PlacementPolicy placement) {
            this.placement = placement;
            return this;
        }

        /** KV capacity of each node's HBM, in tokens (unset: what the profile's HBM holds beside the weights). */
        public Builder capacityTokensPerNode(long capacityTokensPerNode) {
            this.capacityTokensPerNode = capacityTokensPerNode;
            return this;
        }

        /** KV capacity of each node's host DRAM tier, in tokens (0: none). */
        public Builder dramTokensPerNode(long dramTokensPerNode) {
            this.dramTokensPerNode = dramTokensPerNode;
            return this;
        }

        /** KV capacity of each node's SSD tier, in tokens (0: none). */
        public Builder ssdTokensPerNode(long ssdTokensPerNode) {
            this.ssdTokensPerNode = ssdTokensPerNode;
            return this;
        }

        /** The payload blocks that move for real. */
        public Builder layout(BlockLayout layout) {
            this.layout = layout;
            return this;
        }

        /** The served model. */
        public Builder profile(ServingProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Move and check real bytes, or run the index and the cost model only. */
        public Builder payload(boolean payload) {
            this.payload = payload;
            return this;
        }

        /** Copy a block to a node after this many remote reads by any node (0: never). */
        public Builder replicateAfter(int replicateAfter) {
            this.replicateAfter = replicateAfter;
            return this;
        }

        /** With the affinity router, the queue difference past which a request is diverted ({@link #NO_BALANCING}). */
        public Builder balanceThresholdNanos(long balanceThresholdNanos) {
            this.balanceThresholdNanos = balanceThresholdNanos;
            return this;
        }

        /** Tokens per step under continuous batching; 0 for none. */
        public Builder tokenBudget(int tokenBudget) {
            this.tokenBudget = tokenBudget;
            return this;
        }

        /** Prefill/decode disaggregation: the first this many nodes prefill, the rest decode (0: none). */
        public Builder prefillNodes(int prefillNodes) {
            this.prefillNodes = prefillNodes;
            return this;
        }

        /** Seeds the model's weights. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The setting.
         *
         * @throws KvConfigException when a field is out of range or missing
         */
        public ReplayOptions build() {
            long capacity = capacityTokensPerNode == -1 && profile != null ? profile.hbmKvTokens() : capacityTokensPerNode;
            return new ReplayOptions(nodes, pair, path, router, placement, capacity, dramTokensPerNode,
                    ssdTokensPerNode, layout, profile,
                    payload, replicateAfter, balanceThresholdNanos, tokenBudget, prefillNodes, seed);
        }
    }
}
