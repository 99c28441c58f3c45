package io.supernode.gas.memory;

import io.supernode.gas.fault.OutOfNodeMemoryFault;
import io.supernode.gas.fault.OutOfRangeFault;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The physical allocator never hands out overlapping or misaligned extents and never leaks. */
class PhysicalAllocatorProperties {

    private static final long CAPACITY = 1 << 20;

    /** An allocation request (size in 64-byte units, alignment as a power of two) or a free of one live extent. */
    record Op(boolean allocate, int sizeUnits, int alignShift, int victim) {
    }

    @Property(tries = 300)
    void liveExtentsNeverOverlapAreAlignedAndAllFreeingRestoresOneExtent(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> raws) {
        PhysicalAllocator allocator = new PhysicalAllocator(0, CAPACITY);
        List<long[]> live = new ArrayList<>();
        for (int raw : raws) {
            boolean allocate = live.isEmpty() || raw % 3 != 0;
            if (allocate) {
                long size = 64L * (1 + (raw >>> 2) % 512);
                long alignment = 1L << ((raw >>> 12) % 13);
                try {
                    long offset = allocator.allocate(size, alignment);
                    assertEquals(0, offset % alignment, "alignment " + alignment);
                    assertTrue(offset >= 0 && offset + size <= CAPACITY, "inside capacity");
                    for (long[] other : live) {
                        assertTrue(offset + size <= other[0] || other[0] + other[1] <= offset,
                                "[" + offset + ",+" + size + ") overlaps [" + other[0] + ",+" + other[1] + ")");
                    }
                    live.add(new long[] {offset, size});
                } catch (OutOfNodeMemoryFault full) {
                    assertTrue(allocator.freeBytes() < size + alignment || allocator.freeExtents() > 1,
                            "refused although one free extent of " + allocator.freeBytes() + " bytes was left");
                }
            } else {
                long[] victim = live.remove((raw >>> 2) % live.size());
                allocator.free(victim[0], victim[1]);
            }
            long used = live.stream().mapToLong(e -> e[1]).sum();
            assertEquals(used, allocator.allocatedBytes(), "allocated bytes");
        }
        for (long[] e : live) {
            allocator.free(e[0], e[1]);
        }
        assertEquals(CAPACITY, allocator.freeBytes());
        assertEquals(1, allocator.freeExtents(), "freeing everything coalesces back to one extent");
    }

    @Test
    void exhaustionIsATypedFaultNamingTheNode() {
        PhysicalAllocator allocator = new PhysicalAllocator(7, 4096);
        allocator.allocate(4096, 4096);
        OutOfNodeMemoryFault fault = assertThrows(OutOfNodeMemoryFault.class, () -> allocator.allocate(64, 64));
        assertEquals(7, fault.nodeId());
    }

    @Test
    void doubleFreeAndForeignRangesAreRefused() {
        PhysicalAllocator allocator = new PhysicalAllocator(0, 8192);
        long a = allocator.allocate(4096, 4096);
        allocator.free(a, 4096);
        assertThrows(OutOfRangeFault.class, () -> allocator.free(a, 4096));
        assertThrows(OutOfRangeFault.class, () -> allocator.free(8000, 4096));
        assertThrows(OutOfRangeFault.class, () -> allocator.allocate(0, 64));
        assertThrows(OutOfRangeFault.class, () -> allocator.allocate(64, 3));
    }

    @Test
    void partOfAnAllocationCanBeFreedAndTheRestLater() {
        PhysicalAllocator allocator = new PhysicalAllocator(0, 1 << 16);
        long base = allocator.allocate(4 * 4096, 4096);
        allocator.free(base + 4096, 4096);
        allocator.free(base, 4096);
        allocator.free(base + 3 * 4096, 4096);
        allocator.free(base + 2 * 4096, 4096);
        assertEquals(1 << 16, allocator.freeBytes());
        assertEquals(1, allocator.freeExtents());
    }
}
