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
 * <p>Record layout (records start on 64-byte lines): {@code long stamp, long length, long tag,
 * long arrivalNanos, long sequence, long bufferOffset, payload...}. A record with flag {@link #WRAP} pads
 * to the end of the ring. The stamp holds the record's flags (never zero) and its lap, how many times the
 * ring had wrapped when it was written. The producer writes the stamp last, with a release store; the
 * consumer polls it with an acquire load and takes the record when its lap is the current one.
 *
 * <p>Why laps: the consumer never writes a record's line. Clearing consumed records would take each line
 * back from the producer's core before the consumer could publish anything else (stores leave a core in
 * order), one more cross-core transfer per message. The consumer publishes only its head, on a line of
 * its own, which the producer reads only when its cached view of the head says the ring may be full:
 * one shared line per message, as in Aeron's and JCTools' queues. A stale stamp could pass for a current
 * one only after 2^32 laps of the ring with its position never written since.
 */
final class EagerRing {

    static final int HEADER_BYTES = 48;
    static final int INLINE = 1;
    static final int BY_REFERENCE = 2;
    static final int WRAP = 4;

    private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
    /** A record's stamp (flags and lap), written last and read first: it publishes the record. */
    private static final VarHandle STAMP = ValueLayout.JAVA_LONG.varHandle();
    /**
     * The record's other fields. Records start on 64-byte lines, so every field is 8-byte aligned; the
     * unaligned layout only spares each access the alignment check, which is measurable per message.
     */
    private static final ValueLayout.OfLong FIELD = ValueLayout.JAVA_LONG_UNALIGNED;
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
    private final int lapShift;
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
        this.lapShift = Long.numberOfTrailingZeros(capacity);
    }

    /** The largest payload that travels inline. */
    long inlineLimit() {
        return capacity >>> 3;
    }

    private static long recordBytes(long inlineBytes) {
        return (HEADER_BYTES + inlineBytes + RECORD_ALIGN - 1) & -RECORD_ALIGN;
    }

    /** The stamp of a record with {@code flags} written at ring position {@code position}. */
    private long stamp(long position, int flags) {
        return (position >>> lapShift) << 32 | flags;
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
            STAMP.setRelease(ring, at, stamp(tail, WRAP));
            tail += wrap;
            at = 0;
        }
        ring.set(FIELD, at + 8, length);
        ring.set(FIELD, at + 16, tag);
        ring.set(FIELD, at + 24, arrivalNanos);
        ring.set(FIELD, at + 32, sequence);
        if (inline != null) {
            MemorySegment.copy(inline, inlineOffset, ring, at + HEADER_BYTES, length);
        } else {
            ring.set(FIELD, at + 40, bufferOffset);
        }
        // StoreStore: the record's body is visible before its stamp, which the consumer polls.
        STAMP.setRelease(ring, at, stamp(tail, inline == null ? BY_REFERENCE : INLINE));
        indices[PRODUCER_TAIL] = tail + size;
        return true;
    }

    /** The ring offset of the first unconsumed record, or -1 when the ring is empty; skips wrap padding. */
    long peek() {
        long head = indices[HEAD];
        long at = head & mask;
        long first = (long) STAMP.getAcquire(ring, at);
        if (first != stamp(head, (int) first) || (int) first == 0) {
            return -1;
        }
        if ((int) first == WRAP) {
            head += capacity - at;
            INDEX.setRelease(indices, HEAD, head);
            first = (long) STAMP.getAcquire(ring, 0L);
            return first != stamp(head, (int) first) || (int) first == 0 ? -1 : 0;
        }
        return at;
    }

    /** Whether the record at {@code at}, which {@link #peek} returned, carries its payload inline. */
    boolean inline(long at) {
        return (int) ring.get(FIELD, at) == INLINE;
    }

    long length(long at) {
        return ring.get(FIELD, at + 8);
    }

    long tag(long at) {
        return ring.get(FIELD, at + 16);
    }

    long arrivalNanos(long at) {
        return ring.get(FIELD, at + 24);
    }

    long sequence(long at) {
        return ring.get(FIELD, at + 32);
    }

    long bufferOffset(long at) {
        return ring.get(FIELD, at + 40);
    }

    /** The inline payload, {@code length} bytes, of the record at {@code at}. */
    MemorySegment payload(long at, long length) {
        return ring.asSlice(at + HEADER_BYTES, length);
    }

    /** Copies the inline payload of the record at {@code at} ({@code length} bytes) to {@code destination} at {@code offset}. */
    void copyPayload(long at, long length, MemorySegment destination, long offset) {
        MemorySegment.copy(ring, at + HEADER_BYTES, destination, offset, length);
    }

    /** Frees the record at the head, {@code inline} with {@code length} bytes of payload or not. */
    void consume(boolean inline, long length) {
        INDEX.setRelease(indices, HEAD, indices[HEAD] + recordBytes(inline ? length : 0));
    }
}
