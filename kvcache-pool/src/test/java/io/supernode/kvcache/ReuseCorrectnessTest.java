package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.serve.KvPool;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServeOutcome;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reused KV blocks give the model exactly what recomputing them would, on every path. */
class ReuseCorrectnessTest {

    private static final long SEED = 7;

    private static TraceLoad workload(int tokensPerBlock) {
        GeneratorOptions generator = new GeneratorOptions(SEED, 120, 3, 96, 1.0, 4, 40, 30, 20, 1, 600, tokensPerBlock);
        return SyntheticTraceGenerator.generate(generator);
    }

    private static ReplayOptions options(KvDtype dtype, ServingSetup path) {
        return ReplayOptions.builder().nodes(4).path(path).capacityTokensPerNode(40L * 16)
                .layout(BlockLayout.teaching(16, dtype)).seed(SEED).build();
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void everyPathDecodesBitForBitAsRecomputingTheWholePrefix(KvDtype dtype) {
        TraceLoad trace = workload(16);
        TinyAttentionModel reference = new TinyAttentionModel(BlockLayout.teaching(16, dtype), SEED);
        for (ServingSetup path : ServingSetup.values()) {
            ReplayResult result = Replay.run(trace, options(dtype, path));
            assertTrue(result.reuse().localHits() + result.reuse().remoteHits() > 100,
                    path + " must reuse blocks for this to show anything");
            for (int i = 0; i < trace.requests().size(); i++) {
                assertEquals(KvPool.recomputedDigest(reference, trace.requests().get(i)), result.digests()[i],
                        "seed " + SEED + ", " + dtype + ", " + path + ": request " + i + " decodes differently");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServingSetup.class, names = {"POOLED_UNIFIED", "POOLED_COPY"})
    void pooledPathsReadOtherNodesBlocksAndStoreOnHomeNodes(ServingSetup path) {
        TraceLoad trace = workload(16);
        ReplayResult result = Replay.run(trace, options(KvDtype.FP32, path).toBuilder()
                .placement(PlacementPolicy.HASH_SHARDED).replicateAfter(3).build());
        assertTrue(result.reuse().remoteHits() > 0);
        assertTrue(result.churn().replicas() > 0, "hot blocks are read remotely three times in this workload");
        assertTrue(result.traffic().payloadBytes() > 0);
        TinyAttentionModel reference = new TinyAttentionModel(BlockLayout.teaching(16, KvDtype.FP32), SEED);
        for (int i = 0; i < trace.requests().size(); i++) {
            assertEquals(KvPool.recomputedDigest(reference, trace.requests().get(i)), result.digests()[i],
                    path + " request " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServingSetup.class, names = {"POOLED_UNIFIED", "POOLED_COPY"})
    void aRemoteBlockDearerToFetchThanToRecomputeIsRecomputedAndCounted(ServingSetup path) {
        // An accelerator so fast that prefilling a block takes less than a microsecond: no fetch is worth it.
        ServingProfile instant = ServingProfile.of(ModelProfile.LLAMA3_1_8B, new HardwareProfile("instant", 1e20, 1e20,
                3e12, 80_000_000_000L, 0, 1, 1, "A: a test's"), 1);
        TraceLoad trace = workload(16);
        ReplayResult result = Replay.run(trace, options(KvDtype.FP32, path).toBuilder().profile(instant)
                .router(RouterPolicy.ROUND_ROBIN).build());
        assertTrue(result.reuse().costRejected() > 0, "blocks held elsewhere were offered and refused");
        assertEquals(0, result.reuse().remoteHits());
        assertEquals(0, result.traffic().fabricBytes());
        TinyAttentionModel reference = new TinyAttentionModel(BlockLayout.teaching(16, KvDtype.FP32), SEED);
        for (int i = 0; i < trace.requests().size(); i++) {
            assertEquals(KvPool.recomputedDigest(reference, trace.requests().get(i)), result.digests()[i]);
        }
    }

    @Test
    void aCorruptedCachedBlockChangesTheDecodeSoTheCheckCanFail() {
        TraceLoad trace = workload(16);
        ReplayOptions options = options(KvDtype.FP32, ServingSetup.POOLED_UNIFIED);
        TinyAttentionModel reference = new TinyAttentionModel(options.layout(), SEED);
        try (KvPool pool = new KvPool(options)) {
            Request first = trace.requests().getFirst();
            pool.serve(first, 0);
            // Flip the top mantissa bit of the first token's first V element where node 0 cached it.
            int slot = pool.index().cache(0).get(first.blockKeys()[0]).slot();
            long valueOffset = options.layout().keyOffset(0, 0, 0) + 4L * options.layout().headDim();
            MemorySegment block = pool.machine().node(0).view(pool.blockAddress(0, slot), options.layout().blockBytes());
            block.set(ValueLayout.JAVA_INT_UNALIGNED, valueOffset,
                    block.get(ValueLayout.JAVA_INT_UNALIGNED, valueOffset) ^ 0x0040_0000);
            ServeOutcome again = pool.serve(first, 0);
            assertTrue(again.localHits() > 0);
            assertNotEquals(KvPool.recomputedDigest(reference, first), again.digest());
        }
    }

    @Test
    void pathsThatAgreeAreComparedSideBySide() {
        List<ReplayResult> results = Replay.sideBySide(workload(16), options(KvDtype.BF16, ServingSetup.LOCAL_ONLY),
                List.of(ServingSetup.values()), done -> { });
        assertEquals(3, results.size());
        assertEquals(results.get(0).outputDigest(), results.get(2).outputDigest());
    }
}
