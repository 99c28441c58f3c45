package io.supernode.kvcache.serve;

import io.supernode.kvcache.model.ServingProfile;
import io.supernode.serving.cost.Fidelity;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The batching engine held against a published concurrency sweep it was not fitted to: NVIDIA NIM's Llama 3.3 70B in
 * FP8 on two H100s, 5,000 tokens in and 500 out, 1 to 100 requests in flight. The step cost was calibrated on the
 * sweep's concurrency-1 row alone (prefill and decode, {@link Fidelity}); every other row tests what batching,
 * chunked prefill and KV admission add: gaps between tokens growing with the batch, first tokens queueing behind
 * other prompts' chunks, and at 100 in flight the KV no longer fitting, so prompts wait for whole requests to end.
 */
public final class ConcurrencyFidelity {

    /** Where the published figures come from. */
    public static final String SOURCE = "C: NVIDIA NIM for LLMs 1.8.0 benchmarks, docs.nvidia.com/nim/benchmarking/llm "
            + "(Llama 3.3 70B Instruct, FP8, 2 x H100 80G TP2, 5,000 input / 500 output tokens)";
    /** Tokens per engine step: the replay's default (A: TensorRT-LLM's default max_num_tokens too). */
    public static final int TOKEN_BUDGET = ReplayOptions.DEFAULT_TOKEN_BUDGET;
    /** Prompt tokens of every request. */
    public static final int INPUT_TOKENS = 5_000;
    /** Output tokens of every request. */
    public static final int OUTPUT_TOKENS = 500;

    /** Concurrency, TTFT (ms), ITL (ms) and output throughput (tokens/s), as published. */
    private static final double[][] PUBLISHED = {
            {1, 406.77, 18.58, 51.67},
            {5, 546.7, 21.83, 218.48},
            {25, 688.69, 38.75, 623.4},
            {50, 834.51, 59.73, 814.37},
            {100, 7996.25, 92.91, 917.26}};

    /**
     * One row: the published figures and the model's, TTFT with NIM's client overhead added as for the calibration.
     *
     * @param concurrency            requests in flight
     * @param publishedTtftMillis    published mean time to first token
     * @param modeledTtftMillis      the model's
     * @param publishedItlMillis     published mean gap between tokens
     * @param modeledItlMillis       the model's
     * @param publishedTokensPerSecond published output tokens per second
     * @param modeledTokensPerSecond the model's
     */
    public record Point(int concurrency, double publishedTtftMillis, double modeledTtftMillis,
                        double publishedItlMillis, double modeledItlMillis, double publishedTokensPerSecond,
                        double modeledTokensPerSecond) {

        /** The model's TTFT error, in percent. */
        public double ttftErrorPercent() {
            return (modeledTtftMillis / publishedTtftMillis - 1) * 100;
        }

        /** The model's gap-between-tokens error, in percent. */
        public double itlErrorPercent() {
            return (modeledItlMillis / publishedItlMillis - 1) * 100;
        }

        /** The model's throughput error, in percent. */
        public double throughputErrorPercent() {
            return (modeledTokensPerSecond / publishedTokensPerSecond - 1) * 100;
        }
    }

    private ConcurrencyFidelity() {
    }

    /** Every row, lowest concurrency first, each a closed loop of six times its concurrency in requests (at least 30). */
    public static List<Point> points() {
        ServingProfile served = ServingProfile.of(ModelProfile.LLAMA3_1_70B.servedWith(1, 1), HardwareProfile.H100, 2);
        List<Point> points = new ArrayList<>();
        for (double[] row : PUBLISHED) {
            int concurrency = (int) row[0];
            ClosedLoop.Result modeled = ClosedLoop.run(served, TOKEN_BUDGET, concurrency, INPUT_TOKENS, OUTPUT_TOKENS,
                    Math.max(6 * concurrency, 30));
            points.add(new Point(concurrency, row[1], (modeled.meanTtftNanos() + Fidelity.CLIENT_OVERHEAD_NANOS) / 1e6,
                    row[2], modeled.meanTbtNanos() / 1e6, row[3], modeled.outputTokensPerSecond()));
        }
        return points;
    }
}
