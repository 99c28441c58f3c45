package io.supernode.coherence.access;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.DomainClosedFault;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counters on threads under eviction pressure: four node threads add to sixteen counters with fetch-and-add
 * and with compare-and-set loops. The counters sit two to a line (neighbours share a line) on eight lines
 * homed on four nodes, and each cache holds two lines, so lines are evicted while other nodes' requests for
 * them are in flight. Every sum must be exact; in checking mode no invariant may break; and every broken
 * protocol variant must be caught. {@code -Dsupernode.counters.seed=N} replays a seed's choices.
 */
class ConcurrentCountersTest {

    private static final int NODES = 4;
    private static final int LINES = 8;
    private static final int COUNTERS_PER_LINE = 2;
    private static final int LINE_BYTES = 64;
    /** Runs a broken variant gets to be caught in. */
    private static final int ATTEMPTS = 40;
    private static final long SEED = Long.getLong("supernode.counters.seed", 11);

    /** What a run left: the failure that stopped it, or the counters' final values beside what was added. */
    private record Outcome(RuntimeException failure, long[] finals, long[] added) {
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everySumIsExact(Protocol protocol) {
        Outcome outcome = run(protocol, CoherenceMode.FAST, 20_000, SEED);
        assertNull(outcome.failure(), "seed " + SEED);
        assertEquals(NODES * 20_000L, Arrays.stream(outcome.added()).sum());
        for (int c = 0; c < outcome.finals().length; c++) {
            assertEquals(outcome.added()[c], outcome.finals()[c], protocol + " counter " + c + ", seed " + SEED);
        }
    }

    @Test
    void theCheckingModeHoldsOnThreads() {
        Outcome outcome = run(Protocol.MSI, CoherenceMode.CHECKED, 5_000, SEED);
        assertNull(outcome.failure(), "seed " + SEED);
        for (int c = 0; c < outcome.finals().length; c++) {
            assertEquals(outcome.added()[c], outcome.finals()[c], "counter " + c + ", seed " + SEED);
        }
    }

    /**
     * Runs of 5,000 operations per node, up to {@link #ATTEMPTS} of them with successive seeds, until one is
     * caught: whether a run meets the race a variant breaks on depends on the host's thread timing.
     */
    @ParameterizedTest
    @EnumSource(value = ProtocolVariant.class, names = "CORRECT", mode = EnumSource.Mode.EXCLUDE)
    void everyBrokenVariantIsCaught(ProtocolVariant variant) {
        for (Protocol protocol : Protocol.values()) {
            String caught = null;
            for (int attempt = 0; attempt < ATTEMPTS && caught == null; attempt++) {
                Outcome outcome = run(protocol, CoherenceMode.checked(variant), 5_000, SEED + attempt);
                if (outcome.failure() != null) {
                    caught = outcome.failure().getMessage();
                } else if (!Arrays.equals(outcome.finals(), outcome.added())) {
                    caught = "wrong sums";
                }
            }
            System.out.println(protocol + " " + variant + ": " + caught);
            assertNotNull(caught, protocol + " " + variant + " not caught in " + ATTEMPTS + " runs from seed " + SEED);
        }
    }

    /**
     * The domain closes while four threads add: every addition that returned is in memory afterwards, read by
     * plain loads of the region the domain handed back, and every one that did not return was refused with the
     * domain's typed fault.
     */
    @Test
    void closingTheDomainUnderRunningThreadsLosesNoAddition() throws InterruptedException {
        SupernodeConfig config = new SupernodeConfig("counters", new Topology(1, NODES, "board", "NPU", LinkProfiles.UB,
                LinkProfiles.HBM_ASCEND), 1 << 22, 4096, 16, HostTiming.BULK_ONLY, SEED);
        for (int trial = 0; trial < 20; trial++) {
            try (Supernode machine = Supernode.boot(config)) {
                CoherentMemory domain = CoherentMemory.attach(machine, new CoherenceConfig(LINE_BYTES, 2));
                Region counters = domain.map(RegionSpec.of("counters", NODES * 4096L, Placement.interleaved(0, 1, 2, 3)),
                        Protocol.MESI);
                AtomicLongArray added = new AtomicLongArray(LINES);
                AtomicReference<Throwable> unexpected = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    CoherentAccess access = domain.node(node);
                    SplittableRandom random = new SplittableRandom(SEED + trial * NODES + node);
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            while (true) {
                                int c = random.nextInt(LINES);
                                access.getAndAddLong(counters.address((c / 2) * 4096L + (c % 2) * LINE_BYTES), 1);
                                added.incrementAndGet(c);
                            }
                        } catch (DomainClosedFault expected) {
                            // the close reached this thread: its last addition did not happen
                        } catch (Throwable t) {
                            unexpected.set(t);
                        }
                    }));
                }
                Thread.sleep(5 + trial % 10);
                domain.close();
                for (Thread t : threads) {
                    t.join();
                }
                assertNull(unexpected.get(), "trial " + trial + ": " + unexpected.get());
                for (int c = 0; c < LINES; c++) {
                    long value = machine.node(0).loadLong(counters.address((c / 2) * 4096L + (c % 2) * LINE_BYTES));
                    assertEquals(added.get(c), value, "trial " + trial + ", counter " + c);
                }
            }
        }
    }

    @Test
    void aRunIsCheckedAgainstItsOwnAccounting() {
        // The sums above compare with what the threads added; a lost update must show as a difference.
        Outcome outcome = run(Protocol.MSI, CoherenceMode.FAST, 100, SEED);
        assertNotNull(outcome.finals());
        long[] lost = outcome.finals().clone();
        lost[3]--;
        assertTrue(!Arrays.equals(lost, outcome.added()));
    }

    private static Outcome run(Protocol protocol, CoherenceMode mode, int opsPerNode, long seed) {
        SupernodeConfig config = new SupernodeConfig("counters", new Topology(1, NODES, "board", "NPU", LinkProfiles.UB,
                LinkProfiles.HBM_ASCEND), 1 << 22, 4096, 16, HostTiming.BULK_ONLY, seed);
        try (Supernode machine = Supernode.boot(config);
             CoherentMemory domain = CoherentMemory.attach(machine, new CoherenceConfig(LINE_BYTES, 2), mode)) {
            Region counters = domain.map(RegionSpec.of("counters", NODES * 4096L, Placement.interleaved(0, 1, 2, 3)), protocol);
            long[] address = new long[LINES * COUNTERS_PER_LINE];
            for (int c = 0; c < address.length; c++) {
                int line = c / COUNTERS_PER_LINE;
                // Lines 0-1 on node 0's page, 2-3 on node 1's, and so on: neighbouring lines share a home.
                address[c] = counters.address((line / 2) * 4096L + (line % 2) * LINE_BYTES + (c % COUNTERS_PER_LINE) * 8L);
            }
            AtomicLongArray added = new AtomicLongArray(address.length);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                CoherentAccess access = domain.node(node);
                SplittableRandom random = new SplittableRandom(seed * 31 + node);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int op = 0; op < opsPerNode && failure.get() == null; op++) {
                            int c = random.nextInt(address.length);
                            if (random.nextBoolean()) {
                                access.getAndAddLong(address[c], 1);
                            } else {
                                long old;
                                do {
                                    old = access.loadLong(address[c]);
                                } while (!access.compareAndSetLong(address[c], old, old + 1));
                            }
                            added.incrementAndGet(c);
                        }
                    } catch (ProtocolError | CoherenceViolation e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                return new Outcome(failure.get(), null, null);
            }
            long[] finals = new long[address.length];
            long[] sums = new long[address.length];
            for (int c = 0; c < address.length; c++) {
                finals[c] = domain.node(c % NODES).loadLong(address[c]);
                sums[c] = added.get(c);
            }
            return new Outcome(null, finals, sums);
        } catch (ProtocolError | CoherenceViolation e) {
            return new Outcome(e, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
