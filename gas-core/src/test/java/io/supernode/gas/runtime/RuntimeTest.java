package io.supernode.gas.runtime;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the runtimes promise beyond equivalence: determinism, named deadlocks, propagated failures. */
class RuntimeTest {

    /** Every node sends to every other under one tag, then receives from any source: order is the scheduler's. */
    private static final NodeProgram ALL_TO_ANY = ctx -> {
        MemorySegment buffer = ctx.allocate(4096);
        for (int to : ctx.participants()) {
            if (to != ctx.nodeId()) {
                ctx.send(to, 1, buffer, 0, 64 * (1 + ctx.nodeId()));
            }
        }
        for (int i = 1; i < ctx.participants().length; i++) {
            ctx.receive(Endpoint.ANY_SOURCE, 1, buffer, 0, 4096);
        }
        ctx.barrier();
    };

    private static long[] clocksAfter(long seed) {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            new DeterministicRuntime(seed).run(machine, CopyStack.ROCE_HOST_STAGED, new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                    ALL_TO_ANY);
            long[] clocks = new long[8];
            for (int n = 0; n < 8; n++) {
                clocks[n] = machine.node(n).clock().nowNanos() ^ machine.node(n).stats().messageBytes() << 20;
            }
            return clocks;
        }
    }

    @Test
    void theSameSeedGivesTheSameClocks() {
        assertArrayEquals(clocksAfter(7), clocksAfter(7));
        assertArrayEquals(clocksAfter(8), clocksAfter(8));
    }

    @Test
    void aDeadlockNamesEveryNodesStateAndTheSeed() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            NodeProgramFailure failure = assertThrows(NodeProgramFailure.class, () ->
                    new DeterministicRuntime(99).run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 1}, ctx ->
                            ctx.receive(1 - ctx.nodeId(), 5, ctx.allocate(64), 0, 64)));
            assertTrue(failure.getMessage().contains("deadlock (seed 99)"), failure.getMessage());
            assertTrue(failure.getMessage().contains("node 0 waits for a message from node 1 with tag 5"), failure.getMessage());
        }
    }

    @Test
    void aFailingProgramFailsTheRunNamingTheNode() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            NodeProgram program = ctx -> {
                ctx.barrier();
                if (ctx.nodeId() == 2) {
                    ctx.memory().loadLong(0);
                }
                ctx.barrier();
            };
            NodeProgramFailure failure = assertThrows(NodeProgramFailure.class, () ->
                    new DeterministicRuntime(1).run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 2, 5}, program));
            assertTrue(failure.getMessage().startsWith("node 2 failed (seed 1)"), failure.getMessage());
        }
        try (Supernode machine = Supernode.boot(Presets.small())) {
            NodeProgram program = ctx -> {
                if (ctx.nodeId() == 2) {
                    ctx.memory().loadLong(0);
                }
                ctx.barrier();
            };
            NodeProgramFailure failure = assertThrows(NodeProgramFailure.class, () ->
                    new ConcurrentRuntime().run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 2, 5}, program));
            assertTrue(failure.getMessage().startsWith("node 2 failed"), failure.getMessage());
        }
    }

    @Test
    void theConcurrentRuntimeReportsARunThatNeverEnds() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            NodeProgramFailure failure = assertThrows(NodeProgramFailure.class, () ->
                    new ConcurrentRuntime(Duration.ofMillis(300)).run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 1},
                            ctx -> ctx.receive(1 - ctx.nodeId(), 5, ctx.allocate(64), 0, 64)));
            assertTrue(failure.getMessage().contains("still going"), failure.getMessage());
        }
    }

    @Test
    void bothRuntimesChargeAnUncontendedPingPongTheSame() {
        NodeProgram pingPong = ctx -> {
            MemorySegment b = ctx.allocate(1024);
            for (int i = 0; i < 10; i++) {
                if (ctx.nodeId() == 0) {
                    ctx.send(4, 1, b, 0, 1024);
                    ctx.receive(4, 2, b, 0, 1024);
                } else {
                    ctx.receive(0, 1, b, 0, 1024);
                    ctx.send(0, 2, b, 0, 1024);
                }
            }
        };
        long[] makespan = new long[2];
        for (int r = 0; r < 2; r++) {
            try (Supernode machine = Supernode.boot(Presets.small())) {
                makespan[r] = r == 0
                        ? new DeterministicRuntime(3).run(machine, CopyStack.ROCE_HOST_STAGED, new int[] {0, 4}, pingPong).makespanNanos()
                        : new ConcurrentRuntime().run(machine, CopyStack.ROCE_HOST_STAGED, new int[] {0, 4}, pingPong).makespanNanos();
            }
        }
        assertEquals(makespan[0], makespan[1], Arrays.toString(makespan));
    }
}
