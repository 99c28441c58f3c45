package io.supernode.bench;

import io.supernode.examples.embedding.EmbeddingConfig;
import io.supernode.examples.embedding.EmbeddingPath;
import io.supernode.examples.embedding.EmbeddingResult;
import io.supernode.examples.embedding.EmbeddingWorkload;
import io.supernode.gas.compare.FabricPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Host cost of one embedding lookup on each path: one step of 4 nodes x 4 tables x a batch of 256 bags of
 * 20 (20,480 lookups, pooled and, on the copy path, sent), scored per lookup. Compare the paths within a
 * run; the unified path is the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true"})
@State(Scope.Thread)
public class EmbeddingGatherBenchmark {

    private static final int LOOKUPS = 4 * 256 * 20;

    @Param({"UNIFIED", "UNIFIED_CACHED", "COPY"})
    public EmbeddingPath path;

    private EmbeddingWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        EmbeddingConfig config = EmbeddingConfig.DEFAULT.withRows(100_000).withShape(4, 4, 256, 20, 1)
                .withMachine(64, FabricPair.UB_VS_ROCE, 42).withZipf(1.1);
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
