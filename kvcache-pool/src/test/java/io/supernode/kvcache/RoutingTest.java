package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The affinity router: pure affinity keeps every prefix where it is and queues behind hot nodes; a balance threshold
 * diverts requests from busy holders and copies their prefixes, and then a pooled cache keeps the hits that a local
 * one loses.
 */
class RoutingTest {

    private static final long SEED = 7;
    /** Loaded, with a few hot system prompts: 40 requests a second on 8 nodes. */
    private static TraceLoad hot;

    @BeforeAll
    static void generate() {
        hot = SyntheticTraceGenerator.generate(new GeneratorOptions(SEED, 1200, 4, 2048, 1.2, 4, 400, 300, 40, 1,
                16_384, BlockLayout.MOONCAKE_TOKENS_PER_BLOCK));
    }

    private static ReplayResult replay(ServingSetup path, long thresholdMillis) {
        return Replay.run(hot, ReplayOptions.builder().path(path).router(RouterPolicy.AFFINITY).payload(false)
                .balanceThresholdNanos(thresholdMillis < 0 ? ReplayOptions.NO_BALANCING : thresholdMillis * 1_000_000)
                .seed(SEED).build());
    }

    @Test
    void pureAffinityNeverDivertsAndNeverReadsAnotherNodesBlocks() {
        for (ServingSetup path : ServingSetup.values()) {
            ReplayResult pure = replay(path, -1);
            assertEquals(0, pure.churn().diverted(), path.label());
            assertEquals(0, pure.reuse().remoteHits(), path.label() + ": each request runs where its prefix is");
        }
    }

    @Test
    void aThresholdDivertsFromBusyHoldersAndShortensTheTail() {
        ReplayResult pure = replay(ServingSetup.POOLED_UNIFIED, -1);
        ReplayResult loose = replay(ServingSetup.POOLED_UNIFIED, 50);
        ReplayResult tight = replay(ServingSetup.POOLED_UNIFIED, 10);
        assertTrue(loose.churn().diverted() > 0);
        assertTrue(tight.churn().diverted() >= loose.churn().diverted(), "a smaller threshold diverts at least as often");
        // A diverted request copies the prefix it reads, so that the hot prefix lives in two places.
        assertTrue(tight.churn().replicas() > 0);
        long pureTail = pure.modeled().ttftQuantileNanos(0.99);
        assertTrue(tight.modeled().ttftQuantileNanos(0.99) < pureTail / 2, tight.modeled().ttftQuantileNanos(0.99)
                + " vs pure affinity " + pureTail);
    }

    @Test
    void whenBalancingDivertsRequestsAPooledCacheKeepsTheHitsALocalOneLoses() {
        ReplayResult local = replay(ServingSetup.LOCAL_ONLY, 10);
        ReplayResult pooled = replay(ServingSetup.POOLED_UNIFIED, 10);
        assertTrue(local.churn().diverted() > 0);
        assertTrue(pooled.reuse().blockHitRate() > local.reuse().blockHitRate() + 0.03,
                pooled.reuse().blockHitRate() + " vs " + local.reuse().blockHitRate());
        assertTrue(pooled.modeled().ttftQuantileNanos(0.99) < local.modeled().ttftQuantileNanos(0.99));
    }
}
