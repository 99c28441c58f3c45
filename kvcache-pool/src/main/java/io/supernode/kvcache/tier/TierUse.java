package io.supernode.kvcache.tier;

/**
 * What one tier did in a replay.
 *
 * @param tier                  the tier
 * @param capacityBlocksPerNode blocks each node's share of the tier holds
 * @param hits                  prompt blocks served from the tier (for HBM: the serving node's and, pooled, other
 *                              nodes')
 * @param hitTokens             prompt tokens in those blocks
 * @param movedBytes            modeled KV bytes read from the tier into another memory: a lower tier's hits, and
 *                              other nodes' HBM for pooled paths
 * @param promotions            blocks a hit copied from this tier into the reader's HBM
 * @param demotions             blocks evicted from the tier above and kept here
 * @param evictions             blocks evicted from this tier
 */
public record TierUse(Tier tier, long capacityBlocksPerNode, long hits, long hitTokens, long movedBytes,
                      long promotions, long demotions, long evictions) {

    /** The tier's hits among {@code blocks} prompt blocks. */
    public double hitRate(long blocks) {
        return blocks == 0 ? 0 : hits / (double) blocks;
    }
}
