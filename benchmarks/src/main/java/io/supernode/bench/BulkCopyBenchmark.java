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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A 1 MiB bulk read from a remote node through the global address space against a raw
 * {@code MemorySegment.copy} of the same bytes. Both move the bytes for real; the emulator adds
 * translation of 16 pages, the fabric reservation and stats. Target: at least 0.8x the raw bandwidth
 * (the ratio of the two throughputs).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class BulkCopyBenchmark extends BenchmarkDefaults {

    private static final long SIZE = 1 << 20;

    private Supernode machine;
    private NodeAccess npu0;
    private long address;
    private MemorySegment source;
    private long sourceOffset;
    private MemorySegment destination;
    private Arena arena;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.cloudmatrix384());
        Region region = machine.map(RegionSpec.of("block", SIZE, Placement.onNode(383)));
        arena = Arena.ofShared();
        destination = arena.allocate(SIZE, 64);
        destination.fill((byte) 1);
        npu0 = machine.node(0);
        address = region.baseAddress();
        npu0.write(destination, 0, address, SIZE);
        long entry = region.entry(0);
        source = machine.addressSpace().nodeSegment(PageTableEntry.node(entry));
        sourceOffset = PageTableEntry.offset(entry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        machine.close();
        arena.close();
    }

    @Benchmark
    public MemorySegment unifiedRead() {
        npu0.read(address, destination, 0, SIZE);
        return destination;
    }

    @Benchmark
    public MemorySegment rawCopy() {
        MemorySegment.copy(source, sourceOffset, destination, 0, SIZE);
        return destination;
    }
}
