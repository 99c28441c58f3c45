package io.supernode.gas;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.stats.StatsReport;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modeled costs (deterministic, so exact tests are fair) against the published CloudMatrix384 figures. */
class FabricCostTest {

    private static void assertWithin(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance * expected,
                what + ": modeled " + actual + " vs published " + expected + " (tolerance " + (tolerance * 100) + " %)");
    }

    /** Modeled ns of one 512 B bulk read or write by node 0 at a warm translation. */
    private static long timed(NodeAccess a, long address, boolean write) {
        MemorySegment buffer = Arena.ofAuto().allocate(512);
        a.read(address, buffer, 0, 512);
        long start = a.clock().nowNanos();
        if (write) {
            a.write(buffer, 0, address, 512);
        } else {
            a.read(address, buffer, 0, 512);
        }
        return a.clock().nowNanos() - start;
    }

    @Test
    void cloudmatrix384RemoteAccessFromNpu0ToNpu383IsChargedTheCrossBoardCost() {
        try (Supernode machine = Supernode.boot(Presets.cloudmatrix384())) {
            assertEquals(384, machine.nodeCount());
            assertEquals(48L << 40, machine.config().nominalMemoryBytes());
            Region far = machine.map(RegionSpec.of("far", 1 << 20, Placement.onNode(383)));
            Region near = machine.map(RegionSpec.of("near", 1 << 20, Placement.onNode(1)));
            NodeAccess npu0 = machine.node(0);
            assertWithin(1_200, timed(npu0, near.baseAddress(), false), 0.10, "512 B read, same board");
            assertWithin(1_900, timed(npu0, far.baseAddress(), false), 0.10, "512 B read, across boards");

            StatsReport reads = machine.stats();
            for (String link : new String[] {"NPU 383 egress", "board 47 up", "board 0 down", "NPU 0 ingress"}) {
                assertTrue(reads.links().stream().anyMatch(l -> l.name().equals(link) && l.bytes() > 0), link + " carried no bytes");
            }
            assertTrue(reads.links().stream().noneMatch(l -> l.name().equals("board 0 up") || l.name().equals("board 47 down")),
                    "data read from NPU 383 flows only towards NPU 0");

            assertWithin(1_300, timed(npu0, near.baseAddress(), true), 0.10, "512 B write, same board");
            assertWithin(2_100, timed(npu0, far.baseAddress(), true), 0.10, "512 B write, across boards");
        }
    }

    @Test
    void largeReadsApproachThePublishedPerDieBandwidth() {
        try (Supernode machine = Supernode.boot(Presets.cloudmatrix384())) {
            long size = 64L << 20;
            MemorySegment buffer = Arena.ofAuto().allocate(size);
            for (int target : new int[] {1, 383}) {
                Region r = machine.map(RegionSpec.of("big" + target, size, Placement.onNode(target)));
                NodeAccess npu0 = machine.node(0);
                npu0.read(r.baseAddress(), buffer, 0, 4096);
                long start = npu0.clock().nowNanos();
                npu0.read(r.baseAddress(), buffer, 0, size);
                double gbPerSecond = size / (double) (npu0.clock().nowNanos() - start);
                assertWithin(target == 1 ? 167 : 164, gbPerSecond, 0.10, "64 MiB read bandwidth from NPU " + target);
            }
        }
    }

    @Test
    void storesArePostedAndCompleteAtTheFence() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region r = machine.map(RegionSpec.of("r", 4096, Placement.onNode(5)));
            NodeAccess a = machine.node(0);
            a.loadLong(r.baseAddress());
            long start = a.clock().nowNanos();
            a.storeLong(r.baseAddress(), 1);
            long issued = a.clock().nowNanos() - start;
            assertTrue(issued < 100, "a posted store cost its issuer " + issued + " ns");
            a.fence();
            long complete = a.clock().nowNanos() - start;
            assertEquals(machine.fabric().writeNanos(machine.topology().routeClass(0, 5), 8), complete);
        }
    }

    @Test
    void bulkTransfersSharingAPortQueue() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region r = machine.map(RegionSpec.of("hot", 1 << 20, Placement.onNode(0)));
            MemorySegment buffer = Arena.ofAuto().allocate(1 << 20);
            long[] took = new long[4];
            for (int node = 1; node <= 3; node++) {
                NodeAccess a = machine.node(node);
                a.read(r.baseAddress(), buffer, 0, 1 << 20);
                took[node] = a.clock().nowNanos();
            }
            // UB ports have two lanes (two dies): two readers proceed at once, the third queues behind them.
            long transfer = Math.round((1 << 20) * 1e9 / LinkProfiles.UB.readBytesPerSecond());
            assertEquals(took[1], took[2]);
            assertTrue(took[3] >= took[1] + transfer, "third reader finished at " + took[3] + " vs " + took[1]);
        }
    }

    @Test
    void localIsCheaperThanSameBoardIsCheaperThanCrossBoard() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region r = machine.map(RegionSpec.of("r", 3 * 65536, Placement.explicit(0, 1, 4)));
            NodeAccess a = machine.node(0);
            long[] cost = new long[3];
            for (int page = 0; page < 3; page++) {
                long at = r.address(page * 65536L);
                a.loadInt(at);
                long start = a.clock().nowNanos();
                a.loadInt(at);
                cost[page] = a.clock().nowNanos() - start;
            }
            assertTrue(cost[0] < cost[1] && cost[1] < cost[2], Arrays.toString(cost));
        }
    }

    @Test
    void translationMissesAreCountedChargedAndShotDownOnMigration() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region r = machine.map(RegionSpec.of("r", 65536, Placement.onNode(1)));
            NodeAccess a = machine.node(0);
            a.loadInt(r.baseAddress());
            a.loadInt(r.baseAddress());
            assertEquals(1, a.stats().translationMisses());
            assertEquals(1, a.stats().translationHits());
            assertEquals(1, a.stats().op(OpKind.TRANSLATION_MISS).ops());
            assertTrue(a.stats().op(OpKind.TRANSLATION_MISS).modeledNanos() > 0);
            machine.addressSpace().migratePage(r.baseAddress(), 6);
            a.loadInt(r.baseAddress());
            assertEquals(2, a.stats().translationMisses(), "migration shoots the translation down");
        }
    }

    @Test
    void messageOnlyFabricsRefuseRemoteLoadsButServeLocalOnes() {
        Topology roce = new Topology(2, 2, "server", "GPU", LinkProfiles.ROCE, LinkProfiles.HBM_BLACKWELL);
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20).withSeed(1)
                .withTranslationCacheEntries(16))) {
            assertEquals("UB", machine.topology().link().name());
        }
        try (Supernode machine = Supernode.boot(new SupernodeConfig("roce", roce, 1 << 20, 4096, 16,
                HostTiming.BULK_ONLY, 1))) {
            Region r = machine.map(RegionSpec.of("r", 8192, Placement.explicit(0, 1)));
            machine.node(0).storeInt(r.baseAddress(), 5);
            assertEquals(5, machine.node(0).loadInt(r.baseAddress()));
            assertThrows(UnsupportedAccessFault.class, () -> machine.node(0).loadInt(r.address(4096)));
        }
    }
}
