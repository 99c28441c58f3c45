package io.supernode.serving.cost;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.serving.profile.FeedForward;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

/**
 * What an engine step costs on one serving node: a model on a tensor-parallel group of {@code accelerators}
 * accelerators, each holding a share of every layer.
 *
 * <ul>
 *   <li><b>Compute.</b> Linear layers: 2 FLOPs per active weight per computed token (attention projections, the dense
 *       MLP or the shared and top-k experts), at the 8-bit peak for 8-bit weights and the BF16 peak otherwise; the
 *       output head on sampled tokens only. Attention: each token against its whole context (cached and new, causal
 *       in prefill), at the 8-bit peak for an 8-bit KV cache; latent attention runs absorbed in decode, and in
 *       prefill projects every cached prefix token up to keys and values.</li>
 *   <li><b>Memory.</b> Every weight the step touches is read once per step, shared by the batch (experts no token
 *       picked are not read), split over the group; every sequence's cached KV once, split only as far as its KV
 *       heads go (a latent is whole on every accelerator).</li>
 *   <li><b>Tensor parallelism.</b> Two all-reduces per layer of the step's activations (BF16) over the scale-up
 *       link, as a ring: 2 (g - 1) / g of the bytes each way, plus a latency each; not overlapped.</li>
 *   <li><b>Overhead.</b> A fixed cost per step.</li>
 * </ul>
 *
 * The step takes the larger of compute and memory time, then the all-reduces and the overhead ({@link StepTime}).
 * Calibrated on NVIDIA NIM's published measurements and checked against others held out: {@link Fidelity}.
 */
public final class StepCost {

    /** The engine's fixed cost per step (D: fitted with the utilizations to NIM's H100 figures, see Fidelity). */
    public static final long STEP_OVERHEAD_NANOS = 800_000;
    /** Latency of one all-reduce of a tensor-parallel group (A: a few microseconds per hop on NVLink). */
    public static final long ALL_REDUCE_LATENCY_NANOS = 10_000;
    /** Bytes per activation element the all-reduces carry (A: BF16 activations). */
    private static final double ACTIVATION_BYTES = 2;

    private final ModelProfile model;
    private final HardwareProfile hardware;
    private final int accelerators;
    private final long overheadNanos;

    /**
     * The cost model of {@code model} on {@code accelerators} of {@code hardware}, with the fitted step overhead.
     *
     * @throws ConfigFault when the group is not 1..1024 accelerators, or more than one and the hardware names no
     *                     scale-up link
     */
    public StepCost(ModelProfile model, HardwareProfile hardware, int accelerators) {
        this(model, hardware, accelerators, STEP_OVERHEAD_NANOS);
    }

    /** As {@link #StepCost(ModelProfile, HardwareProfile, int)} with {@code overheadNanos} per step. */
    public StepCost(ModelProfile model, HardwareProfile hardware, int accelerators, long overheadNanos) {
        if (model == null || hardware == null) {
            throw new ConfigFault("a step cost needs a model and hardware");
        }
        if (accelerators < 1 || accelerators > 1024) {
            throw new ConfigFault("a serving node has 1..1024 accelerators, got " + accelerators);
        }
        if (accelerators > 1 && hardware.scaleUpBytesPerSecond() <= 0) {
            throw new ConfigFault("hardware " + hardware.name() + " names no scale-up bandwidth (scaleUpGBps), which a "
                    + "node of " + accelerators + " accelerators needs for its all-reduces");
        }
        if (overheadNanos < 0) {
            throw new ConfigFault("step overhead must be >= 0 ns, got " + overheadNanos);
        }
        this.model = model;
        this.hardware = hardware;
        this.accelerators = accelerators;
        this.overheadNanos = overheadNanos;
    }

    /** The model. */
    public ModelProfile model() {
        return model;
    }

    /** The accelerator. */
    public HardwareProfile hardware() {
        return hardware;
    }

    /** Accelerators in the node's tensor-parallel group. */
    public int accelerators() {
        return accelerators;
    }

    /** The time of a step doing {@code load}. */
    public StepTime time(StepLoad load) {
        if (load.tokens() == 0) {
            return new StepTime(0, 0, 0, 0);
        }
        double linearPeak = hardware.peakFlops(model.weightBytes());
        double attentionPeak = hardware.peakFlops(model.kvBytes());
        double linearFlops = 2 * model.activeLayerParams() * load.tokens() + 2 * model.headParams() * load.sampledTokens();
        double attentionFlops = model.layers() * (model.attention().flopsPerContextToken(false) * load.prefillPairs()
                + model.attention().flopsPerContextToken(true) * load.decodePairs()
                + model.attention().prefixTokenFlops() * load.prefixTokens());
        double group = accelerators;
        double computeSeconds = (linearFlops / linearPeak + attentionFlops / attentionPeak) / (group * hardware.mfu());
        double weightBytes = weightsTouched(load.tokens()) * model.weightBytes();
        double kvBytes = (double) load.kvTokensRead() * model.kvBytesPerToken();
        // Weights are split over the group; the KV only as far as its heads go (a latent is whole on each).
        double bandwidth = hardware.hbmBytesPerSecond() * hardware.bandwidthUtilization();
        double memorySeconds = weightBytes / (group * bandwidth)
                + kvBytes / (model.attention().kvShards(accelerators) * bandwidth);
        double allReduceSeconds = 0;
        if (accelerators > 1) {
            double bytes = load.tokens() * (double) model.hidden() * ACTIVATION_BYTES;
            allReduceSeconds = 2.0 * model.layers() * (2.0 * (group - 1) / group * bytes / hardware.scaleUpBytesPerSecond()
                    + ALL_REDUCE_LATENCY_NANOS / 1e9);
        }
        return new StepTime(Math.round(computeSeconds * 1e9), Math.round(memorySeconds * 1e9),
                Math.round(allReduceSeconds * 1e9), overheadNanos);
    }

    /** The whole time of a step doing {@code load}. */
    public long nanos(StepLoad load) {
        return time(load).totalNanos();
    }

    /** One step prefilling a whole prompt of {@code newTokens} after a cached prefix of {@code cachedTokens}. */
    public long prefillNanos(long newTokens, long cachedTokens) {
        return nanos(StepLoad.prefill(newTokens, cachedTokens));
    }

    /** One decode step of {@code sequences} sequences, each holding {@code contextTokens}. */
    public long decodeStepNanos(int sequences, long contextTokens) {
        return nanos(StepLoad.decode(sequences, contextTokens));
    }

    /**
     * Weights a step of {@code tokens} tokens reads: all of a dense model's layers and the head; of a mixture of
     * experts, the shared experts and those some token picked (the expected number, each token picking top-k of the
     * routed experts at random).
     */
    private double weightsTouched(long tokens) {
        double layers = model.layers() * model.attentionParams() + model.denseLayers() * model.denseMlpParams()
                + model.headParams();
        if (model.feedForward() instanceof FeedForward.Experts e) {
            double picked = e.routed() * -Math.expm1(-(double) tokens * e.topK() / e.routed());
            layers += model.moeLayers() * (picked + e.shared()) * e.expertParams(model.hidden());
        }
        return layers;
    }
}
