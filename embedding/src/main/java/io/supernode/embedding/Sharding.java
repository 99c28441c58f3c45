package io.supernode.embedding;

/** How an embedding table's rows are spread over the nodes. */
public enum Sharding {
    /** Each table whole on one node (table {@code t} on node {@code t mod nodes}), as TorchRec's table-wise plan. */
    TABLE_WISE,
    /** Every table cut into one contiguous range of rows per node. */
    ROW_RANGE,
    /** Row {@code r} of every table on node {@code r mod nodes}, as Ascend's Rec SDK shards. */
    ROW_MODULO
}
