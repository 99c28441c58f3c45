package io.supernode.embedding;

/** How a training step turns a row's summed gradient into its new value. */
public enum Optimizer {
    /** Sparse SGD: {@code row -= lr x g}. No state. */
    SGD,
    /**
     * Row-wise Adagrad, as recommendation models train their tables (FBGEMM's "rowwise_adagrad"): one float of
     * state per row, the running sum of the mean squared gradient {@code G += mean(g^2)}, and
     * {@code row -= lr x g / (sqrt(G) + eps)}. The state lives beside the row in the owner's memory, so only
     * the owner ever touches it.
     */
    ROWWISE_ADAGRAD
}
