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
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                if (!Schedules.implemented(op, algorithm)) {
                    continue;
                }
                for (DataType type : DataType.values()) {
                    if (op.reduces() && type == DataType.BYTES) {
                        continue;
                    }
                    for (int ranks : new int[] {1, 2, 3, 5, 8}) {
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
}
