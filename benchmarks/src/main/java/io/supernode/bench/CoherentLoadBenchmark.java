package io.supernode.bench;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentAccess;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Host cost of a load from another node's memory on the cloudmatrix384 preset, three ways:
 * {@code uncachedRemoteLoad}, the plain unified path (the baseline); {@code coherentHit}, a coherent
 * region whose 64 KiB fit in node 0's line cache, so every load after the first hits; and
 * {@code coherentMiss}, node 1 storing to the line before node 0 loads it, so every load is a miss
 * that forwards to the owner (two protocol transactions per operation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CoherentLoadBenchmark extends BenchmarkDefaults {

    /** Longs visited in turn: 64 KiB, 512 lines of 128 B, well inside a 4,096-line cache. */
    private static final int SLOTS = 8192;

    private Supernode machine;
    private CoherentMemory coherent;
    private NodeAccess plain0;
    private CoherentAccess npu0;
    private CoherentAccess npu1;
    private long plainBase;
    private long coherentBase;
    private int slot;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.cloudmatrix384());
        coherent = CoherentMemory.attach(machine, CoherenceConfig.DEFAULT);
        plainBase = machine.map(RegionSpec.of("uncached", 1 << 16, Placement.onNode(1))).baseAddress();
        Region region = coherent.map(RegionSpec.of("coherent", 1 << 16, Placement.onNode(1)), Protocol.MESI);
        coherentBase = region.baseAddress();
        plain0 = machine.node(0);
        npu0 = coherent.node(0);
        npu1 = coherent.node(1);
        for (int i = 0; i < SLOTS; i++) {
            plain0.storeLong(plainBase + 8L * i, i);
            npu0.storeLong(coherentBase + 8L * i, i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coherent.close();
        machine.close();
    }

    @Benchmark
    public long uncachedRemoteLoad() {
        slot = (slot + 1) & (SLOTS - 1);
        return plain0.loadLong(plainBase + 8L * slot);
    }

    @Benchmark
    public long coherentHit() {
        slot = (slot + 1) & (SLOTS - 1);
        return npu0.loadLong(coherentBase + 8L * slot);
    }

    @Benchmark
    public long coherentMiss() {
        slot = (slot + 1) & (SLOTS - 1);
        npu1.storeLong(coherentBase + 8L * slot, slot);
        return npu0.loadLong(coherentBase + 8L * slot);
    }
}
