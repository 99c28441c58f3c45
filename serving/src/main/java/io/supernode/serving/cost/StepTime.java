package io.supernode.serving.cost;

/**
 * A step's modeled time and what it consists of. The step takes the larger of its compute and its memory traffic
 * (a roofline: the kernels overlap both), then its tensor-parallel all-reduces and the engine's fixed overhead.
 *
 * @param computeNanos   FLOPs at the reachable share of peak
 * @param memoryNanos    weights and KV read at the reachable share of HBM bandwidth
 * @param allReduceNanos the tensor-parallel group's all-reduces over the scale-up link (0 on one accelerator)
 * @param overheadNanos  the engine's fixed cost per step (scheduling, launches, sampling)
 */
public record StepTime(long computeNanos, long memoryNanos, long allReduceNanos, long overheadNanos) {

    /** The whole step. */
    public long totalNanos() {
        return Math.max(computeNanos, memoryNanos) + allReduceNanos + overheadNanos;
    }

    /** Whether compute, not memory, binds the step. */
    public boolean computeBound() {
        return computeNanos >= memoryNanos;
    }
}
