package io.supernode.coherence.access;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.DomainClosedFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Closing a coherence domain, a node under it or the machine loses nothing and leaks nothing: dirty lines
 * go home, the regions stay reachable, the caches' memory is zeroed before it is given back, and every later
 * use is a typed fault.
 */
class CoherentLifecycleTest {

    private static final long MARK = 0x5AFE_C0DE_5AFE_C0DEL;

    @Test
    void closingTheDomainWritesDirtyLinesHomeAndHandsTheRegionBack() {
        try (Supernode m = CoherentMemoryTest.machine()) {
            CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MESI);
            cm.node(0).storeLong(r.address(64), 41);
            cm.node(1).storeLong(r.address(4096), 42);
            cm.close();
            assertEquals(41, m.node(2).loadLong(r.address(64)), "a dirty line was lost");
            assertEquals(42, m.node(2).loadLong(r.address(4096)), "a dirty line was lost");
        }
    }

    @Test
    void aHandleKeptAfterCloseFaultsAndTheDomainMapsNothing() {
        try (Supernode m = CoherentMemoryTest.machine()) {
            CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            CoherentAccess kept = cm.node(0);
            kept.storeLong(r.address(0), 7);
            cm.close();
            assertThrows(DomainClosedFault.class, () -> kept.loadLong(r.address(0)), "a hit after close");
            assertThrows(DomainClosedFault.class, () -> kept.storeLong(r.address(0), 8));
            assertThrows(DomainClosedFault.class, () -> kept.getAndAddLong(r.address(0), 1));
            assertThrows(DomainClosedFault.class, () -> cm.node(1).loadLong(r.address(128)), "a miss after close");
            assertThrows(DomainClosedFault.class, () -> cm.map(RegionSpec.of("late", 4096, Placement.onNode(0)), Protocol.MSI));
            assertThrows(DomainClosedFault.class, cm::writeBackAll);
            assertEquals(7, m.node(1).loadLong(r.address(0)));
            assertDoesNotThrow(cm::close, "close is idempotent");
        }
    }

    /** Before, the caches went back unzeroed, and the next region mapped there read the closed domain's lines. */
    @Test
    void theCachesMemoryIsZeroedBeforeItIsGivenBack() {
        try (Supernode m = CoherentMemoryTest.machine()) {
            CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            for (int i = 0; i < 16; i++) {
                cm.node(0).storeLong(r.address(64L * i), MARK);
            }
            cm.close();
            assertEquals(0, occurrences(m.memory(0).segment(), MARK), "node 0's memory still holds the cache's lines");
            assertEquals(16, occurrences(m.memory(3).segment(), MARK), "home memory holds each line once");
        }
    }

    @Test
    void closingANodeWritesItsLinesHomeAndLeavesTheOthersWorking() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region onThree = cm.map(RegionSpec.of("three", 4096, Placement.onNode(3)), Protocol.MSI);
            Region onTwo = cm.map(RegionSpec.of("two", 4096, Placement.onNode(2)), Protocol.MESI);
            cm.node(1).storeLong(onThree.address(0), 5);
            cm.node(1).storeLong(onTwo.address(0), 6);
            cm.node(0).loadLong(onTwo.address(64));
            m.closeNode(1);
            assertEquals(5, cm.node(0).loadLong(onThree.address(0)), "node 1's dirty line was lost");
            assertEquals(6, cm.node(2).loadLong(onTwo.address(0)));
            assertThrows(NodeClosedFault.class, () -> cm.node(1).loadLong(onThree.address(0)));
            m.closeNode(3);
            assertThrows(NodeClosedFault.class, () -> cm.node(0).loadLong(onThree.address(0)), "its home is closed");
            cm.node(0).storeLong(onTwo.address(0), 9);
            assertEquals(9, cm.node(2).loadLong(onTwo.address(0)), "lines homed on open nodes keep working");
        }
    }

    @Test
    void aBulkWriteOverAClosedHomeFaultsBeforeItsFirstLine() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            Region r = cm.map(RegionSpec.of("split", 8192, Placement.interleaved(2, 3)), Protocol.MSI);
            m.closeNode(3);
            MemorySegment ones = arena.allocate(8192).fill((byte) 1);
            assertThrows(NodeClosedFault.class, () -> cm.node(0).write(ones, 0, r.address(0), 8192));
            assertEquals(0, cm.node(0).loadLong(r.address(0)), "the first page changed");
        }
    }

    @Test
    void closingTheMachineUnderTheDomainGivesTypedFaults() {
        Supernode m = CoherentMemoryTest.machine();
        CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
        Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
        cm.node(0).storeLong(r.address(0), 1);
        CoherentAccess kept = cm.node(0);
        m.close();
        assertThrows(SupernodeClosedFault.class, () -> kept.loadLong(r.address(0)));
        assertThrows(SupernodeClosedFault.class, () -> cm.node(1).storeLong(r.address(64), 2));
        assertDoesNotThrow(cm::close);
    }

    private static int occurrences(MemorySegment memory, long value) {
        int count = 0;
        for (long at = 0; at < memory.byteSize(); at += Long.BYTES) {
            if (memory.get(ValueLayout.JAVA_LONG, at) == value) {
                count++;
            }
        }
        return count;
    }
}
