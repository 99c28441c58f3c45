package io.supernode.gas.fabric;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.config.JsonObject;
import io.supernode.gas.config.TopologyFile;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stacked servers: load/store inside a server, messages and RDMA between servers over each node's own NIC. */
class StackedServersTest {

    /** 2 servers of 4 GPUs of the DGX H100 cluster, small enough for a test. */
    private static SupernodeConfig twoServers() {
        SupernodeConfig c = Presets.dgxH100Cluster();
        Topology t = c.topology();
        return new SupernodeConfig("two-servers", new Topology(2, 4, t.groupNoun(), t.nodeNoun(), t.link(), t.memory(),
                t.scaleOut()), 1L << 30, c.pageSizeBytes(), c.translationCacheEntries(), c.hostTiming(), c.seed());
    }

    @Test
    void loadsAndStoresReachOnlyTheSameServerAndTheFaultNamesTheNetwork() {
        try (Supernode machine = Supernode.boot(twoServers())) {
            Region same = machine.map(RegionSpec.of("same", 4096, Placement.interleaved(3, 3)));
            Region other = machine.map(RegionSpec.of("other", 4096, Placement.interleaved(4, 4)));
            machine.node(0).storeLong(same.address(0), 7);
            assertEquals(7, machine.node(0).loadLong(same.address(0)));
            UnsupportedAccessFault fault = assertThrows(UnsupportedAccessFault.class,
                    () -> machine.node(0).loadLong(other.address(0)));
            assertTrue(fault.getMessage().contains("IB_NDR") && fault.getMessage().contains("another server"),
                    fault.getMessage());
            assertTrue(machine.node(0).reaches(same.address(0), 4096));
            assertFalse(machine.node(0).reaches(other.address(0), 4096));
        }
    }

    @Test
    void aRouteBetweenServersCrossesTheTwoNicsAtTheScaleOutRate() {
        Topology t = twoServers().topology();
        FabricModel fabric = new FabricModel(t);
        int[] route = fabric.route(1, 6);
        assertEquals(2, route.length);
        assertEquals(Link.Kind.NIC_EGRESS, fabric.links().get(route[0]).kind());
        assertEquals(1, fabric.links().get(route[0]).endpoint());
        assertEquals(Link.Kind.NIC_INGRESS, fabric.links().get(route[1]).kind());
        assertEquals(6, fabric.links().get(route[1]).endpoint());
        long bytes = 48_000_000;
        long expected = t.scaleOut().messageOverheadNanos() + 2 * (t.scaleOut().latencyNanos()
                + t.scaleOut().secondTierLatencyNanos()) + FabricModel.transferNanos(bytes, t.scaleOut().readBytesPerSecond());
        assertEquals(expected, fabric.readNanos(RouteClass.CROSS_GROUP, bytes));
        // Two flows out of different GPUs of one server do not share a trunk: each has its NIC.
        long first = fabric.transfer(0, 4, bytes, 0);
        long second = fabric.transfer(1, 5, bytes, 0);
        assertEquals(first, second);
        // Two flows out of one GPU queue on its NIC.
        assertTrue(fabric.transfer(0, 6, bytes, 0) >= 2 * (first - fabric.transferNanos(RouteClass.CROSS_GROUP, 0)));
    }

    @Test
    void theUnifiedPathReachesAnotherServerByRdmaWithTheSameBytes() {
        try (Supernode machine = Supernode.boot(twoServers()); Arena arena = Arena.ofConfined()) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            Region far = machine.map(RegionSpec.of("far", 65536, Placement.interleaved(5, 5)));
            byte[] data = new byte[65536];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            DataPath unified = DataPaths.open(PathKind.UNIFIED_LOAD, machine, plane)[0];
            MemorySegment source = arena.allocate(data.length);
            source.copyFrom(MemorySegment.ofArray(data));
            unified.write(source, 0, far.address(0), data.length);
            MemorySegment scratch = arena.allocate(data.length);
            MemorySegment read = unified.readable(far.address(0), data.length, scratch);
            assertArrayEquals(data, read.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(data[8] & 0xff | (data[9] & 0xff) << 8, (int) (unified.readLong(far.address(8)) & 0xffff));
            assertTrue(unified.transferCost(RouteClass.CROSS_GROUP, 4096).messages() > 0,
                    "RDMA between servers is messages on the wire");
            assertEquals(0, unified.transferCost(RouteClass.SAME_GROUP, 4096).messages());
            assertTrue(Arrays.stream(plane.wire().linkBusyNanos()).sum() > 0, "the bytes crossed the NICs");
        }
    }

    @Test
    void aTopologyFileNamesItsScaleOutNetworkAndRefusesALoadStoreOne() {
        SupernodeConfig c = TopologyFile.from(JsonObject.parse("""
                {"base": "hgx-h100", "groups": 3, "scaleOut": "IB_NDR"}""", "test"));
        assertTrue(c.topology().stacked());
        assertEquals("IB_NDR", c.topology().scaleOut().name());
        ConfigFault fault = assertThrows(ConfigFault.class, () -> TopologyFile.from(JsonObject.parse("""
                {"base": "hgx-h100", "groups": 3, "scaleOut": "NVLINK4"}""", "test")));
        assertTrue(fault.getMessage().startsWith("test: ") && fault.getMessage().contains("messages only"),
                fault.getMessage());
    }
}
