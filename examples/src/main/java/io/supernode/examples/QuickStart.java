package io.supernode.examples;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.OpKind;

/**
 * Teaches global addressing: one region spread over all 384 NPUs of a CloudMatrix384, written by one
 * NPU and read by another with plain loads, with the modeled cost of each and where the bytes went.
 * The README shows this class as the API example.
 */
public final class QuickStart {

    private QuickStart() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        try (Supernode machine = Supernode.boot(Presets.cloudmatrix384())) {          // 48 TiB, reserved not committed
            Region table = machine.map(RegionSpec.of("table", ByteSize.gib(1).bytes(),
                    Placement.interleavedRange(0, machine.nodeCount())));              // 64 KiB pages dealt over all NPUs
            long address = table.address(383 * table.pageSizeBytes());               // a page that lives on NPU 383
            System.out.println(machine.addressSpace().translate(address));

            NodeAccess npu0 = machine.node(0);
            npu0.storeLong(address, 42);                                              // posted store, across boards
            npu0.fence();                                                             // wait until it has landed
            NodeAccess npu7 = machine.node(7);
            long value = npu7.loadLong(address);                                      // another NPU loads it in place
            System.out.printf("NPU 7 read %d at modeled t=%d ns%n", value, npu7.clock().nowNanos());
            System.out.printf("loads: %s%n", machine.stats().total(OpKind.LOAD));
            System.out.print(machine.stats().linksCsv());                             // bytes per link crossed
        }
    }
}
