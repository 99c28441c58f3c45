package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.serve.KvPool;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prefill on some nodes, decode on others: the KV moves between them for real and its time shows in TTFT. */
class DisaggregationTest {

    private static final long SEED = 5;

    private static TraceLoad chat(int requests) {
        return SyntheticTraceGenerator.generate(
                new GeneratorOptions(SEED, requests, 3, 64, 1.0, 3, 40, 30, 20, 1, 600, 16));
    }

    private static ReplayOptions.Builder options(ServingSetup path, int nodes) {
        return ReplayOptions.builder().nodes(nodes).path(path).tokenBudget(8192)
                .layout(BlockLayout.teaching(16, KvDtype.FP32)).seed(SEED);
    }

    @ParameterizedTest
    @EnumSource(ServingSetup.class)
    void aLoneRequestsFirstTokenWaitsForItsKvAndItsDecodeStepsAreUnchanged(ServingSetup path) {
        TraceLoad all = chat(1);
        TraceLoad one = new TraceLoad("one", List.of(all.requests().getFirst()), 0, List.of());
        ReplayResult together = Replay.run(one, options(path, 2).build());
        ReplayResult apart = Replay.run(one, options(path, 2).prefillNodes(1).build());
        long transfer = apart.modeled().kvTransferQuantileNanos(1.0);
        assertTrue(transfer > 0);
        assertEquals(together.modeled().ttftQuantileNanos(1.0) + transfer, apart.modeled().ttftQuantileNanos(1.0),
                path.label());
        // An idle decode node takes the sequence at once, so each later token costs the same step as at home.
        assertArrayEquals(together.modeled().tbtNanos(), apart.modeled().tbtNanos(), path.label());
        assertEquals(0, together.modeled().kvTransferNanos().length);
    }

    @Test
    void everyPathDeliversTheKvIntactAndTheCopyPathTakesLonger() {
        TraceLoad trace = chat(120);
        TinyAttentionModel reference = new TinyAttentionModel(BlockLayout.teaching(16, KvDtype.FP32), SEED);
        ReplayResult unified = null;
        ReplayResult copy = null;
        for (ServingSetup path : ServingSetup.values()) {
            // KvPool checks that each decode node attends over the bytes it received as the prefill node did.
            ReplayResult result = Replay.run(trace, options(path, 4).prefillNodes(2).build());
            for (int i = 0; i < trace.requests().size(); i++) {
                assertEquals(KvPool.recomputedDigest(reference, trace.requests().get(i)), result.digests()[i],
                        "seed " + SEED + ", " + path.label() + ": request " + i);
            }
            assertEquals(trace.requests().stream().filter(r -> r.outputTokens() > 1).count(),
                    result.modeled().kvTransferNanos().length, "every request that decodes moves its KV");
            unified = path == ServingSetup.POOLED_UNIFIED ? result : unified;
            copy = path == ServingSetup.POOLED_COPY ? result : copy;
        }
        assertTrue(copy.modeled().kvTransferQuantileNanos(0.5) > unified.modeled().kvTransferQuantileNanos(0.5));
        assertTrue(copy.traffic().scaleOutBytes() > 0 && unified.traffic().scaleOutBytes() == 0);
        assertTrue(copy.traffic().payloadBytes() > 0);
    }

    @Test
    void aRequestDoneAtItsFirstTokenMovesNoKv() {
        List<Request> once = chat(40).requests().stream().map(r -> new Request(r.id(), r.arrivalNanos(), r.inputTokens(),
                1, r.blockKeys(), r.tokens())).toList();
        TraceLoad trace = new TraceLoad("one token each", once, 0, List.of());
        ReplayResult apart = Replay.run(trace, options(ServingSetup.POOLED_UNIFIED, 4).prefillNodes(2).build());
        // The two prefill nodes serve as two colocated nodes would: the same blocks move, the same first tokens.
        ReplayResult two = Replay.run(trace, options(ServingSetup.POOLED_UNIFIED, 2).build());
        assertEquals(0, apart.modeled().kvTransferNanos().length);
        assertEquals(two.traffic().payloadBytes(), apart.traffic().payloadBytes(), "no block went to a decode node");
        assertArrayEquals(two.modeled().ttftNanos(), apart.modeled().ttftNanos());
    }

    @Test
    void disaggregationNeedsDecodeNodesAndATokenBudget() {
        KvConfigException all = assertThrows(KvConfigException.class,
                () -> options(ServingSetup.LOCAL_ONLY, 4).prefillNodes(4).build());
        assertTrue(all.getMessage().contains("1..3"), all.getMessage());
        KvConfigException budget = assertThrows(KvConfigException.class,
                () -> options(ServingSetup.LOCAL_ONLY, 4).tokenBudget(0).prefillNodes(2).build());
        assertTrue(budget.getMessage().contains("token budget"), budget.getMessage());
    }
}
