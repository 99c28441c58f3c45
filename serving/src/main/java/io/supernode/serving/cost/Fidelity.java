package io.supernode.serving.cost;

import io.supernode.serving.profile.Attention;
import io.supernode.serving.profile.FeedForward;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link StepCost} beside published measurements of single requests. The calibration points are the only ones the
 * fitted constants ({@link HardwareProfile#FITTED_MFU}, {@link HardwareProfile#FITTED_BANDWIDTH_UTILIZATION},
 * {@link StepCost#STEP_OVERHEAD_NANOS}, {@link #CLIENT_OVERHEAD_NANOS}) were fitted to; the held-out points were kept
 * aside to test the model.
 */
public final class Fidelity {

    /**
     * What NIM's client-side time to first token adds to the engine's step: HTTP, tokenization and queueing (D: fitted
     * with the other constants). Measurements taken inside the engine (Splitwise) do not include it.
     */
    public static final long CLIENT_OVERHEAD_NANOS = 3_000_000;

    private static final String NIM = "C: NVIDIA NIM for LLMs 1.8.0 benchmarks, docs.nvidia.com/nim/benchmarking/llm "
            + "(performance tables; concurrency 1, FP8 weights and KV)";
    private static final String SPLITWISE = "M: Patel et al., Splitwise (ISCA 2024), profiling data "
            + "github.com/Mutinifni/splitwise-sim data/perf_model.csv (batch 1, FP16; median of 5 rows)";
    private static final String GH200_NVL32 = "C: NVIDIA technical blog, Low Latency Inference Chapter 2 (GH200 NVL32 "
            + "with NVLink Switch, TensorRT-LLM): Llama 3.1 70B, 472 ms to first token at 32,768 input tokens";
    private static final String MINFERENCE = "M: Jiang et al., MInference 1.0 (NeurIPS 2024), github.com/microsoft/MInference "
            + "experiments/README.md, end-to-end benchmark, FlashAttention-2 column: one prefill forward pass of "
            + "Llama-3-8B-Instruct-Gradient-1048k, bf16, Hugging Face Transformers, one A100 80 GB, mean of 10";
    /** Llama 2 70B: Llama 3.1 70B's shape with a 32,000-token vocabulary (C: Llama 2 paper and config.json). */
    static final ModelProfile LLAMA2_70B = new ModelProfile("llama2-70b", 80, 8192, 32_000,
            new Attention.GroupedQuery(64, 8, 128), new FeedForward.Dense(28_672), 2, 2,
            "C: Touvron et al., Llama 2 (arXiv 2307.09288) and config.json; FP16");

    private Fidelity() {
    }

    /** Whether the model was fitted to a point or tested on it. */
    public enum Role {
        /** The constants were fitted to it. */
        CALIBRATION,
        /** Kept aside to test the model. */
        HELD_OUT
    }

    /**
     * One published figure and the model's.
     *
     * @param what            model, hardware, group and request
     * @param role            calibration or held out
     * @param publishedMillis the published measurement
     * @param modeledMillis   the model's figure
     * @param source          where the measurement comes from
     */
    public record Point(String what, Role role, double publishedMillis, double modeledMillis, String source) {

        /** The model's error against the measurement, in percent. */
        public double errorPercent() {
            return (modeledMillis / publishedMillis - 1) * 100;
        }
    }

    /** Every point, calibration first. */
    public static List<Point> points() {
        List<Point> points = new ArrayList<>();
        ModelProfile llama8 = ModelProfile.LLAMA3_1_8B.servedWith(1, 1);
        ModelProfile llama70 = ModelProfile.LLAMA3_1_70B.servedWith(1, 1);
        StepCost nim8 = new StepCost(llama8, HardwareProfile.H100, 1);
        StepCost nim70 = new StepCost(llama70, HardwareProfile.H100, 2);
        double[][] ttft8 = {{1000, 19.03}, {5000, 77.45}, {20000, 403.2}, {200, 10.26}, {500, 13.84}};
        double[][] ttft70 = {{1000, 82.46}, {5000, 406.77}, {20000, 1833.01}, {200, 31.22}, {500, 47.77}};
        nimPrefill(points, "Llama 3.1 8B FP8, 1 H100", nim8, ttft8);
        nimPrefill(points, "Llama 3.3 70B FP8, 2 H100 TP2", nim70, ttft70);
        // Time per output token at concurrency 1; the context is taken as the prompt (A: the output's growth is small).
        points.add(decode("Llama 3.1 8B FP8, 1 H100, decode at 1k", Role.CALIBRATION, nim8, 1000, 4.53, NIM));
        points.add(decode("Llama 3.1 8B FP8, 1 H100, decode at 20k", Role.CALIBRATION, nim8, 20000, 5.06, NIM));
        points.add(decode("Llama 3.3 70B FP8, 2 H100 TP2, decode at 5k", Role.CALIBRATION, nim70, 5000, 18.58, NIM));
        points.add(decode("Llama 3.3 70B FP8, 2 H100 TP2, decode at 20k", Role.CALIBRATION, nim70, 20000, 19.58, NIM));
        double[][] splitwiseH100 = {{1024, 158.0}, {2048, 310.3}, {4096, 642.7}, {8192, 1339.8}};
        double[][] splitwiseA100 = {{1024, 377.1}, {2048, 688.1}, {4096, 1485.3}, {8192, 2990.2}};
        StepCost h100 = new StepCost(LLAMA2_70B, HardwareProfile.H100, 2);
        StepCost a100 = new StepCost(LLAMA2_70B, HardwareProfile.A100, 2);
        for (double[] p : splitwiseH100) {
            points.add(new Point(String.format("Llama 2 70B FP16, 2 H100 TP2, prefill %,d", (long) p[0]), Role.HELD_OUT,
                    p[1], h100.prefillNanos((long) p[0], 0) / 1e6, SPLITWISE));
        }
        points.add(new Point("Llama 2 70B FP16, 8 H100 TP8, prefill 8,192", Role.HELD_OUT, 844.9,
                new StepCost(LLAMA2_70B, HardwareProfile.H100, 8).prefillNanos(8192, 0) / 1e6, SPLITWISE));
        points.add(decode("Llama 2 70B FP16, 2 H100 TP2, decode at 1k", Role.HELD_OUT, h100, 1024, 37.39, SPLITWISE));
        for (double[] p : splitwiseA100) {
            points.add(new Point(String.format("Llama 2 70B FP16, 2 A100 TP2, prefill %,d", (long) p[0]), Role.HELD_OUT,
                    p[1], a100.prefillNanos((long) p[0], 0) / 1e6, SPLITWISE));
        }
        points.add(decode("Llama 2 70B FP16, 2 A100 TP2, decode at 1k", Role.HELD_OUT, a100, 1024, 54.77, SPLITWISE));
        // The only 32k-token prefill found published: 32 GH200s, whose GPU is an H100's compute with more HBM. The post
        // names neither precision nor parallelism: FP8 and tensor parallelism over all 32 are assumed (A).
        points.add(new Point("Llama 3.1 70B FP8 (A), 32 GH200 TP32 (A), prefill 32,768", Role.HELD_OUT, 472,
                new StepCost(llama70, HardwareProfile.H100, 32).prefillNanos(32_768, 0) / 1e6, GH200_NVL32));
        // Long prompts, where attention over the context grows to most of the work (from about 60,000 tokens): an 8B
        // model of Llama 3's shape on one A100. Left out: 1K, the first length measured with no warm-up pass before it
        // (1K and 10K differ by only 0.43 s), and 1M, run with the KV cache offloaded to the host.
        StepCost a100Bf16 = new StepCost(ModelProfile.LLAMA3_1_8B.servedWith(2, 2), HardwareProfile.A100, 1);
        double[][] minference = {{10_000, 975.90}, {50_000, 8_529.33}, {100_000, 24_883.19}, {200_000, 79_391.84},
            {300_000, 169_624.41}, {500_000, 456_783.53}};
        for (double[] p : minference) {
            points.add(new Point(String.format(Locale.ROOT, "Llama 3 8B BF16, 1 A100, prefill %,d (Transformers)",
                    (long) p[0]),
                    Role.HELD_OUT, p[1], a100Bf16.prefillNanos((long) p[0], 0) / 1e6, MINFERENCE));
        }
        points.sort((a, b) -> a.role().compareTo(b.role()));
        return points;
    }

    /** NIM's first three prompt lengths calibrate; the short ones, where overheads dominate, are held out. */
    private static void nimPrefill(List<Point> points, String what, StepCost cost, double[][] ttft) {
        for (int i = 0; i < ttft.length; i++) {
            long tokens = (long) ttft[i][0];
            double modeled = (cost.prefillNanos(tokens, 0) + CLIENT_OVERHEAD_NANOS) / 1e6;
            points.add(new Point(String.format("%s, time to first token %,d", what, tokens),
                    i < 3 ? Role.CALIBRATION : Role.HELD_OUT, ttft[i][1], modeled, NIM));
        }
    }

    private static Point decode(String what, Role role, StepCost cost, long context, double publishedMillis,
                                String source) {
        return new Point(what, role, publishedMillis, cost.decodeStepNanos(1, context) / 1e6, source);
    }
}
