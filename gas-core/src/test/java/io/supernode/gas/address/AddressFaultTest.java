package io.supernode.gas.address;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Addresses and placements refuse what they cannot represent instead of wrapping or exhausting memory. */
class AddressFaultTest {

    @Test
    void anOffsetAnAddressCannotHoldIsAFaultNotAWrapToTheRegionsStart() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region region = machine.map(RegionSpec.of("r", 4096, Placement.onNode(0)));
            machine.node(0).storeLong(region.address(0), 99);
            assertThrows(OutOfRangeFault.class, () -> region.address(1L << GlobalAddress.OFFSET_BITS));
            assertThrows(OutOfRangeFault.class, () -> region.address(-8));
            assertThrows(OutOfRangeFault.class, () -> machine.node(0).loadLong(region.address(region.sizeBytes())));
            assertEquals(99, machine.node(0).loadLong(region.address(0)));
        }
    }

    @Test
    void anInterleaveRangeBeyondAnyMachineIsRefusedBeforeItIsBuilt() {
        assertThrows(ConfigFault.class, () -> Placement.interleavedRange(0, Integer.MAX_VALUE));
        assertThrows(ConfigFault.class, () -> Placement.interleavedRange(-1, 4));
        assertEquals(4, Placement.interleavedRange(0, 4).nodes().size());
    }

    @Test
    void nothingTranslatesOnceTheMachineIsClosed() {
        Supernode machine = Supernode.boot(Presets.small());
        Region region = machine.map(RegionSpec.of("r", 4096, Placement.onNode(1)));
        assertEquals(1, machine.addressSpace().translate(region.address(0)).node());
        machine.close();
        assertThrows(SupernodeClosedFault.class, () -> machine.addressSpace().translate(region.address(0)));
    }
}
