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
     * The node holding the longest prefix of the prompt in its own cache; the least-loaded node when none holds any.
     * With a balance threshold ({@link ReplayOptions#balanceThresholdNanos}), the least-loaded node instead whenever
     * the holder's queue is longer than that node's by more than the threshold, and the diverted request copies the
     * prefix it reads into its new node's cache, so that the hot prefix is served from two places: Mooncake's
     * Conductor balances cache against load this way. Without one, pure affinity.
     */
    AFFINITY,
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
