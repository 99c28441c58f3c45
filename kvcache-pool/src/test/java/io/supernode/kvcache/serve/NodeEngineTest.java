package io.supernode.kvcache.serve;

import io.supernode.kvcache.model.ServingProfile;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine always makes progress: a prompt that does not fit never stops one already admitted. */
class NodeEngineTest {

    @Test
    void aPromptThatDoesNotFitWaitsWhileTheAdmittedOneFinishes() {
        long[] ttft = new long[2];
        long[] end = new long[2];
        LongArrayList gaps = new LongArrayList();
        NodeEngine engine = new NodeEngine(ServingProfile.LLAMA3_8B, 8192, 512, ttft, end, gaps, null);
        // Request 0 is still fetching its 4,096 reused tokens when request 1, queued behind it, is admitted; once
        // ready, request 0 does not fit beside request 1 and must wait for it, not stall it.
        engine.submit(0, 0, 5_000_000, 512, 4096, 16);
        engine.submit(1, 0, 0, 4096, 0, 16);
        assertTimeoutPreemptively(Duration.ofSeconds(10), engine::drain);
        assertTrue(ttft[1] > 0 && ttft[0] > end[1], "request 0 ran after request 1 freed its KV: " + ttft[0] + " vs "
                + end[1]);
        assertEquals(30, gaps.size(), "15 decode gaps each");
    }

    @Test
    void aPromptCachedWholeStillComputesItsLastToken() {
        long[] ttft = new long[1];
        NodeEngine engine = new NodeEngine(ServingProfile.LLAMA3_8B, 1 << 20, 8192, ttft, new long[1], new LongArrayList(), null);
        engine.submit(0, 0, 0, 0, 4096, 1);
        engine.drain();
        assertEquals(ServingProfile.LLAMA3_8B.prefillNanos(0, 4096), ttft[0]);
        assertEquals(ServingProfile.LLAMA3_8B.prefillNanos(1, 4095), ttft[0]);
    }

    @Test
    void aSequencePrefilledElsewhereDecodesFromWhenItsKvArrives() {
        long[] end = new long[1];
        LongArrayList gaps = new LongArrayList();
        NodeEngine engine = new NodeEngine(ServingProfile.LLAMA3_8B, 1 << 20, 8192, new long[1], end, gaps, null);
        engine.submitDecode(0, 0, 2_000_000, 4096, 4);
        engine.drain();
        long step = ServingProfile.LLAMA3_8B.cost().decodeStepNanos(1, 4097);
        assertEquals(3, gaps.size(), "the first token came with the prefill elsewhere");
        assertEquals(step, gaps.get(0), "an idle engine starts the sequence when its KV lands");
        assertEquals(2_000_000 + step + ServingProfile.LLAMA3_8B.cost().decodeStepNanos(1, 4098)
                + ServingProfile.LLAMA3_8B.cost().decodeStepNanos(1, 4099), end[0]);
    }

    @Test
    void decodeNodesAreChosenByWhatIsQueuedRunningAndStillOnItsWay() {
        NodeEngine[] engines = new NodeEngine[4];
        for (int n = 0; n < engines.length; n++) {
            engines[n] = new NodeEngine(ServingProfile.LLAMA3_8B, 1 << 20, 8192, new long[8], new long[8],
                    new LongArrayList(), null);
        }
        engines[2].submitDecode(0, 0, 0, 100, 10);
        assertEquals(3, Replay.leastBusyDecodeNode(engines, new int[] {0, 0, 0, 0}, 2));
        assertEquals(2, Replay.leastBusyDecodeNode(engines, new int[] {0, 0, 0, 2}, 2),
                "two prompts still prefilling for node 3 weigh more than one sequence on node 2");
    }
}
