package io.supernode.kvcache.serve;

import io.supernode.gas.path.PathKind;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;

/**
 * A serving setup: whether nodes pool their KV blocks (a cache policy) and, when they do, the
 * {@link PathKind} remote blocks move over. The pool is written once against the path; these are the
 * setups the command line, the report and the benchmarks name.
 */
public enum ServingSetup {
    /** Each node caches only what it computed and never reads another's: stacked servers. */
    LOCAL_ONLY(false, PathKind.UNIFIED_LOAD),
    /** Every node's blocks form one pool; attention reads remote blocks in place by load/view. */
    POOLED_UNIFIED(true, PathKind.UNIFIED_LOAD),
    /** Every node's blocks form one pool; remote blocks are fetched by request and reply into local memory first. */
    POOLED_COPY(true, PathKind.RPC);

    private final boolean pooled;
    private final PathKind kind;

    ServingSetup(boolean pooled, PathKind kind) {
        this.pooled = pooled;
        this.kind = kind;
    }

    /** Whether other nodes' blocks are visible: the policy. */
    public boolean pooled() {
        return pooled;
    }

    /** The path blocks move over; a local-only node reads only its own memory, over the unified path. */
    public PathKind kind() {
        return kind;
    }

    /** The lower-case, dashed name used on the command line. */
    public String label() {
        return KvNames.label(this);
    }

    /**
     * The path with this name, case-insensitive, with '-' for '_'.
     *
     * @throws KvConfigException naming the known ones when there is none
     */
    public static ServingSetup byName(String name) {
        return KvNames.parse(values(), name, "path");
    }
}
