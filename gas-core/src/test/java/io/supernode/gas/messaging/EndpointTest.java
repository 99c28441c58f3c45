package io.supernode.gas.messaging;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.runtime.ConcurrentRuntime;
import io.supernode.gas.runtime.DeterministicRuntime;
import io.supernode.gas.runtime.NodeProgram;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint's bookkeeping of bounce buffers and messages. */
class EndpointTest {

    @Test
    void aSendNeverAdoptsTheSendersBufferForEveryStack() {
        for (CopyStack stack : CopyStack.all()) {
            try (Supernode machine = Supernode.boot(Presets.small())) {
                new DeterministicRuntime(1).run(machine, stack, new int[] {0, 1}, ctx -> {
                    MemorySegment mine = ctx.allocate(4096);
                    MemorySegment other = ctx.allocate(4096);
                    mine.fill((byte) (ctx.nodeId() + 1));
                    for (int round = 0; round < 4; round++) {
                        ctx.send(1 - ctx.nodeId(), round, mine, 0, 4096);
                        ctx.receive(1 - ctx.nodeId(), round, other, 0, 4096);
                        assertEquals((byte) (ctx.nodeId() + 1), mine.get(ValueLayout.JAVA_BYTE, 100),
                                stack.name() + ": a message landed in the sender's own buffer");
                        assertEquals((byte) (2 - ctx.nodeId()), other.get(ValueLayout.JAVA_BYTE, 100));
                    }
                });
            }
        }
    }

    /**
     * Ranges are half-open, as MemorySegment's slices are: an empty range starting at the region's end is
     * inside it on the unified path and on every copy path, and moves nothing; one byte further faults.
     */
    @Test
    void anEmptyRangeAtTheRegionsEndIsInsideItOnEveryPath() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Region region = machine.map(RegionSpec.of("x", 8192, Placement.interleaved(0, 1)));
            long end = region.address(region.sizeBytes());
            long pastEnd = region.address(region.sizeBytes() + 1);
            new DeterministicRuntime(3).run(machine, CopyStack.TCP_HOST_STAGED, new int[] {0}, ctx -> {
                MemorySegment b = ctx.allocate(64);
                long before = ctx.memory().clock().nowNanos();
                ctx.memory().read(end, b, 0, 0);
                ctx.memory().write(b, 0, end, 0);
                ctx.rpcRead(end, b, 0, 0);
                ctx.rpcWrite(b, 0, end, 0);
                ctx.get(end, b, 0, 0);
                ctx.put(b, 0, end, 0);
                assertEquals(before, ctx.memory().clock().nowNanos(), "an empty range takes no modeled time");
                assertThrows(OutOfRangeFault.class, () -> ctx.memory().read(pastEnd, b, 0, 0));
                assertThrows(OutOfRangeFault.class, () -> ctx.rpcRead(pastEnd, b, 0, 0));
                assertThrows(OutOfRangeFault.class, () -> ctx.put(b, 0, pastEnd, 0));
            });
        }
    }

    @Test
    void aFullEagerRingMakesTheSenderWaitForTheReceiverOnBothRuntimes() {
        long messages = 3 * Endpoint.RING_BYTES / (EagerRecordDescriptor.HEADER_LENGTH + 1024);
        NodeProgram flood = ctx -> {
            MemorySegment b = ctx.allocate(1024);
            for (long i = 0; i < messages; i++) {
                if (ctx.nodeId() == 0) {
                    b.set(ValueLayout.JAVA_LONG, 0, i);
                    ctx.send(1, 9, b, 0, 1024);
                } else {
                    ctx.receive(0, 9, b, 0, 1024);
                    assertEquals(i, b.get(ValueLayout.JAVA_LONG, 0), "messages from one sender arrive in order");
                }
            }
        };
        try (Supernode machine = Supernode.boot(Presets.small())) {
            new DeterministicRuntime(5).run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 1}, flood);
        }
        try (Supernode machine = Supernode.boot(Presets.small())) {
            new ConcurrentRuntime().run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 1}, flood);
        }
    }

    @Test
    void messagesWithOtherTagsWaitAsideAndKeepTheirOrder() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            new DeterministicRuntime(2).run(machine, CopyStack.TCP_HOST_STAGED, new int[] {0, 1}, ctx -> {
                MemorySegment b = ctx.allocate(65_536);
                if (ctx.nodeId() == 0) {
                    for (int i = 0; i < 6; i++) {
                        b.set(ValueLayout.JAVA_INT, 0, i);
                        ctx.send(1, i % 2, b, 0, i < 3 ? 64 : 65_536);
                    }
                } else {
                    for (int expected : new int[] {1, 3, 5, 0, 2, 4}) {
                        ctx.receive(0, expected % 2, b, 0, 65_536);
                        assertEquals(expected, b.get(ValueLayout.JAVA_INT, 0));
                    }
                }
            });
        }
    }

    @Test
    void aMessageLongerThanTheReceiveBufferIsATypedFaultAndStaysQueued() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            new DeterministicRuntime(1).run(machine, CopyStack.IB_GPUDIRECT, new int[] {0, 1}, ctx -> {
                MemorySegment b = ctx.allocate(256);
                if (ctx.nodeId() == 0) {
                    ctx.send(1, 3, b, 0, 256);
                } else {
                    ctx.barrier();
                }
                if (ctx.nodeId() == 0) {
                    ctx.barrier();
                    return;
                }
                assertThrows(OutOfRangeFault.class, () -> ctx.receive(0, 3, b, 0, 128));
                assertEquals(256, ctx.receive(0, 3, b, 0, 256));
            });
        }
    }

    @Test
    void aReceiveFromANodeOutsideTheMachineIsATypedFault() {
        try (Supernode machine = Supernode.boot(Presets.small())) {
            Endpoint endpoint = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE).endpoint(0);
            MemorySegment b = MemorySegment.ofArray(new long[8]);
            for (int source : new int[] {machine.nodeCount(), -2}) {
                OutOfRangeFault fault = assertThrows(OutOfRangeFault.class, () -> endpoint.tryReceive(source, 1, b, 0, 64));
                assertTrue(fault.getMessage().contains("receive from node " + source), fault.getMessage());
            }
        }
    }
}
