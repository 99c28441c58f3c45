package io.supernode.bench;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.PageTableEntry;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * A scalar remote load through the global address space (region lookup, bounds and permission
 * checks, page table, translation cache, fabric charge, stats) against a raw {@code MemorySegment.get}
 * of the same value from the same memory. Target: the unified load within 3x the raw get.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ScalarLoadBenchmark extends BenchmarkDefaults {

    /** Longs visited in turn: one 64 KiB page, so every translation hits after the first. */
    private static final int SLOTS = 8192;

    private Supernode machine;
    private NodeAccess npu0;
    private long base;
    private MemorySegment raw;
    private long rawBase;
    private int slot;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.cloudmatrix384());
        Region region = machine.map(RegionSpec.of("remote", 1 << 16, Placement.onNode(1)));
        npu0 = machine.node(0);
        base = region.baseAddress();
        for (int i = 0; i < SLOTS; i++) {
            npu0.storeLong(base + 8L * i, i);
        }
        long entry = region.entry(0);
        raw = machine.addressSpace().nodeSegment(PageTableEntry.node(entry));
        rawBase = PageTableEntry.offset(entry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        machine.close();
    }

    @Benchmark
    public long unifiedLoad() {
        slot = (slot + 1) & (SLOTS - 1);
        return npu0.loadLong(base + 8L * slot);
    }

    @Benchmark
    public long rawSegmentGet() {
        slot = (slot + 1) & (SLOTS - 1);
        return raw.get(ValueLayout.JAVA_LONG_UNALIGNED, rawBase + 8L * slot);
    }
}
