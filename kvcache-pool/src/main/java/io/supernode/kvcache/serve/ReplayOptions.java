package io.supernode.kvcache.serve;

import io.supernode.gas.path.FabricPair;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.trace.TraceLoad;

import java.util.stream.LongStream;

/**
 * One replay's setting.
 *
 * @param nodes                 serving nodes
 * @param pair                  the fabric the pooled-unified path loads over, and the copy stack the pooled-copy path uses
 * @param path                  how nodes reach each other's blocks
 * @param router                which node serves a request
 * @param placement             where pooled paths store newly computed blocks (local-only always stores locally)
 * @param capacityTokensPerNode KV capacity of each node, in tokens
 * @param layout                the payload blocks that move for real (sized down for whole-trace replays)
 * @param profile               the served model: KV bytes the fabric is charged for, prefill and decode speed
 * @param payload               move and check real bytes; false runs the index and the cost model only
 * @param replicateAfter        copy a block to a node after this many remote reads by any node (0: never)
 * @param seed                  seeds the model's weights
 */
public record ReplayOptions(int nodes, FabricPair pair, ServingPath path, RouterPolicy router, PlacementPolicy placement,
                            long capacityTokensPerNode, BlockLayout layout, ServingProfile profile, boolean payload,
                            int replicateAfter, long seed) {

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
        if (replicateAfter < 0) {
            throw new KvConfigException("replicate-after must be >= 0, got " + replicateAfter);
        }
    }

    /**
     * The defaults: 8 nodes over UB (against RoCE), pooled-unified, cache-aware, local-first placement,
     * 500 k tokens of KV per node (64 GB of Llama 3.1 8B's 128 KiB per token), replay payloads, seed 42.
     */
    public static ReplayOptions defaults() {
        return new ReplayOptions(8, FabricPair.UB_VS_ROCE, ServingPath.POOLED_UNIFIED, RouterPolicy.CACHE_AWARE,
                PlacementPolicy.LOCAL_FIRST, 500_000, BlockLayout.replay(BlockLayout.MOONCAKE_TOKENS_PER_BLOCK),
                ServingProfile.LLAMA3_8B, true, 0, 42);
    }

    /**
     * The capacity per node, in tokens, that holds every distinct block of {@code load} once when spread
     * evenly over the nodes: the top of a capacity sweep, where eviction stops mattering.
     */
    public long capacityHoldingEveryBlock(TraceLoad load) {
        long distinct = load.requests().stream().flatMapToLong(r -> LongStream.of(r.blockKeys())).distinct().count();
        return Math.max(1, distinct * layout.tokensPerBlock() / nodes);
    }

    /** Capacity of each node in blocks. */
    public int capacityBlocksPerNode() {
        return (int) Math.min(Integer.MAX_VALUE, capacityTokensPerNode / layout.tokensPerBlock());
    }

    /** With {@code count} nodes. */
    public ReplayOptions withNodes(int count) {
        return new ReplayOptions(count, pair, path, router, placement, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, seed);
    }

    /** With fabric pair {@code other}. */
    public ReplayOptions withPair(FabricPair other) {
        return new ReplayOptions(nodes, other, path, router, placement, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, seed);
    }

    /** With path {@code other}. */
    public ReplayOptions withPath(ServingPath other) {
        return new ReplayOptions(nodes, pair, other, router, placement, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, seed);
    }

    /** With router {@code other}. */
    public ReplayOptions withRouter(RouterPolicy other) {
        return new ReplayOptions(nodes, pair, path, other, placement, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, seed);
    }

    /** With placement {@code other}. */
    public ReplayOptions withPlacement(PlacementPolicy other) {
        return new ReplayOptions(nodes, pair, path, router, other, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, seed);
    }

    /** With {@code tokens} of KV capacity per node. */
    public ReplayOptions withCapacityTokens(long tokens) {
        return new ReplayOptions(nodes, pair, path, router, placement, tokens, layout, profile, payload, replicateAfter,
                seed);
    }

    /** With payload layout {@code other}. */
    public ReplayOptions withLayout(BlockLayout other) {
        return new ReplayOptions(nodes, pair, path, router, placement, capacityTokensPerNode, other, profile, payload,
                replicateAfter, seed);
    }

    /** With serving profile {@code other}. */
    public ReplayOptions withProfile(ServingProfile other) {
        return new ReplayOptions(nodes, pair, path, router, placement, capacityTokensPerNode, layout, other, payload,
                replicateAfter, seed);
    }

    /** Moving real bytes or not. */
    public ReplayOptions withPayload(boolean real) {
        return new ReplayOptions(nodes, pair, path, router, placement, capacityTokensPerNode, layout, profile, real,
                replicateAfter, seed);
    }

    /** Replicating hot blocks after {@code reads} remote reads (0: never). */
    public ReplayOptions withReplicateAfter(int reads) {
        return new ReplayOptions(nodes, pair, path, router, placement, capacityTokensPerNode, layout, profile, payload,
                reads, seed);
    }

    /** With seed {@code other}. */
    public ReplayOptions withSeed(long other) {
        return new ReplayOptions(nodes, pair, path, router, placement, capacityTokensPerNode, layout, profile, payload,
                replicateAfter, other);
    }
}
