package io.supernode.embedding;

/** How an EmbeddingBag reduces the rows of one bag to one vector. */
public enum Pooling {
    /** The sum of the bag's rows. */
    SUM,
    /** The sum divided by the number of ids in the bag. */
    MEAN
}
