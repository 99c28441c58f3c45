package io.supernode.gas.memory;

import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.stats.ProcessMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reserved node memory is zero, costs nothing until touched, and gives pages back. */
class NodeMemoryTest {

    private static final long GIB = 1L << 30;

    @Test
    void untouchedMemoryReadsZeroAndAReservationCostsNoResidentMemory() {
        long before = ProcessMemory.residentBytes();
        try (NodeMemory memory = NodeMemory.reserve(0, 64 * GIB)) {
            long after = ProcessMemory.residentBytes();
            assertTrue(after - before < 64L << 20, "reserving 64 GiB grew RSS by " + (after - before) + " bytes");
            assertEquals(0L, memory.segment().get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0L, memory.segment().get(ValueLayout.JAVA_LONG, 64 * GIB - 8));
            assertEquals(64 * GIB, memory.capacityBytes());
        }
    }

    @Test
    void discardGivesPagesBackAndTheyReadZero() {
        try (NodeMemory memory = NodeMemory.reserve(0, GIB)) {
            long size = 256L << 20;
            long before = ProcessMemory.residentBytes();
            memory.segment().asSlice(0, size).fill((byte) 7);
            long touched = ProcessMemory.residentBytes();
            assertTrue(touched - before > size / 2, "writing 256 MiB committed only " + (touched - before) + " bytes");
            memory.discard(0, size);
            long released = ProcessMemory.residentBytes();
            assertTrue(touched - released > size / 2, "discard gave back only " + (touched - released) + " bytes");
            assertEquals(0, memory.segment().get(ValueLayout.JAVA_BYTE, 12345));
        }
    }

    @Test
    void accessAfterCloseIsAnExceptionNotACrash() {
        NodeMemory memory = NodeMemory.reserve(3, 1 << 20);
        var segment = memory.segment();
        memory.close();
        memory.close();
        assertTrue(memory.isClosed());
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void badReservationsAndDiscardsAreTypedFaults() {
        assertThrows(OutOfRangeFault.class, () -> NodeMemory.reserve(0, 1000));
        try (NodeMemory memory = NodeMemory.reserve(0, 1 << 20)) {
            assertThrows(OutOfRangeFault.class, () -> memory.discard(100, 4096));
            assertThrows(OutOfRangeFault.class, () -> memory.discard(0, 2 << 20));
        }
    }

    @Test
    void bulkMemoryStillReadsZeroTakesWritesAndIsDiscarded() {
        try (NodeMemory memory = NodeMemory.reserve(0, GIB)) {
            long size = 64L << 20;
            memory.adviseBulk(4096, size);
            assertEquals(0, memory.segment().get(ValueLayout.JAVA_BYTE, 4096 + size - 1));
            memory.segment().asSlice(4096, size).fill((byte) 3);
            assertEquals(3, memory.segment().get(ValueLayout.JAVA_BYTE, 4096 + size - 1));
            memory.discard(0, size + 8192);
            assertEquals(0, memory.segment().get(ValueLayout.JAVA_BYTE, 4096));
            assertThrows(OutOfRangeFault.class, () -> memory.adviseBulk(GIB - 4096, 8192));
            assertThrows(OutOfRangeFault.class, () -> memory.adviseBulk(-1, 8192));
        }
        NodeMemory closed = NodeMemory.reserve(1, 1 << 20);
        closed.close();
        closed.adviseBulk(0, 4096);
    }
}
