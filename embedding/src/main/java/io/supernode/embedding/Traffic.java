package io.supernode.embedding;

/** What a run moved, added up over its steps: the figures an {@link EmbeddingResult} reports per step. */
final class Traffic {

    /** Fabric bytes of ids sent to row owners, headers included. */
    long idBytes;
    /** Fabric bytes of rows read from other nodes (with a cache: its coherence traffic). */
    long rowBytes;
    /** Fabric bytes of pooled vectors and partial sums sent back, headers included. */
    long pooledBytes;
    /** Fabric bytes of gradients pushed to row owners. */
    long updateBytes;
    /** Messages the path sent for lookups and gradient pushes. */
    long messages;
    /** Row reads a row cache served. */
    long cacheHits;
    /** Row reads looked up in a row cache. */
    long cacheLookups;
}
