package io.supernode.gas;

import io.supernode.gas.address.AccessMode;
import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Region permissions decide per node, and changing them takes effect at the next access. */
class PermissionsTest {

    @Test
    void grantsDecidePerNodeAndKind() {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            Region r = machine.map(RegionSpec.of("granted", 4096, Placement.onNode(0))
                    .withPermissions(Permissions.grants(new int[] {1, 2}, new int[] {2})));
            machine.node(2).storeInt(r.baseAddress(), 7);
            assertEquals(7, machine.node(1).loadInt(r.baseAddress()));
            PermissionFault write = assertThrows(PermissionFault.class, () -> machine.node(1).storeInt(r.baseAddress(), 1));
            assertEquals(1, write.nodeId());
            assertEquals(r.id(), write.regionId());
            assertEquals(r.baseAddress(), write.address());
            assertThrows(PermissionFault.class, () -> machine.node(3).loadInt(r.baseAddress()));
            assertThrows(PermissionFault.class, () -> machine.node(0).loadInt(r.baseAddress()),
                    "the home node has no implicit rights");
        }
    }

    @Test
    void protectingARegionTakesEffectAtTheNextAccessEvenOnAWarmPage() {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            Region r = machine.map(RegionSpec.of("r", 4096, Placement.onNode(1)));
            machine.node(0).storeLong(r.baseAddress(), 1);
            machine.node(0).storeLong(r.baseAddress(), 2);
            machine.addressSpace().protect(r, Permissions.readOnly());
            assertThrows(PermissionFault.class, () -> machine.node(0).storeLong(r.baseAddress(), 3));
            assertEquals(2, machine.node(0).loadLong(r.baseAddress()));
            machine.addressSpace().protect(r, Permissions.ownerOnly(3));
            assertThrows(PermissionFault.class, () -> machine.node(0).loadLong(r.baseAddress()));
            assertEquals(2, machine.node(3).loadLong(r.baseAddress()));
        }
    }

    @Test
    void aCoherentRegionRefusesEveryPathThatWouldBypassItsProtocol() {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            Region r = machine.map(RegionSpec.of("cached", 4096, Placement.onNode(1)).withAccessMode(AccessMode.COHERENT));
            long a = r.baseAddress();
            UnsupportedAccessFault load = assertThrows(UnsupportedAccessFault.class, () -> machine.node(0).loadLong(a));
            assertTrue(load.getMessage().contains("COHERENT") && load.getMessage().contains("'cached'"), load.getMessage());
            assertEquals(r.id(), load.regionId());
            assertThrows(UnsupportedAccessFault.class, () -> machine.node(1).storeInt(a, 1), "not even the home node");
            assertThrows(UnsupportedAccessFault.class, () -> machine.node(0).getAndAddLong(a, 1));
            assertThrows(UnsupportedAccessFault.class, () -> machine.node(0).view(a, 64));
            MessagePlane plane = new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
            MemorySegment into = Arena.ofAuto().allocate(8);
            assertThrows(UnsupportedAccessFault.class, () -> plane.endpoint(0).rpcRead(a, into, 0, 8));
        }
    }
}
