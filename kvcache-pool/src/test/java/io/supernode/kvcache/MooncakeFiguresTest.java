package io.supernode.kvcache;

import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.MooncakeTraceReader;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replayer against the figures published with the Mooncake conversation trace the repository ships. */
class MooncakeFiguresTest {

    private static TraceLoad trace;

    @BeforeAll
    static void readTrace() {
        trace = new MooncakeTraceReader(false, null, 0).read(Traces.conversation());
    }

    @Test
    void theTraceHasItsPublishedShape() {
        assertEquals(12_031, trace.requests().size());
        assertEquals(288_500, trace.blocks());
    }

    @Test
    void oneLruOfThreeMillionTokensHitsAboutThirteenAndAHalfPercentOfBlocks() {
        ReplayOptions one = ReplayOptions.builder().nodes(1).path(ServingSetup.LOCAL_ONLY)
                .capacityTokensPerNode(5_859L * 512).payload(false).build();
        ReplayResult result = Replay.run(trace, one);
        assertEquals(0.135, result.reuse().blockHitRate(), 0.005, "block hit rate " + result.reuse().blockHitRate());
    }

    @Test
    void anInfiniteCacheHitsThirtySixPointSixPercentOfBlocks() {
        ReplayOptions ideal = ReplayOptions.builder().nodes(1).path(ServingSetup.LOCAL_ONLY)
                .capacityTokensPerNode(1L << 40).payload(false).build();
        ReplayResult result = Replay.run(trace, ideal);
        assertEquals(0.366, result.reuse().blockHitRate(), 0.001, "block hit rate " + result.reuse().blockHitRate());
    }

    @Test
    void theThreePathsDecodeTheWholeTraceIdenticallyOnEightNodes() {
        List<ReplayResult> results = Replay.sideBySide(trace, ReplayOptions.defaults(), List.of(ServingSetup.values()),
                done -> { });
        ReplayResult local = results.get(0);
        for (ReplayResult pooled : results.subList(1, 3)) {
            assertEquals(-1, pooled.firstDifference(local), pooled.options().path() + " decodes differently");
            assertTrue(pooled.reuse().blockHitRate() > local.reuse().blockHitRate(),
                    pooled.options().path() + " pools every node's blocks, so it must reuse more than local-only");
            assertTrue(pooled.reuse().remoteHits() > 0);
        }
        assertEquals(0, local.reuse().remoteHits());
        assertEquals(0, results.get(1).traffic().messages(), "load/store sends no messages");
        assertEquals(2 * results.get(2).reuse().remoteHits(), results.get(2).traffic().messages(),
                "each fetch is a request and a reply");
    }
}
