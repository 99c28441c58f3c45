package io.supernode.kvcache.serve;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;

/** Which node serves a request. */
public enum RouterPolicy {
    /** Nodes in turn, blind to load and cache. */
    ROUND_ROBIN,
    /** The node that can start soonest (queue only). */
    LEAST_LOADED,
    /**
     * The node with the earliest modeled first token: its queue plus fetching or reading the prefix it
     * can reuse plus prefilling the rest, as Mooncake's conductor weighs cache against load.
     */
    CACHE_AWARE;

    /**
     * The router with this name, case-insensitive, with '-' for '_'.
     *
     * @throws KvConfigException naming the known ones when there is none
     */
    public static RouterPolicy byName(String name) {
        return KvNames.parse(values(), name, "router");
    }
}
