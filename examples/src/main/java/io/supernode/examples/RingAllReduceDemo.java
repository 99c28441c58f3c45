package io.supernode.examples;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.run.CollectiveSpec;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.StepByStep;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

import java.util.Locale;

/**
 * Teaches the ring all-reduce: 4 nodes each hold 8 floats cut into 4 blocks of 2. In the reduce-scatter
 * half, each rank passes one block to the next and the receiver adds its own, so after 3 steps every rank
 * holds one block summed over all ranks; in the all-gather half the finished blocks go around once more.
 * Printed after each step: which block moved where, when the step ended in modeled time, and every
 * rank's buffer as its node's memory holds it. Each rank sends 2 x 3/4 of its buffer in all: the
 * 2(n-1)/n that nccl-tests' bus bandwidth counts.
 */
public final class RingAllReduceDemo {

    private RingAllReduceDemo() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        int ranks = 4;
        try (Supernode machine = Supernode.boot(Presets.small())) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
            CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, 8 * Float.BYTES,
                    Algorithm.RING, Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 7);
            System.out.println("Ring all-reduce of 8 floats on 4 NPUs of the small preset, unified path; blocks of 2.");
            StepByStep.run(machine, plane, Team.world(ranks), spec, Transport.UNIFIED, (step, transfers, endNanos, outputs) -> {
                String phase = step == 0 ? "copy each rank's input into its output"
                        : step < ranks ? "reduce-scatter " + step + " of " + (ranks - 1)
                        : "all-gather " + (step - ranks + 1) + " of " + (ranks - 1);
                System.out.printf(Locale.ROOT, "%nstep %d: %s, done at %.2f us (modeled)%n", step, phase, endNanos / 1e3);
                if (step > 0) {
                    for (Transfer t : transfers) {
                        System.out.printf(Locale.ROOT, "  rank %d -> rank %d: block %d (elements %d..%d), %s%n", t.from(),
                                t.to(), t.sourceElement() / 2, t.sourceElement(), t.sourceElement() + t.elements() - 1,
                                t.reduce() ? "added to the receiver's own" : "copied over the receiver's");
                    }
                }
                for (int r = 0; r < ranks; r++) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  rank %d:", r));
                    for (int i = 0; i < outputs[r].length; i++) {
                        line.append(i % 2 == 0 && i > 0 ? " |" : "").append(String.format(Locale.ROOT, " %6.3f", outputs[r][i]));
                    }
                    System.out.println(line);
                }
            });
            System.out.println("\nEvery rank now holds the same sums, added in ring order starting at the block's rank.");
        }
    }
}
