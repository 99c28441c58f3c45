package io.supernode.kvcache.serve;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.model.ServingProfile;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

import java.util.Arrays;

/**
 * Closed-loop load on one serving node under continuous batching, as client-side benchmarks (AIPerf, genai-perf)
 * measure engines: a fixed number of requests in flight, each finished one replaced at once by the next, every prompt
 * new (nothing cached). What published concurrency sweeps report, so the batching engine can be held against them.
 */
public final class ClosedLoop {

    /**
     * One run's figures, in modeled time.
     *
     * @param meanTtftNanos         mean time to first token of the requests after the first {@code concurrency}, which
     *                              all arrive at once and so queue more than the steady state does
     * @param meanTbtNanos          mean gap between two output tokens
     * @param outputTokensPerSecond output tokens of every request over the run's modeled duration
     */
    public record Result(double meanTtftNanos, double meanTbtNanos, double outputTokensPerSecond) {
    }

    private ClosedLoop() {
    }

    /**
     * Runs {@code requests} requests of {@code inputTokens} in and {@code outputTokens} out, {@code concurrency} at a
     * time, on one node serving {@code profile} with {@code tokenBudget} tokens a step and the KV its HBM holds.
     *
     * @throws KvConfigException when a count is out of range
     */
    public static Result run(ServingProfile profile, int tokenBudget, int concurrency, int inputTokens,
                             int outputTokens, int requests) {
        if (concurrency < 1 || requests <= concurrency || requests > 1_000_000 || inputTokens < 1 || outputTokens < 1
                || tokenBudget < 1 || tokenBudget > ReplayOptions.MAX_TOKEN_BUDGET) {
            throw new KvConfigException("a closed loop needs concurrency >= 1, more requests than that (at most "
                    + "1,000,000), tokens in and out >= 1 and a token budget of 1.." + ReplayOptions.MAX_TOKEN_BUDGET
                    + "; got " + concurrency + ", " + requests + ", " + inputTokens + ", " + outputTokens + ", "
                    + tokenBudget);
        }
        long[] ttft = new long[requests];
        LongArrayList gaps = new LongArrayList();
        int[] next = {concurrency};
        NodeEngine[] engine = new NodeEngine[1];
        NodeEngine.Events replace = new NodeEngine.Events() {
            @Override
            public void finished(int index, long nanos) {
                if (next[0] < requests) {
                    engine[0].submit(next[0]++, nanos, nanos, inputTokens, 0, outputTokens);
                }
            }
        };
        engine[0] = new NodeEngine(profile, profile.hbmKvTokens(), tokenBudget, ttft, new long[requests], gaps, replace);
        for (int i = 0; i < concurrency; i++) {
            engine[0].submit(i, 0, 0, inputTokens, 0, outputTokens);
        }
        engine[0].drain();
        double meanTtft = Arrays.stream(ttft, concurrency, requests).average().orElse(0);
        double meanGap = Arrays.stream(gaps.toArray()).average().orElse(0);
        return new Result(meanTtft, meanGap, (double) requests * outputTokens / (engine[0].clockNanos() / 1e9));
    }
}
