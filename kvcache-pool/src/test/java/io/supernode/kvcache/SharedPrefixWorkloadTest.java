package io.supernode.kvcache;

import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.BlockTokens;
import io.supernode.kvcache.trace.Lengths;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SharedPrefixOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared-prefix workload has the reuse it is asked for, and reuse saves less time than its share of tokens. */
class SharedPrefixWorkloadTest {

    private static final long SEED = 11;

    private static TraceLoad workload(double reuse, double rate) {
        return SyntheticTraceGenerator.sharedPrefix(new SharedPrefixOptions(SEED, 400, 2, 0, reuse, new Lengths.Fixed(8192),
                new Lengths.Fixed(128), rate, 512));
    }

    @Test
    void everyPromptOpensWithItsPrefixForTheAskedShare() {
        TraceLoad load = workload(0.75, 2);
        int[] first = tokens(load.requests().getFirst());
        int sameAsFirst = 0;
        for (Request r : load.requests()) {
            assertEquals(8192, r.inputTokens());
            int[] tokens = tokens(r);
            if (Arrays.equals(first, 0, 6144, tokens, 0, 6144)) {
                sameAsFirst++;
                assertTrue(!Arrays.equals(first, 6144, 8192, tokens, 6144, 8192) || r == load.requests().getFirst(),
                        "the rest of each prompt is its own");
            }
        }
        // Two prefixes of equal popularity: about half the prompts open with the first one's 6,144 tokens.
        assertTrue(sameAsFirst > 150 && sameAsFirst < 250, sameAsFirst + " of 400");
        TraceLoad again = workload(0.75, 2);
        for (int i = 0; i < load.requests().size(); i++) {
            assertTrue(Arrays.equals(load.requests().get(i).blockKeys(), again.requests().get(i).blockKeys())
                    && load.requests().get(i).arrivalNanos() == again.requests().get(i).arrivalNanos(),
                    "the same seed gives the same requests, seed " + SEED);
        }
    }

    private static int[] tokens(Request request) {
        return ((BlockTokens.Explicit) request.tokens()).ids();
    }

    @Test
    void aSaturationRunSendsEveryRequestAtOnce() {
        assertTrue(workload(0.5, SharedPrefixOptions.SATURATE).requests().stream().allMatch(r -> r.arrivalNanos() == 0));
        assertTrue(workload(0.5, 2).requests().getLast().arrivalNanos() > 0);
    }

    @Test
    void reuseSavesItsShareOfPrefillTokensButLessThanItsShareOfTime() {
        ReplayOptions options = ReplayOptions.builder().path(ServingSetup.POOLED_UNIFIED).payload(false).build();
        long none = Replay.run(workload(0, 0.5), options).modeled().ttftQuantileNanos(0.5);
        for (double reuse : new double[] {0.5, 0.75, 0.9}) {
            ReplayResult result = Replay.run(workload(reuse, 0.5), options);
            // Block-aligned: 0.75 x 8192 = 12 whole blocks of 512; the first request on each prefix computes it.
            assertEquals(Math.floor(reuse * 16) / 16, result.reuse().tokenHitRate(), 0.02, "reuse " + reuse);
            double gain = (double) none / result.modeled().ttftQuantileNanos(0.5);
            // The new tokens attend to the cached prefix and every step pays its fixed costs: less than 1 / (1 - r).
            assertTrue(gain > 1 && gain < 1 / (1 - Math.floor(reuse * 16) / 16), "reuse " + reuse + ": gain " + gain);
        }
    }

    @Test
    void lengthsParseInThreeFormsAndBadOnesAreTypedFaults() {
        assertEquals(new Lengths.Fixed(8192), Lengths.parse("8192"));
        assertEquals(4096, assertInstanceOf(Lengths.Exponential.class, Lengths.parse("exp:4096")).meanTokens());
        assertEquals(new Lengths.Uniform(1024, 16384), Lengths.parse(" 1024-16384 "));
        assertThrows(KvConfigException.class, () -> Lengths.parse("lots"));
        assertThrows(KvConfigException.class, () -> Lengths.parse("0"));
        assertThrows(KvConfigException.class, () -> Lengths.parse("9-3"));
        assertThrows(KvConfigException.class, () -> new SharedPrefixOptions(SEED, 10, 1, 0, 1.5, new Lengths.Fixed(8),
                new Lengths.Fixed(8), 1, 16));
        assertThrows(KvConfigException.class, () -> new SharedPrefixOptions(SEED, 1_000_000, 1, 0, 0.5,
                new Lengths.Fixed(1 << 20), new Lengths.Fixed(8), 1, 16));
    }
}
