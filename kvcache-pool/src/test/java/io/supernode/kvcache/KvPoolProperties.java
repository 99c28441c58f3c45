package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.index.PrefixIndex;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.serve.KvPool;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ServeOutcome;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For random workloads, machines, capacities (HBM, DRAM and SSD tiers) and policies, with prefill and decode on one
 * node or two: every request's decode equals the recomputed one, reuse never exceeds what was cached, and every tier's index stays consistent after every
 * request. jqwik prints the seed and the shrunk parameters of any failure.
 */
class KvPoolProperties {

    @Property(tries = 40)
    void reuseNeverChangesWhatTheModelComputesAndTheIndexStaysConsistent(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int nodes,
            @ForAll @IntRange(min = 1, max = 24) int capacityBlocks, @ForAll ServingSetup path,
            @ForAll PlacementPolicy placement, @ForAll @IntRange(min = 0, max = 3) int replicateAfter,
            @ForAll KvDtype dtype, @ForAll @IntRange(min = 0, max = 12) int dramBlocks,
            @ForAll @IntRange(min = 0, max = 12) int ssdBlocks, @ForAll boolean disaggregate) {
        boolean apart = disaggregate && nodes > 1;
        int tokensPerBlock = 8;
        BlockLayout layout = BlockLayout.teaching(tokensPerBlock, dtype);
        List<Request> requests = SyntheticTraceGenerator.generate(
                new GeneratorOptions(seed, 40, 3, 20, 1.0, 3, 10, 8, 10, 1 + (int) (seed & 1), 120, tokensPerBlock))
                .requests();
        ReplayOptions options = ReplayOptions.builder().nodes(nodes).path(path).placement(placement)
                .replicateAfter(replicateAfter).layout(layout)
                .capacityTokensPerNode((long) capacityBlocks * tokensPerBlock)
                .dramTokensPerNode((long) dramBlocks * tokensPerBlock).ssdTokensPerNode((long) ssdBlocks * tokensPerBlock)
                .tokenBudget(apart ? 512 : 0).prefillNodes(apart ? 1 : 0).seed(seed).build();
        TinyAttentionModel reference = new TinyAttentionModel(layout, seed);
        SplittableRandom router = new SplittableRandom(seed);
        try (KvPool pool = new KvPool(options)) {
            for (Request request : requests) {
                int node = router.nextInt(nodes);
                int reusable = reachablePrefix(pool, node, request.blockKeys());
                // Disaggregated, the KV also moves to another node, which checks it attends over the same bytes.
                ServeOutcome outcome = pool.serve(request, node, false, apart ? (node + 1) % nodes : -1);
                assertEquals(KvPool.recomputedDigest(reference, request), outcome.digest(), "request " + request.id());
                assertTrue(outcome.localHits() + outcome.remoteHits() + outcome.lowerTierHits() + outcome.costRejected()
                                <= reusable,
                        "request " + request.id() + " reused more leading blocks than were cached");
                assertEquals(request.inputTokens(), outcome.hitTokens() + outcome.computeTokens());
                if (!path.pooled()) {
                    assertEquals(0, outcome.remoteHits());
                }
                for (Tier tier : Tier.values()) {
                    PrefixIndex index = pool.index(tier);
                    if (index != null) {
                        assertEquals(List.of(), index.violations(), tier.label() + " after request " + request.id());
                    }
                }
            }
        }
    }

    /** Leading blocks of {@code keys} that {@code node} may read from some tier: its own, or any node's when pooled. */
    private static int reachablePrefix(KvPool pool, int node, long[] keys) {
        boolean pooled = pool.options().path().pooled();
        int blocks = 0;
        while (blocks < keys.length && reachable(pool, node, keys[blocks], pooled)) {
            blocks++;
        }
        return blocks;
    }

    private static boolean reachable(KvPool pool, int node, long key, boolean pooled) {
        for (Tier tier : Tier.values()) {
            PrefixIndex index = pool.index(tier);
            if (index != null && (pooled ? index.held(key) : index.cache(node).get(key) != null)) {
                return true;
            }
        }
        return false;
    }
}
