package io.supernode.gas;

import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.stats.HostTiming;

/** Small machines for tests: cheap to boot many times per property. */
final class TestMachines {

    private TestMachines() {
    }

    /** 2 boards x 2 NPUs over UB, {@code memoryBytes} each, 4 KiB default pages. */
    static SupernodeConfig fourNodes(long memoryBytes) {
        return new SupernodeConfig("test4", new Topology(2, 2, "board", "NPU", LinkProfiles.UB, LinkProfiles.HBM_ASCEND),
                memoryBytes, 4096, 16, HostTiming.BULK_ONLY, 1);
    }
}
