package io.supernode.examples;

import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.embedding.EmbeddingWorkload;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.stats.Units;

/**
 * Teaches the embedding crossover. Gathering rows by load moves every row a bag names across the fabric,
 * many times what the copy path moves (ids out, one pooled vector back per bag), yet on a UB fabric it can
 * still finish first because the links are so much faster than RoCE. A coherent row cache changes the
 * byte count: with a skewed workload (Zipf 1.5) over a dozen batches, the hot rows stay local once the
 * cache holds them, and from about 2 MB per node the unified path's traffic falls below the copy path's.
 * Every line printed comes from the same batches, and every path pools the same outputs.
 */
public final class EmbeddingCrossover {

    private EmbeddingCrossover() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        EmbeddingConfig base = EmbeddingConfig.DEFAULT.withRows(100_000).withShape(8, 4, 1024, 20, 12).withZipf(1.5)
                .withMachine(64, FabricPair.UB_VS_ROCE, 42);
        System.out.printf("%-28s %12s %14s  %s%n", "path", "fabric/step", "step (modeled)", "cache hits");
        print("copy (all-to-all)", run(base, EmbeddingSetup.COPY));
        print("unified, no cache", run(base, EmbeddingSetup.UNIFIED));
        for (int lines : new int[] {1 << 11, 1 << 14, 1 << 17}) {
            String label = "unified, " + Units.decimalBytes(128L * lines) + " row cache";
            print(label, run(base.withCacheLines(lines), EmbeddingSetup.UNIFIED_CACHED));
        }
    }

    private static EmbeddingResult run(EmbeddingConfig config, EmbeddingSetup path) {
        try (EmbeddingWorkload w = new EmbeddingWorkload(config, path)) {
            return w.run();
        }
    }

    private static void print(String label, EmbeddingResult r) {
        System.out.printf("%-28s %12s %14s  %s%n", label, Units.decimalBytes(r.fabricBytesPerStep()),
                Units.nanos(r.modeledStepNanos()), Double.isNaN(r.cacheHitRate()) ? "-"
                        : String.format("%.1f %%", 100 * r.cacheHitRate()));
    }
}
