package io.supernode.bench;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentAccess;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.stats.HostTiming;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Coherent hits from 1, 2 and 4 node threads at once (each JMH thread drives its own node), in operations per
 * microsecond summed over the threads: loads of a 64 KiB region homed on node 0 that every node holds in S
 * (read sharing), and stores to each node's own 64 KiB region, held in M. Hits take no lock, so the total
 * should grow with the threads up to the host's cores; past them (4 threads on 2 cores) it can only hold.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CoherentHitScalingBenchmark extends BenchmarkDefaults {

    /** Longs visited in turn: 64 KiB, 512 lines of 128 B, well inside a 4,096-line cache. */
    private static final int SLOTS = 8192;
    private static final int NODES = 4;

    /** The machine, its coherence domain and the regions, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Domain {
        Supernode machine;
        CoherentMemory coherent;
        long sharedBase;
        final long[] privateBase = new long[NODES];
        final AtomicInteger nextNode = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            machine = Supernode.boot(new SupernodeConfig("scaling", new Topology(1, NODES, "board", "NPU",
                    LinkProfiles.UB, LinkProfiles.HBM_ASCEND), 1 << 24, 1 << 16, 64, HostTiming.BULK_ONLY, 1));
            coherent = CoherentMemory.attach(machine, CoherenceConfig.DEFAULT);
            Region shared = coherent.map(RegionSpec.of("shared", SLOTS * 8L, Placement.onNode(0)), Protocol.MESI);
            sharedBase = shared.baseAddress();
            for (int i = 0; i < SLOTS; i++) {
                coherent.node(0).storeLong(sharedBase + 8L * i, i);
            }
            for (int node = 0; node < NODES; node++) {
                Region mine = coherent.map(RegionSpec.of("private" + node, SLOTS * 8L, Placement.onNode(node)), Protocol.MESI);
                privateBase[node] = mine.baseAddress();
                for (int i = 0; i < SLOTS; i++) {
                    coherent.node(node).loadLong(sharedBase + 8L * i);
                    coherent.node(node).storeLong(privateBase[node] + 8L * i, i);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            coherent.close();
            machine.close();
        }
    }

    /** One JMH thread's node. */
    @State(Scope.Thread)
    public static class Node {
        CoherentAccess access;
        long sharedBase;
        long privateBase;
        int slot;

        @Setup(Level.Trial)
        public void setUp(Domain domain) {
            int node = domain.nextNode.getAndIncrement() % NODES;
            access = domain.coherent.node(node);
            sharedBase = domain.sharedBase;
            privateBase = domain.privateBase[node];
        }

        long nextShared() {
            slot = (slot + 1) & (SLOTS - 1);
            return sharedBase + 8L * slot;
        }

        long nextPrivate() {
            slot = (slot + 1) & (SLOTS - 1);
            return privateBase + 8L * slot;
        }
    }

    @Benchmark
    @Threads(1)
    public long loadHit1(Node node) {
        return node.access.loadLong(node.nextShared());
    }

    @Benchmark
    @Threads(2)
    public long loadHit2(Node node) {
        return node.access.loadLong(node.nextShared());
    }

    @Benchmark
    @Threads(4)
    public long loadHit4(Node node) {
        return node.access.loadLong(node.nextShared());
    }

    @Benchmark
    @Threads(1)
    public void storeHit1(Node node) {
        node.access.storeLong(node.nextPrivate(), node.slot);
    }

    @Benchmark
    @Threads(2)
    public void storeHit2(Node node) {
        node.access.storeLong(node.nextPrivate(), node.slot);
    }

    @Benchmark
    @Threads(4)
    public void storeHit4(Node node) {
        node.access.storeLong(node.nextPrivate(), node.slot);
    }
}
