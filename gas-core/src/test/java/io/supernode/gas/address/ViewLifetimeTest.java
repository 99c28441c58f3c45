package io.supernode.gas.address;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A view lives as long as its pages stay where they are. Kept past an unmapping, a migration or a close,
 * it fails on use instead of reaching memory that may belong to someone else by then.
 */
class ViewLifetimeTest {

    /** Before, the kept view wrote into the region mapped next at the same frames. */
    @Test
    void aViewKeptAcrossUnmapFaultsAndTheNextRegionThereIsUntouched() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region first = machine.map(RegionSpec.of("first", 4096, Placement.onNode(0)));
            MemorySegment kept = machine.node(0).view(first.address(0), 4096);
            machine.unmap(first);
            Region next = machine.map(RegionSpec.of("next", 4096, Placement.onNode(0)));
            assertThrows(IllegalStateException.class, () -> kept.set(ValueLayout.JAVA_LONG, 0, 42));
            assertEquals(0, machine.node(0).loadLong(next.address(0)));
        }
    }

    @Test
    void aViewKeptAcrossAMigrationFaultsAndANewOneShowsTheMovedPage() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region r = machine.map(RegionSpec.of("r", 8192, Placement.onNode(1)));
            machine.node(1).storeLong(r.address(0), 7);
            MemorySegment kept = machine.node(0).view(r.address(0), 64);
            machine.addressSpace().migratePage(r.address(0), 2);
            assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(7, machine.node(0).view(r.address(0), 64).get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void aViewKeptAcrossItsNodesCloseOrTheMachinesFaultsInsteadOfCrashing() {
        Supernode machine = Supernode.boot(Presets.small());
        Region onOne = machine.map(RegionSpec.of("one", 4096, Placement.onNode(1)));
        Region onTwo = machine.map(RegionSpec.of("two", 4096, Placement.onNode(2)));
        MemorySegment viewOne = machine.node(0).view(onOne.address(0), 4096);
        MemorySegment viewTwo = machine.node(0).view(onTwo.address(0), 4096);
        machine.closeNode(1);
        assertThrows(IllegalStateException.class, () -> viewOne.get(ValueLayout.JAVA_LONG, 0));
        viewTwo.set(ValueLayout.JAVA_LONG, 0, 3);
        assertEquals(3, machine.node(0).loadLong(onTwo.address(0)), "views of other nodes' pages still work");
        machine.close();
        assertThrows(IllegalStateException.class, () -> viewTwo.get(ValueLayout.JAVA_LONG, 0));
    }
}
