package io.supernode.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Runs one workload on several paths side by side, the cached path once per cache size. */
public final class EmbeddingRuns {

    private EmbeddingRuns() {
    }

    /** How many runs {@link #runAll} makes for these paths and cache sizes. */
    public static int count(List<EmbeddingSetup> paths, List<Integer> cacheLines) {
        return paths.stream().mapToInt(p -> p.rowCache() ? cacheLines.size() : 1).sum();
    }

    /**
     * Runs {@code config} on every path in {@code paths}, the cached path once per entry of {@code cacheLines}.
     *
     * @param cacheLines lines per node of each cache size to run the cached path with
     * @param runsDone   told the number of runs finished after each one, e.g. to move a progress bar
     */
    public static List<EmbeddingResult> runAll(EmbeddingConfig config, List<EmbeddingSetup> paths,
                                               List<Integer> cacheLines, IntConsumer runsDone) {
        List<EmbeddingResult> results = new ArrayList<>();
        for (EmbeddingSetup path : paths) {
            for (int lines : path.rowCache() ? cacheLines : List.of(config.cacheLinesPerNode())) {
                try (EmbeddingWorkload workload = new EmbeddingWorkload(config.withCacheLines(lines), path)) {
                    results.add(workload.run());
                }
                runsDone.accept(results.size());
            }
        }
        return results;
    }
}
