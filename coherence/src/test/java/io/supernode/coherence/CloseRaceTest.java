package io.supernode.coherence;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentAccess;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closes racing accesses on threads: node threads load, store, copy and update atomically on the unified
 * path, in a coherence domain and on the copy path (two-sided, one-sided and RPC), and migrate pages, while the main
 * thread closes the machine, one node, or the domain at a random moment. Every exception a node thread sees must be one of the project's typed faults, never FFM's
 * raw "Already closed" or a protocol error from a transaction cut short.
 */
class CloseRaceTest {

    private static final int TRIALS = 60;
    private static final int NODES = 4;

    private enum Close { MACHINE, NODE, DOMAIN }

    @Test
    void everyAccessRacingACloseSeesATypedFaultOrSucceeds() throws InterruptedException {
        long seed = Long.getLong("supernode.races.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> seen = new ConcurrentSkipListMap<>();
        List<String> raw = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            Close close = Close.values()[trial % Close.values().length];
            raw.addAll(trial(random.split(), close, seen, "seed " + seed + " trial " + trial + " (" + close + ")"));
        }
        System.out.println("close races, seed " + seed + ": " + TRIALS + " trials, faults seen " + seen + ", "
                + raw.size() + " raw exceptions");
        assertTrue(raw.isEmpty(), "replay with -Dsupernode.races.seed=" + seed + ": " + String.join("; ", raw));
    }

    private static List<String> trial(SplittableRandom random, Close close, Map<String, Integer> seen, String where)
            throws InterruptedException {
        Supernode machine = Supernode.boot(new SupernodeConfig("races", new Topology(2, 2, "board", "NPU",
                LinkProfiles.UB, LinkProfiles.HBM_ASCEND), 1 << 20, 4096, 16, HostTiming.BULK_ONLY, 1));
        CoherentMemory domain = CoherentMemory.attach(machine, new CoherenceConfig(128, 64));
        Region plain = machine.map(RegionSpec.of("plain", 4 * 4096, Placement.interleaved(0, 1, 2, 3)));
        Region coherent = domain.map(RegionSpec.of("coherent", 4 * 4096, Placement.interleaved(0, 1, 2, 3)), Protocol.MESI);
        MessagePlane plane = new MessagePlane(machine, CopyStack.TCP_HOST_STAGED, MessagePlane.Service.INLINE);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int node = 0; node < NODES - 1; node++) {
            NodeAccess unified = machine.node(node);
            CoherentAccess cached = domain.node(node);
            Endpoint endpoint = plane.endpoint(node);
            SplittableRandom mine = random.split();
            threads.add(Thread.ofPlatform().start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(8192);
                    while (!stop.get()) {
                        try {
                            long at = 8L * mine.nextInt(4 * 4096 / 8);
                            switch (mine.nextInt(12)) {
                                case 0 -> unified.storeLong(plain.address(at), at);
                                case 1 -> unified.getAndAddLong(plain.address(at), 1);
                                case 2 -> unified.read(plain.address(0), buffer, 0, 8192);
                                case 3 -> cached.storeLong(coherent.address(at), at);
                                case 4 -> cached.getAndAddLong(coherent.address(at), 1);
                                case 5 -> cached.read(coherent.address(0), buffer, 0, 8192);
                                case 6 -> endpoint.get(plain.address(0), buffer, 0, 8192);
                                case 7 -> endpoint.put(buffer, 0, plain.address(0), 8192);
                                case 8 -> endpoint.nicGetAndAddLong(plain.address(at), 1);
                                case 9 -> endpoint.rpcRead(plain.address(at), buffer, 0, 8);
                                case 10 -> {
                                    // Two-sided, to itself: the record goes through this node's own eager ring.
                                    endpoint.trySend(endpoint.nodeId(), 5, buffer, 0, 64);
                                    endpoint.tryReceive(endpoint.nodeId(), 5, buffer, 0, 64);
                                }
                                default -> machine.addressSpace().migratePage(plain.address(at), mine.nextInt(NODES));
                            }
                        } catch (SupernodeFault fault) {
                            seen.merge(fault.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    }
                } catch (Throwable t) {
                    thrown.add(t);
                }
            }));
        }
        LockSupport.parkNanos(200_000 + random.nextInt(2_000_000));
        switch (close) {
            case MACHINE -> machine.close();
            case NODE -> machine.closeNode(random.nextInt(NODES));
            case DOMAIN -> domain.close();
        }
        LockSupport.parkNanos(500_000);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        domain.close();
        machine.close();
        List<String> raw = new ArrayList<>();
        for (Throwable t : thrown) {
            raw.add(where + ": " + t);
        }
        return raw;
    }
}
