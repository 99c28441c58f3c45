package io.supernode.embedding;

import io.supernode.gas.memory.ByteSize;

/**
 * What one path did over a run, per step where it says so.
 *
 * @param path               the path
 * @param cacheBytesPerNode  the coherent row cache of each node (cached path; otherwise 0)
 * @param steps              steps run
 * @param lookupsPerStep     row lookups per step (every id of every bag)
 * @param hostNanos          host time of the steps (lookups, pooling, messages, updates; row set-up excluded)
 * @param modeledStepNanos   modeled time of one step on the emulated machine (mean over steps)
 * @param idBytesPerStep     fabric bytes of ids sent to row owners
 * @param rowBytesPerStep    fabric bytes of rows loaded from other nodes (with a cache: coherence traffic)
 * @param pooledBytesPerStep fabric bytes of pooled vectors and partial sums sent back
 * @param updateBytesPerStep fabric bytes of gradients pushed to row owners (training)
 * @param messagesPerStep    messages (copy path; RDMA reads between stacked servers on the unified path) or
 *                           coherence protocol messages, node-local ones included (cached path)
 * @param cacheHitRate       row-cache hits over lookups (cached path; otherwise NaN)
 * @param imbalance          the slowest node's modeled time over the mean node's
 * @param outputDigest       a digest of every pooled output of every step, to compare paths
 */
public record EmbeddingResult(EmbeddingSetup path, long cacheBytesPerNode, int steps, long lookupsPerStep, long hostNanos, long modeledStepNanos,
                              long idBytesPerStep, long rowBytesPerStep, long pooledBytesPerStep, long updateBytesPerStep,
                              long messagesPerStep, double cacheHitRate, double imbalance, long outputDigest) {

    /** Fabric bytes per step, all kinds. */
    public long fabricBytesPerStep() {
        return idBytesPerStep + rowBytesPerStep + pooledBytesPerStep + updateBytesPerStep;
    }

    /** The path as tables and charts name it: with its cache size when it has a cache. */
    public String label() {
        return cacheBytesPerNode == 0 ? path.label() : path.label() + " (" + ByteSize.format(cacheBytesPerNode) + ")";
    }

    /** Row lookups per host second. */
    public double lookupsPerHostSecond() {
        return hostNanos == 0 ? 0 : lookupsPerStep * (double) steps * 1e9 / hostNanos;
    }
}
