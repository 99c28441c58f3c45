package io.supernode.bench;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;
import io.supernode.bench.compare.OpProbe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Host cost of each of the sweep's methods on the UB-vs-RoCE pair, one operation at a time, through the
 * same {@link OpProbe} the report times in a loop: the report's warmed host figures should agree with
 * these. Compare methods within a run; the unified load is the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SweepOpBenchmark extends BenchmarkDefaults {

    @Param({"UNIFIED_LOAD", "UNIFIED_COPY", "SEND_RECV", "RPC", "ONE_SIDED"})
    public PathKind method;

    @Param({"8", "65536"})
    public long size;

    private OpProbe probe;

    @Setup(Level.Trial)
    public void setUp() {
        probe = OpProbe.open(FabricPair.UB_VS_ROCE, method, size, 42);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        probe.close();
    }

    @Benchmark
    public long operation() {
        return probe.runOnce();
    }
}
