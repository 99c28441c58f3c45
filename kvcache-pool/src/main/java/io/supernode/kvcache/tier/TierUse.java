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
 * @param demotions             blocks kept here that left a tier above: evicted from it, or computed when HBM had no
 *                              room
 * @param evictions             blocks evicted from this tier
 */
public record TierUse(Tier tier, long capacityBlocksPerNode, long hits, long hitTokens, long movedBytes,
                      long promotions, long demotions, long evictions) {

    /** What the tier did since {@code earlier}, a reading of the same tier. */
    public TierUse minus(TierUse earlier) {
        return new TierUse(tier, capacityBlocksPerNode, hits - earlier.hits, hitTokens - earlier.hitTokens,
                movedBytes - earlier.movedBytes, promotions - earlier.promotions, demotions - earlier.demotions,
                evictions - earlier.evictions);
    }

    /** The tier's hits among {@code blocks} prompt blocks. */
    public double hitRate(long blocks) {
        return blocks == 0 ? 0 : hits / (double) blocks;
    }
}
