package io.supernode.coherence.check;

import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import io.supernode.coherence.transport.ConcurrentNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * Runs litmus tests on either transport, one node per program, each with its own cache and blocking on
 * every access. On the deterministic transport a seeded random choice is made at every step among the next
 * instruction of each idle node, every deliverable message (reordered wherever the virtual networks
 * allow) and, now and then, an eviction; final values are read by node 0 through the protocol. On the
 * concurrent transport every node is a thread; seeded pauses and evictions vary the runs, and final values
 * are read off the quiet system.
 */
public final class LitmusRunner {

    /** Evictions each node may make in one run: enough to vary schedules, few enough to end. */
    static final int EVICTIONS_PER_NODE = 2;
    /** A concurrent run still going after this long is reported as a deadlock or livelock. */
    static final long CONCURRENT_TIMEOUT_MILLIS = 10_000;
    /** A run taking more steps than this is reported as a livelock. */
    static final int STEP_BOUND = 10_000;

    private LitmusRunner() {
    }

    /**
     * {@code runs} runs of {@code test} on {@code variant} of {@code protocol}, run {@code i} with seed
     * {@code seed + i}, on one thread.
     */
    public static LitmusResult run(LitmusTest test, Protocol protocol, ProtocolVariant variant, int runs, long seed) {
        return run(test, protocol, variant, runs, seed, 1);
    }

    /**
     * As {@link #run(LitmusTest, Protocol, ProtocolVariant, int, long)}, the runs shared among {@code threads}
     * threads. Every run is replayed from its own seed, so the result is the same for any number of threads.
     *
     * @throws IllegalArgumentException when {@code threads} is not positive
     */
    public static LitmusResult run(LitmusTest test, Protocol protocol, ProtocolVariant variant, int runs, long seed,
                                   int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        int parts = Math.min(threads, runs);
        // Contiguous shares of the seeds: each part's first failing seed is the least of its share, and the parts'
        // tallies, added in order, are the tally of one thread. A pool's join rethrows what a part threw.
        IntFunction<Tally> share = part -> tally((int) ((long) runs * part / parts),
                (int) ((long) runs * (part + 1) / parts), seed, runSeed -> once(test, protocol, variant, runSeed));
        List<Tally> tallies;
        if (parts == 1) {
            tallies = List.of(share.apply(0));
        } else {
            try (ForkJoinPool pool = new ForkJoinPool(parts)) {
                tallies = pool.submit(() -> IntStream.range(0, parts).parallel().mapToObj(share).toList()).join();
            }
        }
        Tally all = new Tally();
        tallies.forEach(all::add);
        return all.result(test, protocol, variant, runs, seed);
    }

    /**
     * {@code runs} repetitions of {@code test} on the concurrent transport (node threads, JCTools inboxes).
     * Repetition {@code i}'s pauses and evictions come from seed {@code seed + i}; its thread timing does not,
     * so a repetition cannot be replayed exactly, only its outcome histogram compared.
     */
    public static LitmusResult runConcurrent(LitmusTest test, Protocol protocol, ProtocolVariant variant, int runs,
                                             long seed) {
        return tally(0, runs, seed, runSeed -> onceConcurrent(test, protocol, variant, runSeed))
                .result(test, protocol, variant, runs, seed);
    }

    /** Runs {@code once} with seeds {@code seed + from .. seed + to - 1} and tallies outcomes and failures. */
    private static Tally tally(int from, int to, long seed, LongFunction<String> once) {
        Tally tally = new Tally();
        for (int i = from; i < to; i++) {
            long runSeed = seed + i;
            try {
                tally.outcomes.merge(once.apply(runSeed), 1, Integer::sum);
            } catch (ProtocolError e) {
                tally.fail("protocol error: " + e.getMessage(), new LitmusResult.Failure(1, runSeed));
            } catch (IllegalStateException e) {
                tally.fail(e.getMessage(), new LitmusResult.Failure(1, runSeed));
            }
        }
        return tally;
    }

    /** Outcomes and failures counted over some runs; tallies of disjoint runs add up. */
    private static final class Tally {
        final Map<String, Integer> outcomes = new TreeMap<>();
        final Map<String, LitmusResult.Failure> failures = new TreeMap<>();

        void fail(String what, LitmusResult.Failure failure) {
            failures.merge(what, failure, (a, b) -> new LitmusResult.Failure(a.count() + b.count(),
                    Math.min(a.firstSeed(), b.firstSeed())));
        }

        void add(Tally other) {
            other.outcomes.forEach((outcome, count) -> outcomes.merge(outcome, count, Integer::sum));
            other.failures.forEach(this::fail);
        }

        LitmusResult result(LitmusTest test, Protocol protocol, ProtocolVariant variant, int runs, long seed) {
            return new LitmusResult(test, protocol, variant, runs, seed, outcomes, ScReference.allowed(test), failures);
        }
    }

    private static String onceConcurrent(LitmusTest test, Protocol protocol, ProtocolVariant variant, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<ConcurrentNetwork.Op>> programs = new ArrayList<>();
        for (List<LitmusOp> program : test.programs()) {
            List<ConcurrentNetwork.Op> ops = new ArrayList<>();
            int evictions = 0;
            for (LitmusOp op : program) {
                if (evictions < EVICTIONS_PER_NODE && random.nextInt(4) == 0) {
                    ops.add(new ConcurrentNetwork.Op(random.nextInt(test.lines()), new CoreOp(CacheEvent.REPLACEMENT, 0)));
                    evictions++;
                }
                ops.add(new ConcurrentNetwork.Op(op.line(), op.store() ? new CoreOp(CacheEvent.STORE, op.value())
                        : new CoreOp(CacheEvent.LOAD, 0)));
            }
            programs.add(ops);
        }
        ConcurrentNetwork.Outcome outcome = ConcurrentNetwork.run(test.nodes(), test.lines(), protocol, variant, programs,
                seed, CONCURRENT_TIMEOUT_MILLIS);
        int[] finals = test.finalLines().stream().mapToInt(line -> outcome.finals()[line]).toArray();
        return LitmusOutcome.of(test, outcome.loaded(), finals);
    }

    /**
     * One run with {@code seed}; returns its outcome.
     *
     * @throws ProtocolError         when the protocol meets an event it does not define
     * @throws IllegalStateException on a deadlock, a livelock or a load that returned a stale value
     */
    public static String once(LitmusTest test, Protocol protocol, ProtocolVariant variant, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int nodes = test.nodes();
        CoherenceSystem system = new CoherenceSystem(nodes, test.lines(), protocol, variant);
        int[] pc = new int[nodes];
        int[][] registers = new int[nodes][];
        int[] loads = new int[nodes];
        for (int p = 0; p < nodes; p++) {
            registers[p] = new int[test.programs().get(p).size()];
        }
        int[] observed = new int[1];
        boolean[] observing = new boolean[1];
        system.listen((node, line, event, value) -> {
            if (observing[0]) {
                observed[0] = value;
            } else {
                if (event == CacheEvent.LOAD) {
                    registers[node][loads[node]++] = value;
                }
                pc[node]++;
            }
        });
        int[] values = test.programs().stream().flatMap(List::stream).filter(LitmusOp::store)
                .mapToInt(LitmusOp::value).distinct().toArray();
        int[] evictions = new int[nodes];
        runToEnd(test, system, pc, evictions, values, random);
        int[] finals = new int[test.finalLines().size()];
        observing[0] = true;
        for (int i = 0; i < finals.length; i++) {
            int line = test.finalLines().get(i);
            system.apply(new CoherenceSystem.Issue(0, line, new CoreOp(CacheEvent.LOAD, 0)));
            runToEnd(test, system, pc, evictions, values, random);
            finals[i] = observed[0];
        }
        if (system.dataValueError() != null) {
            throw new IllegalStateException("stale value: " + system.dataValueError());
        }
        int[][] loaded = new int[nodes][];
        for (int p = 0; p < nodes; p++) {
            loaded[p] = Arrays.copyOf(registers[p], loads[p]);
        }
        return LitmusOutcome.of(test, loaded, finals);
    }

    private static void runToEnd(LitmusTest test, CoherenceSystem system, int[] pc, int[] evictions, int[] values,
                                 SplittableRandom random) {
        for (int steps = 0; ; steps++) {
            if (steps > STEP_BOUND) {
                throw new IllegalStateException("livelock: no end after " + STEP_BOUND + " steps");
            }
            List<CoherenceSystem.Step> candidates = new ArrayList<>();
            for (CoherenceSystem.Step step : system.enabled(Integer.MAX_VALUE, values)) {
                if (step instanceof CoherenceSystem.Issue issue) {
                    if (wanted(test, pc, evictions, issue)) {
                        candidates.add(step);
                    }
                } else {
                    candidates.add(step);
                }
            }
            if (candidates.isEmpty()) {
                boolean programsDone = true;
                for (int p = 0; p < pc.length; p++) {
                    programsDone &= pc[p] == test.programs().get(p).size();
                }
                if (programsDone && system.quiescent()) {
                    return;
                }
                throw new IllegalStateException("deadlock: nothing can happen and not every program has ended");
            }
            CoherenceSystem.Step step = candidates.get(random.nextInt(candidates.size()));
            if (step instanceof CoherenceSystem.Issue issue && issue.op().event() == CacheEvent.REPLACEMENT) {
                evictions[issue.node()]++;
            }
            system.apply(step);
        }
    }

    private static boolean wanted(LitmusTest test, int[] pc, int[] evictions, CoherenceSystem.Issue issue) {
        int node = issue.node();
        if (issue.op().event() == CacheEvent.REPLACEMENT) {
            return evictions[node] < EVICTIONS_PER_NODE;
        }
        List<LitmusOp> program = test.programs().get(node);
        if (pc[node] >= program.size()) {
            return false;
        }
        LitmusOp next = program.get(pc[node]);
        return next.line() == issue.line()
                && (next.store() ? issue.op().event() == CacheEvent.STORE && issue.op().value() == next.value()
                : issue.op().event() == CacheEvent.LOAD);
    }
}
