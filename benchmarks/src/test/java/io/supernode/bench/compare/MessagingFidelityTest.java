package io.supernode.bench.compare;

import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Modeled message and load costs against the published measurements in docs/FABRIC-PROFILES.md (within 10 %),
 * measured the way the benchmarks measure them: half a ping-pong for messages, one load for loads.
 */
class MessagingFidelityTest {

    private static void assertWithin(double published, double modeled, String what) {
        assertTrue(Math.abs(modeled - published) <= 0.10 * published,
                what + ": modeled " + modeled + " ns vs published " + published + " ns");
    }

    @Test
    void ncclSendRecvOverNvlink4IsAbout3UsAt1KiB() {
        assertWithin(3_000, Fidelity.halfRoundTripNanos(CopyStack.NCCL_NVLINK4, 1024), "NCCL send/recv 1 KB");
    }

    @Test
    void ibSendLatencyIs08UsAt32BAnd15UsAt1KiB() {
        assertWithin(800, Fidelity.halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 32), "ib_send_lat 32 B");
        assertWithin(1_500, Fidelity.halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 1024), "ib_send_lat 1 KB");
    }

    @Test
    void nvlink4PeerLoadIsAbout083Us() {
        try (Supernode machine = Fidelity.twoNodes(LinkProfiles.NVLINK4)) {
            Region r = machine.map(RegionSpec.of("peer", 4096, Placement.onNode(1)));
            machine.node(0).loadLong(r.baseAddress());
            long start = machine.node(0).clock().nowNanos();
            machine.node(0).loadLong(r.baseAddress());
            assertWithin(830, machine.node(0).clock().nowNanos() - start, "NVLink 4 peer load");
        }
    }

    @Test
    void theAnalyticMessageCostMatchesWhatARunCharges() {
        try (Supernode machine = Fidelity.twoNodes(LinkProfiles.NVLINK4)) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
            double analytic = plane.messageNanos(machine.topology().routeClass(0, 1), 4096);
            assertWithin(analytic, Fidelity.halfRoundTripNanos(CopyStack.ROCE_HOST_STAGED, 4096), "RoCE host-staged 4 KiB");
        }
    }
}
