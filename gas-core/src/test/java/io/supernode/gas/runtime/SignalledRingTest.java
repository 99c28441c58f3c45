package io.supernode.gas.runtime;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.SignalSlot;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Put-with-signal and wait-until, the step collectives are made of, on every path a node program opens and
 * on both runtimes: in a ring, every node puts a chunk into its right neighbour's inbox with a signal per
 * round and waits for its left neighbour's. Every chunk arrives whole and unchanged, and no node sees a
 * chunk before, in modeled time, it was put.
 */
class SignalledRingTest {

    private static final int NODES = 4;
    private static final int ROUNDS = 6;

    private static byte pattern(int node, int round, int i, long seed) {
        return (byte) (seed * 31 + node * 131 + round * 17 + i);
    }

    @Property(tries = 20)
    void everyChunkArrivesWholeAndNotBeforeItWasPut(@ForAll PathKind kind, @ForAll boolean concurrent,
                                                    @ForAll @IntRange(min = 1, max = 9000) int chunkBytes,
                                                    @ForAll long seed) {
        if (kind == PathKind.COHERENT) {
            return;
        }
        String what = kind + (concurrent ? " concurrent" : " deterministic") + " chunk " + chunkBytes + " seed " + seed;
        try (Supernode machine = Supernode.boot(Presets.small())) {
            // Ring position i runs on node participants[i], across both boards; its inbox and signal live there.
            int[] participants = {0, 3, 5, 6};
            long[] inbox = new long[NODES];
            long[] signal = new long[NODES];
            for (int i = 0; i < NODES; i++) {
                inbox[i] = machine.map(RegionSpec.of("inbox-" + i, (long) chunkBytes * ROUNDS,
                        Placement.onNode(participants[i]))).baseAddress();
                signal[i] = machine.map(RegionSpec.of("signal-" + i, SignalSlot.BYTES,
                        Placement.onNode(participants[i]))).baseAddress();
            }
            long[][] putAt = new long[NODES][ROUNDS];
            NodeProgram ring = ctx -> {
                DataPath path = ctx.path(kind);
                int me = indexOf(participants, ctx.nodeId());
                int right = participants[(me + 1) % NODES];
                int left = participants[(me + NODES - 1) % NODES];
                MemorySegment chunk = ctx.allocate(chunkBytes);
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < chunkBytes; i++) {
                        chunk.set(ValueLayout.JAVA_BYTE, i, pattern(me, round, i, seed));
                    }
                    int rightIndex = (me + 1) % NODES;
                    putAt[me][round] = ctx.clock().nowNanos();
                    path.putSignal(right, chunk, 0, chunkBytes, inbox[rightIndex] + (long) round * chunkBytes,
                            signal[rightIndex], round + 1);
                    path.waitSignal(left, inbox[me] + (long) round * chunkBytes, chunkBytes, signal[me], round + 1);
                    int leftIndex = (me + NODES - 1) % NODES;
                    assertTrue(ctx.clock().nowNanos() >= putAt[leftIndex][round],
                            what + ": node " + ctx.nodeId() + " saw round " + round + " before it was put");
                    MemorySegment got = ctx.memory().view(inbox[me] + (long) round * chunkBytes, chunkBytes);
                    for (int i = 0; i < chunkBytes; i++) {
                        assertEquals(pattern(leftIndex, round, i, seed), got.get(ValueLayout.JAVA_BYTE, i),
                                what + ": node " + ctx.nodeId() + " round " + round + " byte " + i);
                    }
                }
                ctx.barrier();
            };
            if (concurrent) {
                new ConcurrentRuntime().run(machine, CopyStack.ROCE_HOST_STAGED, participants, ring);
            } else {
                new DeterministicRuntime(seed).run(machine, CopyStack.ROCE_HOST_STAGED, participants, ring);
            }
        }
    }

    private static int indexOf(int[] nodes, int node) {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == node) {
                return i;
            }
        }
        throw new AssertionError("node " + node + " is not in the ring");
    }

    @Property(tries = 5)
    void aWaitNobodyPutIsATypedFaultOnOneThread(@ForAll PathKind kind) {
        if (kind == PathKind.COHERENT) {
            return;
        }
        try (Supernode machine = Supernode.boot(Presets.small())) {
            long sig = machine.map(RegionSpec.of("signal", SignalSlot.BYTES, Placement.onNode(1))).baseAddress();
            long in = machine.map(RegionSpec.of("inbox", 64, Placement.onNode(1))).baseAddress();
            DataPath waiter = DataPaths.open(kind, machine,
                    new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE))[1];
            assertThrows(UnsupportedAccessFault.class, () -> waiter.waitSignal(0, in, 64, sig, 1), kind.toString());
        }
    }
}
