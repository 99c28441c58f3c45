package io.supernode.bench;

import io.supernode.kvcache.serve.BenchmarkReplay;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
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

import java.util.concurrent.TimeUnit;

/**
 * Host cost of one served request on each KV path: a replay of {@link BenchmarkReplay} (a new pool, every
 * request's prefix lookup, fetches, payload copies and decode), scored per request. The report times the
 * same replay in a loop beside it. Local-only is the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class KvReplayBenchmark extends BenchmarkDefaults {

    @Param({"LOCAL_ONLY", "POOLED_UNIFIED", "POOLED_COPY"})
    public ServingSetup path;

    private BenchmarkReplay replay;

    @Setup(Level.Trial)
    public void setUp() {
        replay = new BenchmarkReplay(path);
        if (replay.requests() != BenchmarkReplay.REQUESTS) {
            throw new IllegalStateException("the shared replay has " + replay.requests() + " requests, the score divides by "
                    + BenchmarkReplay.REQUESTS);
        }
    }

    /** One replay of the whole trace. */
    @Benchmark
    @OperationsPerInvocation(BenchmarkReplay.REQUESTS)
    public ReplayResult replay() {
        return replay.run();
    }
}
