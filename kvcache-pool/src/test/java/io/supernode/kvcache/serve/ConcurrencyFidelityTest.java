package io.supernode.kvcache.serve;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.model.ServingProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batching engine against NIM's concurrency sweep, which it was not fitted to (only the concurrency-1 row
 * calibrated the step cost). Bounds sit just outside what the model gives, so a change to batching, chunking or KV
 * admission that moves it away from the measurements fails here.
 */
class ConcurrencyFidelityTest {

    @Test
    void gapsBetweenTokensAndThroughputFollowTheSweepAndFirstTokensQueueAsMeasured() {
        List<ConcurrencyFidelity.Point> points = ConcurrencyFidelity.points();
        assertEquals(5, points.size());
        for (ConcurrencyFidelity.Point p : points) {
            assertTrue(Math.abs(p.itlErrorPercent()) < 10, "ITL at concurrency " + p.concurrency() + ": " + p);
            assertTrue(Math.abs(p.throughputErrorPercent()) < 15, "throughput at concurrency " + p.concurrency() + ": " + p);
            if (p.concurrency() <= 50) {
                assertTrue(Math.abs(p.ttftErrorPercent()) < 25, "TTFT at concurrency " + p.concurrency() + ": " + p);
            }
        }
        // At 100 in flight 100 x 5,500 tokens of KV exceed what two H100s hold beside the weights: prompts wait for
        // whole requests to end, and TTFT jumps an order of magnitude, as measured (8.0 s against 0.83 s at 50).
        ConcurrencyFidelity.Point fifty = points.get(3);
        ConcurrencyFidelity.Point hundred = points.get(4);
        assertTrue(hundred.modeledTtftMillis() > 5 * fifty.modeledTtftMillis(), hundred + " after " + fifty);
        assertTrue(Math.abs(hundred.ttftErrorPercent()) < 60, hundred.toString());
    }

    @Test
    void aClosedLoopKeepsItsConcurrencyAndRefusesBadCounts() {
        ClosedLoop.Result one = ClosedLoop.run(ServingProfile.LLAMA3_8B, 8192, 1, 1000, 10, 5);
        // One request at a time: every first token is a lone prefill, every gap a lone decode step.
        assertEquals(ServingProfile.LLAMA3_8B.prefillNanos(1000), one.meanTtftNanos(), 1);
        assertTrue(one.meanTbtNanos() >= ServingProfile.LLAMA3_8B.decodeTokenNanos(1001));
        assertThrows(KvConfigException.class, () -> ClosedLoop.run(ServingProfile.LLAMA3_8B, 8192, 4, 1000, 10, 4));
        assertThrows(KvConfigException.class, () -> ClosedLoop.run(ServingProfile.LLAMA3_8B, 0, 1, 1000, 10, 5));
    }
}
