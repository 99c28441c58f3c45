package io.supernode.gas.messaging;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The eager-protocol buffer one sender owns in one receiver's memory, as RDMA eager protocols register
 * per-peer rings: a single-producer, single-consumer ring of records. A record carries the message's
 * header and either its payload inline (small messages) or the offset of the receiver-side bounce buffer
 * it landed in (large ones), so every message from a sender stays in send order.
 *
 * <p>Record layout (records start on 64-byte lines): {@code int length, int flags, long tag,
 * long arrivalNanos, long sequence, long bufferOffset, payload...}. A record with flag {@link #WRAP} pads to the end of the
 * ring. The producer writes a record's first word (length and flags, never zero) last, with a release
 * store; the consumer polls that word with an acquire load, clears it once the record is consumed and
 * publishes its head with a release store, which the producer reads only when its cached view of the
 * head says the ring may be full (the Aeron/JCTools pattern: one shared line per message).
 */
final class EagerRing {

    static final int HEADER_BYTES = 40;
    static final int INLINE = 1;
    static final int BY_REFERENCE = 2;
    static final int WRAP = 4;

    private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
    /** The first word of a record (length and flags), written last and read first: it publishes the record. */
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final int PAD = 8;
    /** The producer's tail and its cached view of the head: only the producer touches this line. */
    private static final int PRODUCER_TAIL = PAD;
    private static final int PRODUCER_HEAD_CACHE = PAD + 1;
    /** The published head, which the consumer alone writes, on a line of its own. */
    private static final int HEAD = 3 * PAD;
    /** Records start on cache lines, so a small message costs the consumer one line. */
    private static final long RECORD_ALIGN = 64;

    private final MemorySegment ring;
    private final long capacity;
    private final long mask;
    /** Every index the two sides write, each side's on its own cache line, none beside the final fields. */
    private final long[] indices = new long[5 * PAD];

    /** A ring over {@code ring}, whose size is a power of two. */
    EagerRing(MemorySegment ring) {
        if (Long.bitCount(ring.byteSize()) != 1) {
            throw new IllegalArgumentException("an eager ring's size must be a power of two, got " + ring.byteSize());
        }
        this.ring = ring;
        this.capacity = ring.byteSize();
        this.mask = capacity - 1;
    }

    /** The largest payload that travels inline. */
    long inlineLimit() {
        return capacity >>> 3;
    }

    private static long recordBytes(long inlineBytes) {
        return (HEADER_BYTES + inlineBytes + RECORD_ALIGN - 1) & -RECORD_ALIGN;
    }

    /** Whether a record with {@code inlineBytes} of payload fits now (only the producer may ask). */
    boolean hasRoom(long inlineBytes) {
        long size = recordBytes(inlineBytes);
        long tail = indices[PRODUCER_TAIL];
        long at = tail & mask;
        long wrap = at + size > capacity ? capacity - at : 0;
        if (tail + wrap + size - indices[PRODUCER_HEAD_CACHE] > capacity) {
            indices[PRODUCER_HEAD_CACHE] = (long) INDEX.getAcquire(indices, HEAD);
        }
        return tail + wrap + size - indices[PRODUCER_HEAD_CACHE] <= capacity;
    }

    /**
     * Appends a record; the payload is {@code length} bytes of {@code inline} at {@code inlineOffset} if
     * non-null, else {@code bufferOffset} names the receiver-side buffer holding them. Returns false when
     * the ring is full.
     */
    boolean offer(long tag, long arrivalNanos, long sequence, MemorySegment inline, long inlineOffset, long bufferOffset,
                  long length) {
        long size = recordBytes(inline == null ? 0 : length);
        long tail = indices[PRODUCER_TAIL];
        long at = tail & mask;
        long wrap = at + size > capacity ? capacity - at : 0;
        if (tail + wrap + size - indices[PRODUCER_HEAD_CACHE] > capacity) {
            indices[PRODUCER_HEAD_CACHE] = (long) INDEX.getAcquire(indices, HEAD);
            if (tail + wrap + size - indices[PRODUCER_HEAD_CACHE] > capacity) {
                return false;
            }
        }
        if (wrap > 0) {
            WORD.setRelease(ring, at, word(0, WRAP));
            tail += wrap;
            at = 0;
        }
        ring.set(ValueLayout.JAVA_LONG, at + 8, tag);
        ring.set(ValueLayout.JAVA_LONG, at + 16, arrivalNanos);
        ring.set(ValueLayout.JAVA_LONG, at + 24, sequence);
        ring.set(ValueLayout.JAVA_LONG, at + 32, bufferOffset);
        if (inline != null) {
            MemorySegment.copy(inline, inlineOffset, ring, at + HEADER_BYTES, length);
        }
        // StoreStore: the record's body is visible before its first word, which the consumer polls.
        WORD.setRelease(ring, at, word(length, inline == null ? BY_REFERENCE : INLINE));
        indices[PRODUCER_TAIL] = tail + size;
        return true;
    }

    /** The ring offset of the first unconsumed record, or -1 when the ring is empty; skips wrap padding. */
    long peek() {
        long head = indices[HEAD];
        long at = head & mask;
        long first = (long) WORD.getAcquire(ring, at);
        if (first == 0) {
            return -1;
        }
        if (flags(first) == WRAP) {
            ring.set(ValueLayout.JAVA_LONG, at, 0L);
            INDEX.setRelease(indices, HEAD, head + capacity - at);
            return (long) WORD.getAcquire(ring, 0L) == 0 ? -1 : 0;
        }
        return at;
    }

    private static long word(long length, int flags) {
        return ((long) flags << 32) | (length & 0xFFFF_FFFFL);
    }

    private static int flags(long word) {
        return (int) (word >>> 32);
    }

    int length(long at) {
        return (int) ring.get(ValueLayout.JAVA_LONG, at);
    }

    boolean inline(long at) {
        return flags(ring.get(ValueLayout.JAVA_LONG, at)) == INLINE;
    }

    long tag(long at) {
        return ring.get(ValueLayout.JAVA_LONG, at + 8);
    }

    long arrivalNanos(long at) {
        return ring.get(ValueLayout.JAVA_LONG, at + 16);
    }

    long sequence(long at) {
        return ring.get(ValueLayout.JAVA_LONG, at + 24);
    }

    long bufferOffset(long at) {
        return ring.get(ValueLayout.JAVA_LONG, at + 32);
    }

    /** The inline payload of the record at {@code at}. */
    MemorySegment payload(long at) {
        return ring.asSlice(at + HEADER_BYTES, length(at));
    }

    /** Copies the inline payload of the record at {@code at} to {@code destination} at {@code offset}. */
    void copyPayload(long at, MemorySegment destination, long offset) {
        MemorySegment.copy(ring, at + HEADER_BYTES, destination, offset, length(at));
    }

    /** Frees the record at the head. */
    void consume(long at) {
        long size = recordBytes(inline(at) ? length(at) : 0);
        // Cleared before the head moves on: the producer reuses the slot only after it sees the new head.
        ring.set(ValueLayout.JAVA_LONG, at, 0L);
        INDEX.setRelease(indices, HEAD, indices[HEAD] + size);
    }
}
