package io.supernode.bench;

import io.supernode.coherence.check.Explorer;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The coherence engine's speed. {@code deliveredMessages}: a seeded random schedule of loads, stores and
 * evictions by 4 caches over 2 lines on the deterministic transport, on one core, reported per delivered
 * protocol message (target: 5 M/s on one core or more). {@code deliveredMessagesOnAllCores}: the same with a
 * schedule per core at once, as {@code coherence litmus} shares its schedules among threads.
 * {@code explorerStates}: the exhaustive search of 2 caches x 1 line x 3 requests, reported per state explored.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CoherenceEngineBenchmark extends BenchmarkDefaults {

    private static final int[] VALUES = {1, 2};
    /** Messages per invocation of {@link #deliveredMessages}: each invocation runs until this many have been delivered. */
    private static final int MESSAGES = 1_000;
    /** States the explorer visits for 2 caches x 1 line x 3 requests (held by ExplorerTest). */
    private static final int EXPLORER_STATES = 17_104;

    private final SplittableRandom random = new SplittableRandom(42);

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void deliveredMessages(Blackhole hole) {
        hole.consume(runSchedule());
    }

    /** As {@link #deliveredMessages}, on every core at once: a schedule per thread, as litmus runs share them. */
    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(MESSAGES)
    public void deliveredMessagesOnAllCores(Blackhole hole) {
        hole.consume(runSchedule());
    }

    private CoherenceSystem runSchedule() {
        CoherenceSystem system = new CoherenceSystem(4, 2, Protocol.MSI, ProtocolVariant.CORRECT);
        int delivered = 0;
        while (delivered < MESSAGES) {
            List<CoherenceSystem.Step> steps = system.enabled(Integer.MAX_VALUE, VALUES);
            CoherenceSystem.Step step = steps.get(random.nextInt(steps.size()));
            system.apply(step);
            if (step instanceof CoherenceSystem.Deliver) {
                delivered++;
            }
        }
        return system;
    }

    @Benchmark
    @OperationsPerInvocation(EXPLORER_STATES)
    public long explorerStates() {
        return Explorer.explore(Protocol.MSI, ProtocolVariant.CORRECT, 2, 1, 3, VALUES, 5_000_000).states();
    }
}
