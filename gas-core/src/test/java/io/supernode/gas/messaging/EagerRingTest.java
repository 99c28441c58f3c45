package io.supernode.gas.messaging;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eager ring never takes stale bytes for a record. It does not clear the records it consumes (that
 * would cost a cross-core transfer per message), so every word where a later record may start must be
 * one the consumer cannot mistake for that record's stamp: never user bytes from an earlier lap, never
 * what the memory held before the ring was made.
 */
class EagerRingTest {

    private static final int CAPACITY = 4096;
    private static final int LINE = 64;
    private static final long SMALL = 8;

    @Test
    void aPayloadHoldingALaterLapsRecordNeverPassesForIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment forged = recordAt(arena, 1, LINE);
            EagerRing ring = new EagerRing(arena.allocate(CAPACITY, LINE));
            // Lap 0: a record of many lines whose payload holds, where its second line starts, the exact
            // record a sender would write there in lap 1.
            long length = ring.inlineLimit();
            MemorySegment payload = arena.allocate(length);
            MemorySegment.copy(forged, 0, payload, LINE - EagerRecordDescriptor.HEADER_LENGTH, LINE);
            offer(ring, payload, length);
            take(ring);
            long recordBytes = (EagerRecordDescriptor.HEADER_LENGTH + length + LINE - 1) / LINE * LINE;
            for (long filled = recordBytes; filled < CAPACITY; filled += LINE) {
                offer(ring, arena.allocate(SMALL), SMALL);
                take(ring);
            }
            // Lap 1: one record at the ring's start, taken; nothing has been written where the next would go.
            offer(ring, arena.allocate(SMALL), SMALL);
            take(ring);
            assertEquals(-1, ring.peek(), "the consumer took a payload's bytes from lap 0 for a record of lap 1");
        }
    }

    @Test
    void whatTheMemoryHeldBeforeTheRingWasMadeIsNeverARecord() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = recordAt(arena, 0, 0);
            MemorySegment memory = arena.allocate(CAPACITY, LINE);
            for (long line = 0; line < CAPACITY; line += LINE) {
                MemorySegment.copy(first, 0, memory, line, LINE);
            }
            assertEquals(-1, new EagerRing(memory).peek(), "a new ring took its memory's old bytes for a record");
        }
    }

    /**
     * The 64 bytes a sender writes for an 8-byte message at {@code offset} in lap {@code lap}, taken from a
     * ring of the same size driven there, so the forgery follows the record format wherever it goes.
     */
    private static MemorySegment recordAt(Arena arena, int lap, long offset) {
        MemorySegment memory = arena.allocate(CAPACITY, LINE);
        EagerRing ring = new EagerRing(memory);
        for (long position = 0; position < (long) lap * CAPACITY + offset; position += LINE) {
            offer(ring, arena.allocate(SMALL), SMALL);
            take(ring);
        }
        offer(ring, arena.allocate(SMALL), SMALL);
        assertEquals(offset, ring.peek());
        return memory.asSlice(offset, LINE);
    }

    private static void offer(EagerRing ring, MemorySegment payload, long length) {
        assertTrue(ring.offer(7, 0, payload, 0, 0, length), "the ring refused a record it had room for");
    }

    private static void take(EagerRing ring) {
        long at = ring.peek();
        long stamp = ring.stamp(at);
        assertEquals(7, ring.tag(at));
        ring.consume(EagerRing.inline(stamp), ring.length(at, stamp));
    }
}
