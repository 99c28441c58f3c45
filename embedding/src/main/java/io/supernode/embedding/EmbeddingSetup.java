package io.supernode.embedding;

import io.supernode.gas.path.PathKind;
import io.supernode.gas.config.OptionNames;


/**
 * An embedding setup: how lookups are organised ({@link LookupStrategy}) and the {@link PathKind} their
 * bytes move over. The workload is written once against the path; these are the setups the command
 * line, the report and the benchmarks name.
 */
public enum EmbeddingSetup {
    /** Each node gathers every row its bags name by load from wherever the row lives. */
    UNIFIED(LookupStrategy.GATHER, PathKind.UNIFIED_LOAD),
    /** As {@link #UNIFIED}, through a coherent per-node row cache (the coherence module's COHERENT mode, MESI). */
    UNIFIED_CACHED(LookupStrategy.GATHER, PathKind.COHERENT),
    /**
     * Copy-based, as DLRM and TorchRec do it: ids go to the rows' owners by all-to-all; table-wise owners send
     * pooled vectors back, row-wise owners send partial sums that are reduced at the sample's node.
     */
    COPY(LookupStrategy.EXCHANGE, PathKind.SEND_RECV);

    private final LookupStrategy strategy;
    private final PathKind kind;

    EmbeddingSetup(LookupStrategy strategy, PathKind kind) {
        this.strategy = strategy;
        this.kind = kind;
    }

    /** How lookups are organised. */
    public LookupStrategy strategy() {
        return strategy;
    }

    /** The path rows, ids and pooled vectors move over. */
    public PathKind kind() {
        return kind;
    }

    /** Whether nodes keep a row cache, whose size and hit rate the results report. */
    public boolean rowCache() {
        return kind == PathKind.COHERENT;
    }

    /** The name tables, charts and flags use: {@code unified}, {@code unified-cached}, {@code copy}. */
    public String label() {
        return OptionNames.label(this);
    }
}
