package io.supernode.kvcache;

import io.supernode.gas.path.FabricPair;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.serve.KvPool;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.tier.TierCosts;
import io.supernode.kvcache.tier.TierMedium;
import io.supernode.kvcache.tier.TierUse;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DRAM and SSD tiers below HBM: what they keep, what reading them costs, and that their bytes are the real ones. */
class TierTest {

    private static final long SEED = 11;
    private static final int BLOCK_TOKENS = 16;

    /** Multi-turn chat on a few system prompts: far more distinct blocks than 6 blocks of HBM per node hold. */
    private static TraceLoad chat() {
        return SyntheticTraceGenerator.generate(
                new GeneratorOptions(SEED, 200, 4, 64, 1.0, 4, 40, 30, 20, 1, 600, BLOCK_TOKENS));
    }

    private static ReplayOptions.Builder small(ServingSetup path) {
        return ReplayOptions.builder().nodes(4).path(path).router(RouterPolicy.ROUND_ROBIN)
                .capacityTokensPerNode(6L * BLOCK_TOKENS)
                .layout(BlockLayout.teaching(BLOCK_TOKENS, KvDtype.FP32)).seed(SEED);
    }

    @ParameterizedTest
    @EnumSource(ServingSetup.class)
    void aDramTierKeepsWhatHbmEvictsAndAHitThereDecodesAsRecomputing(ServingSetup path) {
        TraceLoad trace = chat();
        ReplayResult hbmOnly = Replay.run(trace, small(path).build());
        ReplayResult tiered = Replay.run(trace, small(path).dramTokensPerNode(400L * BLOCK_TOKENS).build());
        assertTrue(tiered.reuse().lowerTierHits() > 0, path.label() + ": no DRAM hits");
        assertTrue(tiered.reuse().blockHitRate() > hbmOnly.reuse().blockHitRate() + 0.05,
                path.label() + ": " + tiered.reuse().blockHitRate() + " with DRAM vs " + hbmOnly.reuse().blockHitRate());
        // Blocks a full HBM cannot take are written to DRAM as they are computed, so a DRAM tier that holds everything
        // reuses exactly what an HBM holding everything would.
        ReplayResult everything = Replay.run(trace, small(path).capacityTokensPerNode(100_000L * BLOCK_TOKENS).build());
        assertEquals(everything.reuse().blockHitRate(), tiered.reuse().blockHitRate(), 1e-12, path.label());
        TierUse dram = tiered.tiers().get(1);
        assertEquals(Tier.DRAM, dram.tier());
        assertTrue(dram.demotions() > 0 && dram.promotions() > 0, dram.toString());
        assertEquals(tiered.reuse().lowerTierHits(), dram.hits());
        assertTrue(tiered.traffic().hostLinkBytes() > 0);
        TinyAttentionModel reference = new TinyAttentionModel(BlockLayout.teaching(BLOCK_TOKENS, KvDtype.FP32), SEED);
        for (int i = 0; i < trace.requests().size(); i++) {
            assertEquals(KvPool.recomputedDigest(reference, trace.requests().get(i)), tiered.digests()[i],
                    "seed " + SEED + ", " + path.label() + ": request " + i + " decodes differently");
        }
    }

    @Test
    void whatDramEvictsGoesToSsdAndHitsThere() {
        ReplayResult result = Replay.run(chat(), small(ServingSetup.LOCAL_ONLY).dramTokensPerNode(8L * BLOCK_TOKENS)
                .ssdTokensPerNode(400L * BLOCK_TOKENS).build());
        List<TierUse> tiers = result.tiers();
        assertEquals(List.of(Tier.HBM, Tier.DRAM, Tier.SSD), tiers.stream().map(TierUse::tier).toList());
        assertTrue(tiers.get(2).demotions() > 0 && tiers.get(2).hits() > 0, tiers.get(2).toString());
        assertEquals(result.reuse().localHits(), tiers.get(0).hits());
        assertEquals(result.reuse().lowerTierHits(), tiers.get(1).hits() + tiers.get(2).hits());
    }

    @Test
    void anSsdTierWithoutDramTakesWhatHbmEvicts() {
        ReplayResult result = Replay.run(chat(), small(ServingSetup.LOCAL_ONLY).ssdTokensPerNode(400L * BLOCK_TOKENS).build());
        TierUse ssd = result.tiers().get(1);
        assertEquals(Tier.SSD, ssd.tier());
        assertTrue(ssd.demotions() > 0 && ssd.hits() > 0, ssd.toString());
    }

    @Test
    void aPoolReplayedTwiceCountsEachRunsOwnTierUse() {
        ReplayOptions options = small(ServingSetup.POOLED_UNIFIED).dramTokensPerNode(400L * BLOCK_TOKENS).payload(false)
                .build();
        try (KvPool pool = new KvPool(options)) {
            Replay.run(chat(), pool, done -> { });
            ReplayResult second = Replay.run(chat(), pool, done -> { });
            BlockReuseCheck.assertTiersAddUp(second);
        }
    }

    @Test
    void aPooledPathReadsOtherHostsDramOverItsPlane() {
        ReplayResult unified = Replay.run(chat(), small(ServingSetup.POOLED_UNIFIED).dramTokensPerNode(400L * BLOCK_TOKENS)
                .build());
        ReplayResult copy = Replay.run(chat(), small(ServingSetup.POOLED_COPY).dramTokensPerNode(400L * BLOCK_TOKENS)
                .build());
        assertTrue(unified.traffic().scaleUpBytes() > 0 && unified.traffic().scaleOutBytes() == 0, unified.traffic().toString());
        assertTrue(copy.traffic().scaleOutBytes() > 0 && copy.traffic().scaleUpBytes() == 0, copy.traffic().toString());
        ReplayResult local = Replay.run(chat(), small(ServingSetup.LOCAL_ONLY).dramTokensPerNode(400L * BLOCK_TOKENS)
                .build());
        assertEquals(0, local.traffic().fabricBytes(), "a local-only node reads only its own host");
        assertTrue(unified.reuse().blockHitRate() >= local.reuse().blockHitRate());
    }

    @Test
    void mediaCostWhatTheirFiguresSay() {
        long block = 64L << 20;
        TierCosts supernode = TierCosts.of(true);
        TierCosts servers = TierCosts.of(false);
        assertEquals(1_000 + Math.ceil(block / 80e9 * 1e9), supernode.localNanos(Tier.DRAM, block), 1);
        assertEquals(TierMedium.DRAM_OVER_PCIE, servers.hostDram());
        assertTrue(servers.localNanos(Tier.DRAM, block) > supernode.localNanos(Tier.DRAM, block));
        assertTrue(supernode.localNanos(Tier.SSD, block) > supernode.localNanos(Tier.DRAM, block));
        // A drive streams slower than the host link, so it sets the rate; its latency comes first.
        assertEquals(80_000 + Math.ceil(block / 13e9 * 1e9), supernode.localNanos(Tier.SSD, block), 1);
        assertEquals(0, supernode.localNanos(Tier.HBM, block));
        assertEquals(5_000, supernode.remoteNanos(Tier.DRAM, 1, 5_000));
        assertEquals(85_000, supernode.remoteNanos(Tier.SSD, 1, 5_000));
    }

    @Test
    void aNegativeTierCapacityIsAConfigError() {
        KvConfigException e = assertThrows(KvConfigException.class,
                () -> ReplayOptions.builder().dramTokensPerNode(-1).build());
        assertTrue(e.getMessage().contains("DRAM"), e.getMessage());
    }

    @Test
    void aTierlessPoolReportsHbmAlone() {
        ReplayResult result = Replay.run(chat(), small(ServingSetup.POOLED_UNIFIED).pair(FabricPair.NVLINK4_VS_IB)
                .payload(false).build());
        assertEquals(List.of(Tier.HBM), result.tiers().stream().map(TierUse::tier).toList());
        assertEquals(result.reuse().localHits() + result.reuse().remoteHits(), result.tiers().getFirst().hits());
    }

    /** A replay's tiers account for its own hits and no more. */
    private static final class BlockReuseCheck {
        static void assertTiersAddUp(ReplayResult r) {
            long tierHits = r.tiers().stream().mapToLong(TierUse::hits).sum();
            assertEquals(r.reuse().localHits() + r.reuse().remoteHits() + r.reuse().lowerTierHits(), tierHits);
            r.tiers().forEach(t -> assertTrue(t.hitRate(r.reuse().blocks()) <= 1, t.toString()));
        }
    }
}
