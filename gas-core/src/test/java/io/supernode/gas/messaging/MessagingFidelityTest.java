package io.supernode.gas.messaging;

import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.runtime.DeterministicRuntime;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Modeled message and load costs against the published measurements in FABRIC-PROFILES (within 10 %),
 * measured the way the benchmarks measure them: half a ping-pong for messages, one load for loads.
 */
class MessagingFidelityTest {

    private static Supernode twoNodes(LinkProfile scaleUp) {
        return Supernode.boot(new SupernodeConfig("pair", new Topology(1, 2, "switch", "GPU", scaleUp,
                LinkProfiles.HBM_BLACKWELL), 1 << 26, 65536, 64, HostTiming.BULK_ONLY, 1));
    }

    /** Half the modeled round trip of a ping-pong of {@code bytes} between two nodes over {@code stack}. */
    private static double halfRoundTripNanos(CopyStack stack, int bytes) {
        try (Supernode machine = twoNodes(LinkProfiles.NVLINK4)) {
            int rounds = 20;
            long makespan = new DeterministicRuntime(1).run(machine, stack, new int[] {0, 1}, ctx -> {
                MemorySegment b = ctx.allocate(bytes);
                for (int i = 0; i < rounds; i++) {
                    if (ctx.nodeId() == 0) {
                        ctx.send(1, 1, b, 0, bytes);
                        ctx.receive(1, 2, b, 0, bytes);
                    } else {
                        ctx.receive(0, 1, b, 0, bytes);
                        ctx.send(0, 2, b, 0, bytes);
                    }
                }
            }).makespanNanos();
            return makespan / (2.0 * rounds);
        }
    }

    private static void assertWithin(double published, double modeled, String what) {
        assertTrue(Math.abs(modeled - published) <= 0.10 * published,
                what + ": modeled " + modeled + " ns vs published " + published + " ns");
    }

    @Test
    void ncclSendRecvOverNvlink4IsAbout3UsAt1KiB() {
        assertWithin(3_000, halfRoundTripNanos(CopyStack.NCCL_NVLINK4, 1024), "NCCL send/recv 1 KB");
    }

    @Test
    void ibSendLatencyIs08UsAt32BAnd15UsAt1KiB() {
        assertWithin(800, halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 32), "ib_send_lat 32 B");
        assertWithin(1_500, halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 1024), "ib_send_lat 1 KB");
    }

    @Test
    void nvlink4PeerLoadIsAbout083Us() {
        try (Supernode machine = twoNodes(LinkProfiles.NVLINK4)) {
            Region r = machine.map(RegionSpec.of("peer", 4096, Placement.onNode(1)));
            machine.node(0).loadLong(r.baseAddress());
            long start = machine.node(0).clock().nowNanos();
            machine.node(0).loadLong(r.baseAddress());
            assertWithin(830, machine.node(0).clock().nowNanos() - start, "NVLink 4 peer load");
        }
    }

    @Test
    void theAnalyticMessageCostMatchesWhatARunCharges() {
        try (Supernode machine = twoNodes(LinkProfiles.NVLINK4)) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
            double analytic = plane.messageNanos(machine.topology().routeClass(0, 1), 4096);
            assertWithin(analytic, halfRoundTripNanos(CopyStack.ROCE_HOST_STAGED, 4096), "RoCE host-staged 4 KiB");
        }
    }
}
