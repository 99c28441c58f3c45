package io.supernode.kvcache.serve;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;

/** How a node reaches KV blocks other nodes computed. */
public enum ServingPath {
    /** Each node caches only what it computed and never reads another's: stacked servers. */
    LOCAL_ONLY,
    /** Every node's blocks form one pool; attention reads remote blocks in place by load/view. */
    POOLED_UNIFIED,
    /** Every node's blocks form one pool; remote blocks are fetched by request and reply into local memory first. */
    POOLED_COPY;

    /** Whether other nodes' blocks are visible. */
    public boolean pooled() {
        return this != LOCAL_ONLY;
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
    public static ServingPath byName(String name) {
        return KvNames.parse(values(), name, "path");
    }
}
