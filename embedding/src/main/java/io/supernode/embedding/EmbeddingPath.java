package io.supernode.embedding;

import java.util.Locale;

/** How the nodes reach the table rows their samples look up. */
public enum EmbeddingPath {
    /** Each node gathers every row its bags name by load from wherever the row lives. */
    UNIFIED,
    /** As {@link #UNIFIED}, through a coherent per-node row cache (the coherence module's COHERENT mode, MESI). */
    UNIFIED_CACHED,
    /**
     * Copy-based, as DLRM and TorchRec do it: ids go to the rows' owners by all-to-all; table-wise owners send
     * pooled vectors back, row-wise owners send partial sums that are reduced at the sample's node.
     */
    COPY;

    /** The name tables, charts and flags use: {@code unified}, {@code unified-cached}, {@code copy}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
