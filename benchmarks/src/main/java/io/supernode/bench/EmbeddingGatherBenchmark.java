package io.supernode.bench;

import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.embedding.EmbeddingWorkload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Host cost of one embedding lookup on each path: one step of {@link EmbeddingConfig#GATHER_BENCHMARK}
 * (20,480 lookups, pooled and, on the copy path, sent), scored per lookup. The report times the same
 * workload in a loop beside it. Compare the paths within a run; the unified path is the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class EmbeddingGatherBenchmark extends BenchmarkDefaults {

    private static final int LOOKUPS = 4 * 256 * 20;

    @Param({"UNIFIED", "UNIFIED_CACHED", "COPY"})
    public EmbeddingSetup path;

    private EmbeddingWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        EmbeddingConfig config = EmbeddingConfig.GATHER_BENCHMARK;
        if (config.lookupsPerStep() * config.steps() != LOOKUPS) {
            throw new IllegalStateException("the shared workload does " + config.lookupsPerStep() * config.steps()
                    + " lookups per run, the score divides by " + LOOKUPS);
        }
        workload = new EmbeddingWorkload(config, path);
        workload.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
    }

    /** One step: every node gathers and pools its bags of every table. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public EmbeddingResult step() {
        return workload.run();
    }
}
