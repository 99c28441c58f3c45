package io.supernode.embedding;

/**
 * One step's lookups: every node pools the bags of its share of the batch in every table into the
 * outputs, moving bytes through the nodes' paths, and returns the step's modeled time.
 */
sealed interface Lookup permits GatherLookup, ExchangeLookup {

    /** Looks up step's {@code ids} (per table, {@code bagSize} ids for every sample of the global batch). */
    StepTime step(int[][] ids);
}
