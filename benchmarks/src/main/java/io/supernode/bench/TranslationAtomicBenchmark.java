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
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Address translation and remote atomics on cloudmatrix384, each beside its bare floor in the same run:
 * a page-table walk of a page the translation cache does not hold (4,096 pages cycled through a 512-entry
 * cache) against a load whose translation hits, and a remote fetch-and-add through the address space
 * against a bare {@code VarHandle} fetch-and-add on the same memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TranslationAtomicBenchmark extends BenchmarkDefaults {

    private static final int PAGES = 4096;
    private static final long PAGE = 64 * 1024;
    private static final VarHandle RAW_LONG = ValueLayout.JAVA_LONG.varHandle();

    private Supernode machine;
    private NodeAccess npu0;
    private long base;
    private MemorySegment raw;
    private long rawOffset;
    private int page;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.cloudmatrix384());
        Region region = machine.map(RegionSpec.of("pages", PAGES * PAGE, Placement.interleavedRange(1, 9)));
        npu0 = machine.node(0);
        base = region.baseAddress();
        long entry = region.entry(0);
        raw = machine.addressSpace().nodeSegment(PageTableEntry.node(entry));
        rawOffset = PageTableEntry.offset(entry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        machine.close();
    }

    /** A load whose page the translation cache no longer holds: a page-table walk, then the load. */
    @Benchmark
    public long loadMissingTranslation() {
        page = (page + 1) & (PAGES - 1);
        return npu0.loadLong(base + page * PAGE);
    }

    /** A load of the same page every time: the translation hits. */
    @Benchmark
    public long loadHittingTranslation() {
        return npu0.loadLong(base);
    }

    /** A fetch-and-add on a remote node through the address space (atomic on the real bytes, modeled round trip). */
    @Benchmark
    public long remoteGetAndAdd() {
        return npu0.getAndAddLong(base, 1);
    }

    /** The floor: the same fetch-and-add straight on the owner's memory. */
    @Benchmark
    public long rawGetAndAdd() {
        return (long) RAW_LONG.getAndAdd(raw, rawOffset, 1L);
    }
}
