package io.supernode.coherence.access;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.check.LitmusOp;
import io.supernode.coherence.check.LitmusOutcome;
import io.supernode.coherence.check.LitmusResult;
import io.supernode.coherence.check.LitmusTest;
import io.supernode.coherence.check.ScReference;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.stats.HostTiming;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a litmus test on the coherent access mode itself, through the public {@link CoherentAccess} calls: a
 * platform thread per node, every node's program run {@code iterations} times in step with the others. Each
 * iteration uses fresh locations, all zero: {@code x} and {@code y} are on different lines with different
 * homes ({@code x} homed on node 0, {@code y} on node 1, the next location on node 2). The threads meet at a
 * barrier before every iteration, then each waits a seeded random few hundred nanoseconds at most, so that
 * their accesses to the same lines overlap in varied orders; the caches are small, so lines are evicted while
 * others are in flight. Final values are read once every thread has finished.
 *
 * <p>Thread timing is the host's, so a run cannot be replayed exactly; the seed fixes the delays only.
 */
public final class ThreadedLitmus {

    /** The most iterations one run may make: the locations of each take two lines of each region. */
    public static final int MAX_ITERATIONS = 4_000_000;
    /** The most in checking mode, which keeps a record of every line it has seen (with its last written bytes). */
    public static final int MAX_CHECKED_ITERATIONS = 200_000;
    /** Lines each node's cache holds: few, so that evictions race the test's own requests. */
    static final int CACHE_LINES = 64;
    private static final int LINE_BYTES = 64;
    /** Longest seeded pause before an iteration's program, in spin-wait hints. */
    private static final int MAX_PAUSE_SPINS = 64;

    private ThreadedLitmus() {
    }

    /**
     * {@code iterations} runs of {@code test} on {@code protocol} in {@code mode}, node threads' pauses seeded
     * from {@code seed}. A protocol error or a violation the checking mode finds ends the run and is its one
     * failure.
     *
     * @throws ConfigFault when {@code iterations} is not from 1 to {@link #MAX_ITERATIONS} ({@link
     *                     #MAX_CHECKED_ITERATIONS} in checking mode)
     */
    public static LitmusResult run(LitmusTest test, Protocol protocol, CoherenceMode mode, int iterations, long seed) {
        int most = mode.checked() ? MAX_CHECKED_ITERATIONS : MAX_ITERATIONS;
        if (iterations < 1 || iterations > most) {
            throw new ConfigFault("litmus iterations must be from 1 to " + most + (mode.checked() ? " in checking mode" : "")
                    + ", got " + iterations);
        }
        int nodes = Math.max(test.nodes(), test.lines());
        long regionBytes = (long) iterations * LINE_BYTES;
        long pageBytes = 64 * 1024;
        long memoryBytes = (regionBytes + pageBytes) * test.lines() + (1L << 24);
        SupernodeConfig config = new SupernodeConfig("litmus", new Topology(1, nodes, "board", "NPU", LinkProfiles.UB,
                LinkProfiles.HBM_ASCEND), Math.max(memoryBytes, 1L << 26), pageBytes, 64, HostTiming.BULK_ONLY, seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, LitmusResult.Failure> failures = new TreeMap<>();
        try (Supernode machine = Supernode.boot(config);
             CoherentMemory domain = CoherentMemory.attach(machine, new CoherenceConfig(LINE_BYTES, CACHE_LINES), mode)) {
            Region[] location = new Region[test.lines()];
            for (int l = 0; l < location.length; l++) {
                location[l] = domain.map(RegionSpec.of(LitmusOp.location(l), regionBytes, Placement.onNode(l)), protocol);
            }
            int[][][] registers = new int[test.nodes()][iterations][];
            RuntimeException failure = runThreads(test, domain, location, registers, iterations, seed);
            if (failure != null) {
                failures.put(failure.getMessage(), new LitmusResult.Failure(1, seed));
                return new LitmusResult(test, protocol, mode.variant(), iterations, seed, outcomes, ScReference.allowed(test),
                        failures);
            }
            int[] finals = new int[test.finalLines().size()];
            int[][] loaded = new int[test.nodes()][];
            for (int i = 0; i < iterations; i++) {
                for (int f = 0; f < finals.length; f++) {
                    finals[f] = (int) domain.node(0).loadLong(location[test.finalLines().get(f)].address((long) i * LINE_BYTES));
                }
                for (int p = 0; p < loaded.length; p++) {
                    loaded[p] = registers[p][i];
                }
                outcomes.merge(LitmusOutcome.of(test, loaded, finals), 1, Integer::sum);
            }
        } catch (ProtocolError | CoherenceViolation e) {
            failures.put(e.getMessage(), new LitmusResult.Failure(1, seed));
        }
        return new LitmusResult(test, protocol, mode.variant(), iterations, seed, outcomes, ScReference.allowed(test), failures);
    }

    /** Runs every node's program on its own thread; returns the first failure, or null. */
    private static RuntimeException runThreads(LitmusTest test, CoherentMemory domain, Region[] location,
                                               int[][][] registers, int iterations, long seed) {
        int nodes = test.nodes();
        Barrier barrier = new Barrier(nodes);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < nodes; p++) {
            int node = p;
            List<LitmusOp> program = test.programs().get(p);
            int loads = (int) program.stream().filter(op -> !op.store()).count();
            SplittableRandom pauses = new SplittableRandom(seed + p);
            CoherentAccess access = domain.node(node);
            threads.add(Thread.ofPlatform().name("litmus-N" + node).start(() -> {
                try {
                    for (int i = 0; i < iterations && failure.get() == null; i++) {
                        barrier.await(failure);
                        for (int spins = pauses.nextInt(MAX_PAUSE_SPINS); spins > 0; spins--) {
                            Thread.onSpinWait();
                        }
                        int[] mine = new int[loads];
                        int r = 0;
                        long offset = (long) i * LINE_BYTES;
                        for (LitmusOp op : program) {
                            long address = location[op.line()].address(offset);
                            if (op.store()) {
                                access.storeLong(address, op.value());
                            } else {
                                mine[r++] = (int) access.loadLong(address);
                            }
                        }
                        registers[node][i] = mine;
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new IllegalStateException("interrupted while the litmus threads ran");
            }
        }
        return failure.get();
    }

    /** A reusable barrier that spins briefly, then yields: the threads outnumber the cores in some tests. */
    private static final class Barrier {
        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int generation;

        Barrier(int parties) {
            this.parties = parties;
        }

        void await(AtomicReference<RuntimeException> failure) {
            int mine = generation;
            if (arrived.incrementAndGet() == parties) {
                arrived.set(0);
                generation = mine + 1;
                return;
            }
            for (int spins = 0; generation == mine && failure.get() == null; spins++) {
                if (spins < 200) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
