package io.supernode.gas;

import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.PermissionFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
