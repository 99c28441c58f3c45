package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;

/**
 * One serving step of an MoE model on a machine, all modeled: the step's time and throughput and where one MoE layer's
 * time goes. Per-layer phases are for the whole batch without overlap; {@link #moeLayerMicros} is the layer as run
 * (with two micro-batches overlapping communication and compute when asked).
 *
 * @param kind                 decode or prefill
 * @param ranks                expert-parallel ranks (each also runs attention on its own batch, data-parallel)
 * @param transport            the path dispatch and combine take
 * @param stepMicros           the whole step: every layer and the output head (for decode, the time per output token)
 * @param tokensPerSecondPerRank tokens a rank produces (decode) or takes in (prefill) per second
 * @param attentionMicros      one layer's attention
 * @param expertsMicros        one MoE layer's expert GEMMs (routed and shared) on a rank
 * @param dispatchMicros       one MoE layer's dispatch
 * @param combineMicros        one MoE layer's combine
 * @param moeLayerMicros       one MoE layer as run
 * @param denseLayerMicros     one dense layer
 * @param headMicros           the output head, once per step
 * @param weightBytesPerRank   weights a rank holds: its experts, and attention, dense layers and head replicated
 * @param kvBytesPerRank       KV cache a rank holds for its batch
 * @param fits                 whether weights and KV cache fit the rank's HBM
 */
public record StepResult(StepKind kind, int ranks, Transport transport, double stepMicros, double tokensPerSecondPerRank,
                         double attentionMicros, double expertsMicros, double dispatchMicros, double combineMicros,
                         double moeLayerMicros, double denseLayerMicros, double headMicros, double weightBytesPerRank,
                         double kvBytesPerRank, boolean fits) {

    /** A serving step's kind. */
    public enum StepKind {
        /** One token per sequence of the batch, low-latency dispatch and combine. */
        DECODE,
        /** A batch of prompt tokens, normal dispatch and combine. */
        PREFILL
    }
}
