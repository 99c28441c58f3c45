package io.supernode.gas;

import io.supernode.gas.address.PageTableEntry;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.address.Translation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Translation maps mapped virtual pages one to one onto allocated physical pages. */
class TranslationProperties {

    @Property(tries = 100)
    void translationIsABijectionOntoAllocatedFramesAndNothingLeaks(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40_000) Integer> regionSizes,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 10_000) Integer> migrations) {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            List<Region> regions = new ArrayList<>();
            for (int i = 0; i < regionSizes.size(); i++) {
                Placement placement = i % 2 == 0 ? Placement.interleaved(0, 1, 2, 3) : Placement.onNode(i % 4);
                regions.add(machine.map(RegionSpec.of("r" + i, regionSizes.get(i), placement)));
            }
            for (int m : migrations) {
                Region r = regions.get(m % regions.size());
                machine.addressSpace().migratePage(r.address((long) (m % r.pageCount()) * r.pageSizeBytes()), m % 4);
            }
            Set<Long> frames = new HashSet<>();
            long[] pagesOnNode = new long[4];
            for (Region r : regions) {
                for (int p = 0; p < r.pageCount(); p++) {
                    long entry = r.entry(p);
                    assertTrue(frames.add(entry), "two virtual pages share frame " + Long.toHexString(entry));
                    pagesOnNode[PageTableEntry.node(entry)]++;
                    long inPage = Math.min(1, r.sizeBytes() - 1 - (long) p * r.pageSizeBytes());
                    Translation t = machine.addressSpace().translate(r.address((long) p * r.pageSizeBytes() + inPage));
                    assertEquals(PageTableEntry.node(entry), t.node());
                    assertEquals(PageTableEntry.offset(entry) + inPage, t.physicalOffset());
                }
            }
            for (int node = 0; node < 4; node++) {
                assertEquals(pagesOnNode[node] * 4096, machine.memory(node).allocator().allocatedBytes(),
                        "node " + node + ": every allocated frame backs exactly one virtual page");
            }
            regions.forEach(machine::unmap);
            for (int node = 0; node < 4; node++) {
                assertEquals(0, machine.memory(node).allocator().allocatedBytes(), "node " + node + " leaked");
                assertEquals(1, machine.memory(node).allocator().freeExtents());
            }
        }
    }

    @Property(tries = 100)
    void interleavingSpreadsPagesEvenly(@ForAll @IntRange(min = 1, max = 300) int pages,
                                        @ForAll @IntRange(min = 1, max = 8) int nodes) {
        try (Supernode machine = Supernode.boot(Presets.small().withMemoryPerNode(1 << 24).withPageSize(4096))) {
            Region r = machine.map(RegionSpec.of("spread", pages * 4096L, Placement.interleavedRange(0, nodes)));
            int[] count = new int[nodes];
            for (int p = 0; p < r.pageCount(); p++) {
                count[r.nodeOfPage(p)]++;
            }
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int c : count) {
                min = Math.min(min, c);
                max = Math.max(max, c);
            }
            assertTrue(max - min <= 1, "pages per node differ by " + (max - min));
        }
    }
}
