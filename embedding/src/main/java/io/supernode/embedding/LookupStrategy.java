package io.supernode.embedding;

/** How a step's lookups are organised, whatever path their bytes move over. */
public enum LookupStrategy {
    /** Each node reads every row its bags name from wherever the row lives, and pools them itself. */
    GATHER,
    /** Each node sends its ids to the rows' owners, which pool what they hold and send the sums back. */
    EXCHANGE
}
