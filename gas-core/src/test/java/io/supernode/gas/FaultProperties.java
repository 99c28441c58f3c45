package io.supernode.gas;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.NotContiguousFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnmappedAddressFault;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every bad input from a generated set raises the right typed fault and leaves memory unchanged. */
class FaultProperties {

    /** The kinds of bad input, each with the fault it must raise. */
    enum Bad {
        UNMAPPED_REGION(UnmappedAddressFault.class),
        SCALAR_PAST_END(OutOfRangeFault.class),
        BULK_PAST_END(OutOfRangeFault.class),
        NEGATIVE_LENGTH(OutOfRangeFault.class),
        LOCAL_SEGMENT_TOO_SMALL(OutOfRangeFault.class),
        STORE_TO_READ_ONLY(PermissionFault.class),
        BULK_WRITE_TO_READ_ONLY(PermissionFault.class),
        ATOMIC_ON_READ_ONLY(PermissionFault.class),
        LOAD_FROM_OWNER_ONLY(PermissionFault.class),
        MISALIGNED_ATOMIC(MisalignedAtomicFault.class),
        LOAD_FROM_CLOSED_NODE(NodeClosedFault.class),
        ISSUED_BY_CLOSED_NODE(NodeClosedFault.class),
        BULK_WRITE_SPANNING_CLOSED_NODE(NodeClosedFault.class),
        VIEW_ACROSS_NODES(NotContiguousFault.class),
        MIGRATE_TO_MISSING_NODE(OutOfRangeFault.class);

        final Class<? extends SupernodeFault> fault;

        Bad(Class<? extends SupernodeFault> fault) {
            this.fault = fault;
        }
    }

    @Property(tries = 400)
    void badInputRaisesItsTypedFaultAndChangesNoMemory(@ForAll Bad bad, @ForAll @IntRange(min = 0, max = 1 << 20) int raw,
                                                      @ForAll long seed) {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            Region shared = machine.map(RegionSpec.of("shared", 3 * 4096 + 100, Placement.interleaved(0, 1, 2)));
            Region readOnly = machine.map(RegionSpec.of("ro", 4096, Placement.onNode(1)));
            Region owned = machine.map(RegionSpec.of("owned", 4096, Placement.onNode(2))
                    .withPermissions(Permissions.ownerOnly(2)));
            Region doomed = machine.map(RegionSpec.of("doomed", 8192, Placement.explicit(1, 3)));
            Random random = new Random(seed);
            for (Region r : new Region[] {shared, readOnly, owned, doomed}) {
                byte[] fill = new byte[(int) r.sizeBytes()];
                random.nextBytes(fill);
                NodeAccess writer = machine.node(r == owned ? 2 : 0);
                writer.write(MemorySegment.ofArray(fill), 0, r.baseAddress(), fill.length);
            }
            machine.addressSpace().protect(readOnly, Permissions.readOnly());
            machine.closeNode(3);
            byte[][] before = {snapshot(machine, shared), snapshot(machine, readOnly), snapshot(machine, owned)};
            byte[] doomedFirstPage = new byte[4096];
            machine.node(1).read(doomed.baseAddress(), MemorySegment.ofArray(doomedFirstPage), 0, 4096);

            NodeAccess a = machine.node(raw % 3);
            SupernodeFault fault = assertThrows(bad.fault, () -> attempt(machine, a, bad, raw, shared, readOnly, owned, doomed),
                    bad + " with raw " + raw);
            assertEquals(bad.fault, fault.getClass());

            assertArrayEquals(before[0], snapshot(machine, shared), bad + " changed " + shared);
            assertArrayEquals(before[1], snapshot(machine, readOnly), bad + " changed " + readOnly);
            assertArrayEquals(before[2], snapshot(machine, owned), bad + " changed " + owned);
            byte[] after = new byte[4096];
            machine.node(1).read(doomed.baseAddress(), MemorySegment.ofArray(after), 0, 4096);
            assertArrayEquals(doomedFirstPage, after, bad + " changed the live page of " + doomed);
        }
    }

    private static void attempt(Supernode machine, NodeAccess a, Bad bad, int raw, Region shared, Region readOnly,
                                Region owned, Region doomed) {
        MemorySegment buffer = Arena.ofAuto().allocate(1 << 16);
        int scalar = 1 << (raw % 4);
        switch (bad) {
            case UNMAPPED_REGION -> a.loadLong(GlobalAddress.of(1000 + raw % 5000, raw));
            case SCALAR_PAST_END -> a.storeLong(shared.address(shared.sizeBytes() - 7 + raw % 100), raw);
            case BULK_PAST_END -> a.write(buffer, 0, shared.address(raw % shared.sizeBytes()),
                    shared.sizeBytes() - raw % shared.sizeBytes() + 1 + raw % 1000);
            case NEGATIVE_LENGTH -> a.read(shared.address(raw % shared.sizeBytes()), buffer, 0, -1 - raw);
            case LOCAL_SEGMENT_TOO_SMALL -> a.write(buffer.asSlice(0, 16), 0, shared.baseAddress(), 17 + raw % 1000);
            case STORE_TO_READ_ONLY -> {
                switch (scalar) {
                    case 1 -> a.storeByte(readOnly.address(raw % 4096), (byte) 1);
                    case 2 -> a.storeShort(readOnly.address(raw % 4095), (short) 1);
                    case 4 -> a.storeInt(readOnly.address(raw % 4093), 1);
                    default -> a.storeDouble(readOnly.address(raw % 4089), 1.0);
                }
            }
            case BULK_WRITE_TO_READ_ONLY -> a.write(buffer, 0, readOnly.baseAddress(), 1 + raw % 4096);
            case ATOMIC_ON_READ_ONLY -> a.getAndAddLong(readOnly.address(8L * (raw % 512)), 1);
            case LOAD_FROM_OWNER_ONLY -> machine.node(raw % 2).loadInt(owned.address(raw % 4093));
            case MISALIGNED_ATOMIC -> a.compareAndSetLong(shared.address(8L * (raw % 1000) + 1 + raw % 7), 0, 1);
            case LOAD_FROM_CLOSED_NODE -> a.loadByte(doomed.address(4096 + raw % 4096));
            case ISSUED_BY_CLOSED_NODE -> machine.node(3).loadByte(shared.address(raw % shared.sizeBytes()));
            case BULK_WRITE_SPANNING_CLOSED_NODE -> a.write(buffer, 0, doomed.address(1 + raw % 4095), 4096);
            case VIEW_ACROSS_NODES -> a.view(shared.address(4096 - 1 - raw % 100), 2 + raw % 100);
            case MIGRATE_TO_MISSING_NODE -> machine.addressSpace().migratePage(shared.baseAddress(), 4 + raw % 100);
        }
    }

    private static byte[] snapshot(Supernode machine, Region r) {
        MemorySegment copy = Arena.ofAuto().allocate(r.sizeBytes());
        machine.node(2).read(r.baseAddress(), copy, 0, r.sizeBytes());
        return copy.toArray(ValueLayout.JAVA_BYTE);
    }
}
