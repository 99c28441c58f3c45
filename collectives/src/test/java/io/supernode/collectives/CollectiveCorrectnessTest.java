package io.supernode.collectives;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.run.CollectiveResult;
import io.supernode.collectives.run.CollectiveSpec;
import io.supernode.collectives.run.Collectives;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Schedules;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation, algorithm, transport and data type on teams of 1 to 8 ranks gives the reference result bit
 * for bit, including sizes that do not divide into the ranks' blocks.
 */
class CollectiveCorrectnessTest {

    private static Supernode machine;
    private static MessagePlane plane;

    @BeforeAll
    static void boot() {
        machine = Supernode.boot(Presets.small());
        plane = new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
    }

    @AfterAll
    static void close() {
        machine.close();
    }

    @Test
    void everyOperationAlgorithmTransportAndTypeMatchesTheReferenceBitForBit() {
        int runs = 0;
        for (Op op : Op.values()) {
            for (Algorithm algorithm : Algorithm.values()) {
                if (!Schedules.implemented(op, algorithm) || algorithm == Algorithm.NVLS) {
                    // UB's switches are not known to reduce: NVLS has a test of its own.
                    continue;
                }
                for (DataType type : DataType.values()) {
                    if (op.reduces() && type == DataType.BYTES) {
                        continue;
                    }
                    for (int ranks : new int[] {1, 2, 3, 5, 8}) {
                        if (algorithm == Algorithm.HIERARCHICAL && ranks != 8
                                || algorithm == Algorithm.RHD && Integer.bitCount(ranks) != 1) {
                            // Only the whole machine is made of whole boards; halving-doubling needs a power of two.
                            continue;
                        }
                        for (long bytes : new long[] {0, 8, 96, 3000}) {
                            Team team = ranks == 8 ? Team.world(8) : Team.world(8).split(8 - ranks, 1, ranks);
                            CollectiveSpec spec = new CollectiveSpec(op, type, ReduceOp.SUM, ranks / 2, bytes, algorithm,
                                    Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 17);
                            for (Transport transport : Transport.values()) {
                                CollectiveResult result = Collectives.run(machine, plane, team, spec, transport);
                                assertEquals(0, result.wrong(), op + " " + algorithm + " " + type + " on " + ranks
                                        + " ranks, " + bytes + " B, " + transport);
                                assertEquals(result.count(), result.movedCount());
                                runs++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(runs > 500, "runs " + runs);
    }

    /**
     * On stacked servers (2 of 4 GPUs over NVLink 4, InfiniBand between them) the unified transport stores inside a
     * server and writes by RDMA across; every all-reduce algorithm gives the reference bytes on both transports.
     */
    @Test
    void allReducesOnStackedServersMatchTheReference() {
        SupernodeConfig config = Presets.dgxH100Cluster();
        Topology t = config.topology();
        SupernodeConfig twoServers = new SupernodeConfig("two-servers", new Topology(2, 4, t.groupNoun(), t.nodeNoun(),
                t.link(), t.memory(), t.scaleOut()), ByteSize.gib(1).bytes(), config.pageSizeBytes(),
                config.translationCacheEntries(), config.hostTiming(), config.seed());
        try (Supernode stacked = Supernode.boot(twoServers)) {
            MessagePlane ib = new MessagePlane(stacked, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            for (Algorithm algorithm : Algorithm.values()) {
                if (!Schedules.implemented(Op.ALL_REDUCE, algorithm) || algorithm == Algorithm.NVLS) {
                    // The team spans two servers' switches.
                    continue;
                }
                CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.BFLOAT16, ReduceOp.SUM, 0, 5000,
                        algorithm, Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 23);
                for (Transport transport : Transport.values()) {
                    CollectiveResult result = Collectives.run(stacked, ib, Team.world(8), spec, transport);
                    assertEquals(0, result.wrong(), algorithm + " " + transport);
                    assertTrue(result.fabricBytes() > 0, algorithm + " " + transport + " moved nothing");
                }
            }
        }
    }

    /**
     * NVLS on 8 H100s gives the reference bytes for every type, and is refused where it cannot run: over the copy
     * path, on UB (whose switches are not known to reduce), and across boards.
     */
    @Test
    void inSwitchAllReduceMatchesTheReferenceAndIsRefusedWhereItCannotRun() {
        try (Supernode hgx = Supernode.boot(Presets.hgxH100())) {
            MessagePlane ib = new MessagePlane(hgx, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            for (DataType type : List.of(DataType.FLOAT32, DataType.BFLOAT16, DataType.FLOAT16)) {
                for (int ranks : new int[] {2, 5, 8}) {
                    CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, type, ReduceOp.SUM, 0, 6000, Algorithm.NVLS,
                            Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 31);
                    CollectiveResult result = Collectives.run(hgx, ib, Team.world(ranks), spec, Transport.UNIFIED);
                    assertEquals(0, result.wrong(), type + " on " + ranks);
                    assertEquals(Algorithm.NVLS, result.algorithm());
                }
            }
            CollectiveSpec nvls = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, 4096,
                    Algorithm.NVLS, Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 1);
            assertTrue(assertThrows(ConfigFault.class, () -> Collectives.run(hgx, ib, Team.world(8), nvls, Transport.COPY))
                    .getMessage().contains("copy path"));
            assertTrue(assertThrows(ConfigFault.class, () -> Collectives.run(machine, plane, Team.world(4), nvls,
                    Transport.UNIFIED)).getMessage().contains("no source says"));
        }
    }

    /**
     * An uneven all-to-all (some blocks empty, one rank sending far more than the others, as a skewed MoE dispatch
     * does) lands every block on both paths, and its modeled time is no less than its busiest port could have
     * moved: the heavy sender's bytes at the link's rate.
     */
    @Test
    void unevenAllToAllLandsEveryBlockAndTheHeaviestSenderSetsTheTime() {
        int n = 8;
        long[][] counts = new long[n][n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(99);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                counts[r][j] = r == 3 ? 20_000 : random.nextInt(3) == 0 ? 0 : random.nextInt(1, 500);
            }
        }
        long heavy = 0;
        for (int j = 0; j < n; j++) {
            heavy += j == 3 ? 0 : counts[3][j] * 2;
        }
        for (Transport transport : Transport.values()) {
            CollectiveResult result = Collectives.allToAll(machine, plane, Team.world(n), counts, DataType.BFLOAT16,
                    transport, 5);
            assertEquals(0, result.wrong(), transport.name());
            assertEquals(20_000, result.count());
            double floorNanos = heavy * 1e9 / (machine.topology().link().writeBytesPerSecond()
                    * machine.topology().link().lanes());
            assertTrue(result.modeledNanos() >= floorNanos, transport + ": " + result.modeledNanos() + " ns");
        }
        assertThrows(ConfigFault.class, () -> Collectives.allToAll(machine, plane, Team.world(4), counts,
                DataType.BYTES, Transport.UNIFIED, 1));
    }

    /** A forced hierarchical all-reduce on a team that is not made of whole domains is refused with the reason. */
    @Test
    void hierarchicalNeedsWholeDomains() {
        CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, 4096,
                Algorithm.HIERARCHICAL, Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 1);
        ConfigFault fault = assertThrows(ConfigFault.class,
                () -> Collectives.run(machine, plane, Team.world(8).split(0, 1, 6), spec, Transport.UNIFIED));
        assertTrue(fault.getMessage().contains("whole first-tier domains"), fault.getMessage());
    }
}
