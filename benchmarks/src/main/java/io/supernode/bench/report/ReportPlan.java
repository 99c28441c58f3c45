package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingConfig;

import java.util.List;

/**
 * How much a report runs: the quick profile for a first look in a few minutes, the full one for the
 * figures people cite.
 *
 * @param name             {@code quick} or {@code full}
 * @param sweepSizes       transfer sizes of the unified-vs-copy sweep
 * @param kvRequests       generated serving requests replayed
 * @param kvCapacities     KV capacity per node as a fraction of what holds every distinct block of the trace,
 *                         one replay per path and capacity
 * @param embedding        the embedding workload every (Zipf, cache) point starts from
 * @param zipfExponents    embedding id skews
 * @param cacheBytes       row-cache sizes per node of the cached embedding path
 * @param scalingNodes     machine sizes whose emulator cost is measured
 * @param touchBytesPerNode memory each node writes in the scaling runs (committed, so the RSS grows)
 * @param loadsPerSize     remote loads timed on the host per machine size
 * @param probeMillis      host time each sweep-method probe warms up, and then is timed, in its own JVM
 */
public record ReportPlan(String name, List<Long> sweepSizes, int kvRequests, List<Double> kvCapacities,
                         EmbeddingConfig embedding, List<Double> zipfExponents, List<Long> cacheBytes,
                         List<Integer> scalingNodes, long touchBytesPerNode, int loadsPerSize, long probeMillis) {

    /** Under a minute here: every section, the default embedding workload, fewer points. */
    public static final ReportPlan QUICK = new ReportPlan("quick",
            List.of(8L, 512L, 4_096L, 65_536L, 1L << 20, 4L << 20), 1_000, List.of(1.0 / 32, 1.0 / 8, 1.0 / 2, 1.0),
            EmbeddingConfig.DEFAULT, List.of(1.1, 1.5), List.of(1L << 20, 4L << 20, 16L << 20, 64L << 20),
            List.of(8, 72, 384), 1L << 20, 1_000_000, 1_000);

    /** The figures to cite: more sizes, requests, steps, exponents and cache sizes, and more memory touched. */
    public static final ReportPlan FULL = new ReportPlan("full",
            List.of(8L, 64L, 512L, 4_096L, 32_768L, 262_144L, 1L << 20, 4L << 20), 4_000,
            List.of(1.0 / 64, 1.0 / 16, 1.0 / 4, 1.0 / 2, 1.0), EmbeddingConfig.DEFAULT.withShape(8, 8, 2048, 20, 6),
            List.of(0.9, 1.1, 1.3, 1.5), List.of(256L << 10, 1L << 20, 4L << 20, 16L << 20, 64L << 20),
            List.of(8, 72, 384), 8L << 20, 5_000_000, 2_000);
}
