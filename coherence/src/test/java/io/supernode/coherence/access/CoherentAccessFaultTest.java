package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The coherent access mode checks everything before the first line moves: a local segment too short or
 * read-only, an atomic without read permission and a node the domain lacks are typed faults, and after
 * one no line has changed state and no byte has changed.
 */
class CoherentAccessFaultTest {

    @Test
    void aWriteFromASegmentTooShortFaultsBeforeItsFirstLine() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            MemorySegment shortSource = arena.allocate(100).fill((byte) 7);
            assertThrows(OutOfRangeFault.class, () -> cm.node(0).write(shortSource, 0, r.address(0), 200));
            assertThrows(OutOfRangeFault.class, () -> cm.node(0).write(shortSource, 90, r.address(0), 20));
            assertEquals(CacheState.I, cm.lineState(0, r.address(0)), "a faulting write took a line");
            assertEquals(0, cm.stats(0).storeMisses());
            assertEquals(0, cm.node(1).loadByte(r.address(0)), "a faulting write changed memory");
        }
    }

    @Test
    void aReadIntoAReadOnlySegmentFaultsBeforeItsFirstLine() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            cm.node(1).storeLong(r.address(0), 5);
            MemorySegment readOnly = arena.allocate(256).asReadOnly();
            assertThrows(OutOfRangeFault.class, () -> cm.node(0).read(r.address(0), readOnly, 0, 256));
            assertThrows(OutOfRangeFault.class, () -> cm.node(0).read(r.address(0), arena.allocate(100), 0, 256));
            assertEquals(0, cm.stats(0).loadMisses(), "a faulting read ran the protocol");
            assertEquals(CacheState.M, cm.lineState(1, r.address(0)), "a faulting read downgraded the owner");
        }
    }

    @Test
    void anAtomicNeedsReadPermissionAsWellAsWrite() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("writeOnly", 8192, Placement.onNode(3))
                    .withPermissions(Permissions.grants(new int[] {3}, new int[] {0, 3})), Protocol.MSI);
            cm.node(3).storeLong(r.address(0), 5);
            assertThrows(PermissionFault.class, () -> cm.node(0).getAndAddLong(r.address(0), 1));
            assertThrows(PermissionFault.class, () -> cm.node(0).getAndSetLong(r.address(0), 1));
            assertThrows(PermissionFault.class, () -> cm.node(0).compareAndSetLong(r.address(0), 5, 6));
            assertEquals(5, cm.node(3).loadLong(r.address(0)));
            assertEquals(0, cm.stats(0).atomics());
        }
    }

    @Test
    void aNodeTheDomainLacksIsATypedFaultOnEveryLookup() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            assertThrows(OutOfRangeFault.class, () -> cm.node(99));
            assertThrows(OutOfRangeFault.class, () -> cm.node(-1));
            assertThrows(OutOfRangeFault.class, () -> cm.stats(4));
            assertThrows(OutOfRangeFault.class, () -> cm.lineState(5, r.address(0)));
            assertThrows(OutOfRangeFault.class, () -> cm.path(7));
        }
    }

    @Test
    void aWholeLineReadStillWorksIntoAWritableSegment() {
        try (Supernode m = CoherentMemoryTest.machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            cm.node(1).storeLong(r.address(64), 9);
            MemorySegment into = arena.allocate(256);
            cm.node(0).read(r.address(0), into, 0, 256);
            assertEquals(9, into.get(ValueLayout.JAVA_LONG, 64));
        }
    }
}
