package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Lengths;
import io.supernode.kvcache.trace.SharedPrefixOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import io.supernode.serving.cost.StepLoad;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous batching with chunked prefill: a lone request costs exactly its steps, chunking trades first-token time
 * for smoother tokens under load, and the KV capacity holds prompts back without losing any.
 */
class ContinuousBatchingTest {

    private static final long SEED = 5;

    private static ReplayOptions.Builder options(int tokenBudget) {
        return ReplayOptions.builder().path(ServingSetup.LOCAL_ONLY).payload(false).tokenBudget(tokenBudget).seed(SEED);
    }

    @Test
    void aLoneRequestTakesItsChunksThenOneDecodeStepPerToken() {
        TraceLoad one = SyntheticTraceGenerator.sharedPrefix(new SharedPrefixOptions(SEED, 1, 1, 0, 0,
                new Lengths.Fixed(4096), new Lengths.Fixed(5), 1, 512));
        ServingProfile profile = ServingProfile.LLAMA3_8B;
        ReplayResult result = Replay.run(one, options(1024).nodes(1).build());
        // Four chunks of 1,024, each attending to the chunks before it; the last one's end is the first token.
        long prefill = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            prefill += profile.cost().nanos(StepLoad.prefill(1024, 1024L * chunk, chunk == 3));
        }
        assertEquals(prefill, result.modeled().ttftQuantileNanos(1));
        long[] gaps = result.modeled().tbtNanos();
        assertEquals(4, gaps.length, "five output tokens: the first with the prompt, four decode steps");
        for (int i = 0; i < 4; i++) {
            assertEquals(profile.cost().nanos(StepLoad.decode(4096 + 1 + i)), gaps[i]);
        }
        long decode = 0;
        for (long gap : gaps) {
            decode += gap;
        }
        assertEquals(prefill + decode, result.modeled().meanEndToEndNanos());
    }

    @Test
    void smallerChunksSmoothTheTokensAndDelayTheFirstUnderLoad() {
        TraceLoad busy = SyntheticTraceGenerator.generate(new GeneratorOptions(SEED, 1200, 4, 2048, 1.2, 4, 400, 300, 40,
                1, 16_384, BlockLayout.MOONCAKE_TOKENS_PER_BLOCK));
        ReplayResult big = Replay.run(busy, options(8192).build());
        ReplayResult small = Replay.run(busy, options(512).build());
        // A big chunk stalls every decode sharing its step (Sarathi-Serve's prefill-decode interference).
        assertTrue(small.modeled().tbtQuantileNanos(0.99) < big.modeled().tbtQuantileNanos(0.99) / 2,
                small.modeled().tbtQuantileNanos(0.99) + " vs " + big.modeled().tbtQuantileNanos(0.99));
        assertTrue(small.modeled().ttftQuantileNanos(0.5) > big.modeled().ttftQuantileNanos(0.5));
        long outputs = busy.requests().stream().mapToLong(r -> Math.max(1, r.outputTokens()) - 1).sum();
        assertEquals(outputs, big.modeled().tbtNanos().length, "one gap per output token after the first");
        // SLO attainment reads the same distributions: half the requests within the median, all within the worst.
        long median = small.modeled().ttftQuantileNanos(0.5);
        assertTrue(small.modeled().ttftAttainment(median) >= 0.5 && small.modeled().ttftAttainment(median - 1) < 0.5);
        assertEquals(1.0, small.modeled().tbtAttainment(small.modeled().tbtQuantileNanos(1)));
        assertEquals(0.0, small.modeled().tbtAttainment(0));
    }

    @Test
    void theKvAnEngineAdmitsIsWhatHbmHoldsBesideTheWeights() {
        // Llama 3.1 8B on one H100: 90 % of 80 GB less 16.1 GB of weights, at 128 KiB a token.
        assertEquals(426_800, ServingProfile.LLAMA3_8B.hbmKvTokens(), 500);
    }

    @Test
    void aSmallKvCapacityHoldsPromptsBackAndLosesNone() {
        TraceLoad burst = SyntheticTraceGenerator.sharedPrefix(new SharedPrefixOptions(SEED, 64, 4, 0, 0.5,
                new Lengths.Fixed(4096), new Lengths.Fixed(64), SharedPrefixOptions.SATURATE, 512));
        ReplayResult roomy = Replay.run(burst, options(8192).nodes(2).build());
        // The same accelerator with 20 GB: room for about 15k tokens of KV beside the weights, three prompts at once.
        HardwareProfile small = new HardwareProfile("h100-20gb", 989e12, 1979e12, 3.35e12, 20_000_000_000L, 450e9,
                HardwareProfile.FITTED_MFU, HardwareProfile.FITTED_BANDWIDTH_UTILIZATION, "A: a test's");
        ServingProfile tightProfile = ServingProfile.of(ModelProfile.LLAMA3_1_8B, small, 1);
        assertEquals(14_800, tightProfile.hbmKvTokens(), 200);
        ReplayResult tight = Replay.run(burst, options(8192).nodes(2).profile(tightProfile).build());
        assertTrue(tight.modeled().ttftQuantileNanos(0.5) > roomy.modeled().ttftQuantileNanos(0.5));
        for (long ttft : tight.modeled().ttftNanos()) {
            assertTrue(ttft > 0, "every request got its first token");
        }
        assertEquals(64L * 63, tight.modeled().tbtNanos().length);
    }
}
