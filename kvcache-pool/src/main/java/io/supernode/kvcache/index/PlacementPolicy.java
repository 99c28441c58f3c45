package io.supernode.kvcache.index;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;

/** Where a pooled cache stores a block a node has just computed. */
public enum PlacementPolicy {
    /** On the node that computed it: no fabric traffic to store it, the pool grows where the load is. */
    LOCAL_FIRST,
    /** On a home node chosen by the key's hash: every block has one place, spread evenly. */
    HASH_SHARDED,
    /** On the node holding the fewest blocks: capacity fills evenly whatever the routing. */
    LEAST_LOADED;

    /** The node that stores {@code key}, computed by {@code computingNode}. */
    public int place(long key, int computingNode, PrefixIndex index) {
        return switch (this) {
            case LOCAL_FIRST -> computingNode;
            case HASH_SHARDED -> (int) Long.remainderUnsigned(BlockHash.mix(key), index.nodes());
            case LEAST_LOADED -> {
                int best = computingNode;
                for (int node = 0; node < index.nodes(); node++) {
                    if (index.cache(node).size() < index.cache(best).size()) {
                        best = node;
                    }
                }
                yield best;
            }
        };
    }

    /**
     * The placement with this name, case-insensitive, with '-' for '_'.
     *
     * @throws KvConfigException naming the known ones when there is none
     */
    public static PlacementPolicy byName(String name) {
        return KvNames.parse(values(), name, "placement");
    }
}
