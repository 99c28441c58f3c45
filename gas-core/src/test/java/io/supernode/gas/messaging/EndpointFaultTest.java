package io.supernode.gas.messaging;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The copy path's entry points fault before anything moves: a read-only destination, a node the machine
 * lacks and an atomic without read permission each raise a typed fault, take no bounce buffer and change
 * no memory.
 */
class EndpointFaultTest {

    private static final int MIB = 1 << 20;

    @Test
    void readsIntoAReadOnlyDestinationFaultAndReturnEveryBounceBuffer() {
        for (CopyStack stack : CopyStack.all()) {
            try (Supernode machine = Supernode.boot(Presets.small()); Arena arena = Arena.ofConfined()) {
                Region remote = machine.map(RegionSpec.of("far", MIB, Placement.onNode(1)));
                MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
                Endpoint node0 = plane.endpoint(0);
                MemorySegment readOnly = arena.allocate(MIB).asReadOnly();
                // One successful get first, so that the pool holds whatever a get keeps between calls.
                node0.get(remote.address(0), arena.allocate(MIB), 0, MIB);
                long used = machine.memory(0).allocator().allocatedBytes();
                for (int i = 0; i < 20; i++) {
                    assertThrows(OutOfRangeFault.class, () -> node0.get(remote.address(0), readOnly, 0, MIB), stack.name());
                    assertThrows(OutOfRangeFault.class, () -> node0.rpcRead(remote.address(0), readOnly, 0, MIB), stack.name());
                }
                assertEquals(used, machine.memory(0).allocator().allocatedBytes(),
                        stack.name() + ": failing reads kept bounce buffers");
            }
        }
    }

    @Test
    void aReceiveIntoAReadOnlyDestinationFaultsAndTheMessageStaysQueued() {
        try (Supernode machine = Supernode.boot(Presets.small()); Arena arena = Arena.ofConfined()) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.TCP_HOST_STAGED, MessagePlane.Service.INLINE);
            MemorySegment payload = arena.allocate(64);
            payload.set(ValueLayout.JAVA_LONG, 0, 42);
            plane.endpoint(0).trySend(1, 7, payload, 0, 64);
            MemorySegment readOnly = arena.allocate(64).asReadOnly();
            assertThrows(OutOfRangeFault.class, () -> plane.endpoint(1).tryReceive(0, 7, readOnly, 0, 64));
            MemorySegment into = arena.allocate(64);
            assertEquals(64, plane.endpoint(1).tryReceive(0, 7, into, 0, 64));
            assertEquals(42, into.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void atomicsNeedReadPermissionOnTheOwnersServiceAndOnTheNic() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region writeOnly = machine.map(RegionSpec.of("w", 4096, Placement.onNode(1))
                    .withPermissions(Permissions.grants(new int[] {1}, new int[] {0, 1})));
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            machine.node(1).storeLong(writeOnly.address(0), 5);
            Endpoint node0 = plane.endpoint(0);
            long at = writeOnly.address(0);
            assertThrows(PermissionFault.class, () -> node0.rpcGetAndAddLong(at, 1));
            assertThrows(PermissionFault.class, () -> node0.nicGetAndAddLong(at, 1));
            assertThrows(PermissionFault.class, () -> node0.rpcCompareAndExchangeLong(at, 5, 6));
            assertThrows(PermissionFault.class, () -> node0.nicCompareAndExchangeLong(at, 5, 6));
            assertEquals(5, machine.node(1).loadLong(at), "a refused atomic changed memory");
        }
    }

    @Test
    void anEndpointOfANodeTheMachineLacksIsATypedFault() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            assertThrows(OutOfRangeFault.class, () -> plane.endpoint(-1));
            assertThrows(OutOfRangeFault.class, () -> plane.endpoint(machine.nodeCount()));
        }
    }

    @Test
    void noMessagePlaneIsSetUpOnAClosedMachine() {
        Supernode machine = Supernode.boot(Presets.small());
        machine.close();
        assertThrows(SupernodeClosedFault.class,
                () -> new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE));
    }
}
