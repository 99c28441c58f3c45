package io.supernode.gas.messaging;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static io.supernode.gas.messaging.EagerRecordDescriptor.ALIGNMENT;
import static io.supernode.gas.messaging.EagerRecordDescriptor.BY_REFERENCE;
import static io.supernode.gas.messaging.EagerRecordDescriptor.INLINE;
import static io.supernode.gas.messaging.EagerRecordDescriptor.LAP_MASK;
import static io.supernode.gas.messaging.EagerRecordDescriptor.WRAP;
import static io.supernode.gas.messaging.EagerRecordDescriptor.arrivalNanosOffset;
import static io.supernode.gas.messaging.EagerRecordDescriptor.flags;
import static io.supernode.gas.messaging.EagerRecordDescriptor.inlineLength;
import static io.supernode.gas.messaging.EagerRecordDescriptor.isStamp;
import static io.supernode.gas.messaging.EagerRecordDescriptor.landedLengthOffset;
import static io.supernode.gas.messaging.EagerRecordDescriptor.landingOffset;
import static io.supernode.gas.messaging.EagerRecordDescriptor.lap;
import static io.supernode.gas.messaging.EagerRecordDescriptor.payloadOffset;
import static io.supernode.gas.messaging.EagerRecordDescriptor.recordLength;
import static io.supernode.gas.messaging.EagerRecordDescriptor.stampOffset;
import static io.supernode.gas.messaging.EagerRecordDescriptor.tagOffset;

/**
 * The eager-protocol buffer one sender owns in one receiver's memory, as RDMA eager protocols register
 * per-peer rings: a single-producer, single-consumer ring of records. A record carries the message's
 * header and either its payload inline (small messages) or the offset of the receiver-side bounce buffer
 * it landed in (large ones), so every message from a sender stays in send order.
 *
 * <p>Record layout ({@link EagerRecordDescriptor} draws it; records start on 64-byte lines):
 * {@code long stamp, long tag, long arrivalNanos}, then the payload for an inline record or
 * {@code long landing, long landedLength} for one by reference, so a payload of up to 40 bytes travels in
 * one line with its header. A record with flag {@link EagerRecordDescriptor#WRAP} pads to the end of the
 * ring. The stamp holds the record's flags (never zero), an inline payload's length, and its lap, how
 * many times the ring had wrapped when it was written. The producer writes the stamp last, with a release
 * store; the consumer polls it with an acquire load and takes the record when its lap is the current one.
 *
 * <p>Why laps: the consumer never writes a record's first line. Clearing consumed records would take each line
 * back from the producer's core before the consumer could publish anything else (stores leave a core in
 * order), one more cross-core transfer per message. The consumer publishes only its head, on a line of
 * its own, which the producer reads only when its cached view of the head says the ring may be full:
 * one shared line per message, as in Aeron's and JCTools' queues. A stale stamp could pass for a current
 * one only after 2^32 laps of the ring with its position never written since.
 *
 * <p>The words where a record may start (every line's first) must therefore only ever hold stamps or
 * zero: the ring clears its memory when it is made, and the consumer clears the first word of each
 * further line of a record it takes, where an inline payload's own bytes would otherwise wait for a
 * later lap's head to take them for a stamp. That costs a store per 64 bytes of payload, and nothing for
 * a message that fits one line.
 */
final class EagerRing {

    /** The largest ring: its inline limit, an eighth of it, must fit the stamp's length bits. */
    static final long MAX_CAPACITY = 1L << 30;

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

    private final MemorySegment ring;
    private final long capacity;
    private final long mask;
    private final int lapShift;
    /** Every index the two sides write, each side's on its own cache line, none beside the final fields. */
    private final long[] indices = new long[5 * PAD];

    /** A ring over {@code ring}, whose size is a power of two. */
    EagerRing(MemorySegment ring) {
        if (Long.bitCount(ring.byteSize()) != 1 || ring.byteSize() > MAX_CAPACITY) {
            throw new IllegalArgumentException("an eager ring's size must be a power of two up to " + MAX_CAPACITY
                    + ", got " + ring.byteSize());
        }
        ring.fill((byte) 0);
        this.ring = ring;
        this.capacity = ring.byteSize();
        this.mask = capacity - 1;
        this.lapShift = Long.numberOfTrailingZeros(capacity);
    }

    /** The largest payload that travels inline. */
    long inlineLimit() {
        return capacity >>> 3;
    }

    /** The stamp of a record with {@code flags} and {@code inlineLength} written at ring position {@code position}. */
    private long stamp(long position, int flags, long inlineLength) {
        return EagerRecordDescriptor.stamp(position >>> lapShift, flags, inlineLength);
    }

    /** Whether {@code stamp} was written at ring position {@code position} in its current lap. */
    private boolean current(long stamp, long position) {
        return lap(stamp) == ((position >>> lapShift) & LAP_MASK) && isStamp(stamp);
    }

    /** Whether a record with an inline payload of {@code length} bytes, or a reference, fits now (only the producer may ask). */
    boolean hasRoom(boolean inline, long length) {
        long size = recordLength(inline, length);
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
    boolean offer(long tag, long arrivalNanos, MemorySegment inline, long inlineOffset, long bufferOffset,
                  long length) {
        long size = recordLength(inline != null, length);
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
            STAMP.setRelease(ring, stampOffset(at), stamp(tail, WRAP, 0));
            tail += wrap;
            at = 0;
        }
        ring.set(FIELD, tagOffset(at), tag);
        ring.set(FIELD, arrivalNanosOffset(at), arrivalNanos);
        long stamp;
        if (inline != null) {
            copy(inline, inlineOffset, ring, payloadOffset(at), length);
            stamp = stamp(tail, INLINE, length);
        } else {
            ring.set(FIELD, landingOffset(at), bufferOffset);
            ring.set(FIELD, landedLengthOffset(at), length);
            stamp = stamp(tail, BY_REFERENCE, 0);
        }
        // StoreStore: the record's body is visible before its stamp, which the consumer polls.
        STAMP.setRelease(ring, stampOffset(at), stamp);
        indices[PRODUCER_TAIL] = tail + size;
        return true;
    }

    /** The ring offset of the first unconsumed record, or -1 when the ring is empty; skips wrap padding. */
    long peek() {
        long head = indices[HEAD];
        long at = head & mask;
        long first = (long) STAMP.getAcquire(ring, stampOffset(at));
        if (!current(first, head)) {
            return -1;
        }
        if (flags(first) == WRAP) {
            head += capacity - at;
            INDEX.setRelease(indices, HEAD, head);
            return current((long) STAMP.getAcquire(ring, stampOffset(0L)), head) ? 0 : -1;
        }
        return at;
    }

    /** The stamp of the record at {@code at}, which {@link #peek} returned. */
    long stamp(long at) {
        return ring.get(FIELD, stampOffset(at));
    }

    /** Whether a record with {@code stamp} carries its payload inline. */
    static boolean inline(long stamp) {
        return flags(stamp) == INLINE;
    }

    /** The payload length of the record at {@code at} with {@code stamp}. */
    long length(long at, long stamp) {
        return inline(stamp) ? inlineLength(stamp) : ring.get(FIELD, landedLengthOffset(at));
    }

    long tag(long at) {
        return ring.get(FIELD, tagOffset(at));
    }

    long arrivalNanos(long at) {
        return ring.get(FIELD, arrivalNanosOffset(at));
    }

    /** Where a by-reference record's payload landed, as an offset in the receiver's memory. */
    long bufferOffset(long at) {
        return ring.get(FIELD, landingOffset(at));
    }

    /** The inline payload, {@code length} bytes, of the record at {@code at}. */
    MemorySegment payload(long at, long length) {
        return ring.asSlice(payloadOffset(at), length);
    }

    /** Copies the inline payload of the record at {@code at} ({@code length} bytes) to {@code destination} at {@code offset}. */
    void copyPayload(long at, long length, MemorySegment destination, long offset) {
        copy(ring, payloadOffset(at), destination, offset, length);
    }

    /**
     * Copies a payload; a one-word payload goes as one load and one store, since {@link MemorySegment#copy}'s
     * setup (both segments' checks and an overlap test) costs more than that copy: about a nanosecond per
     * side of an 8-byte message on JDK 25 ({@code MessageCostBenchmark}).
     */
    private static void copy(MemorySegment from, long fromOffset, MemorySegment to, long toOffset, long length) {
        if (length == Long.BYTES) {
            to.set(FIELD, toOffset, from.get(FIELD, fromOffset));
        } else {
            MemorySegment.copy(from, fromOffset, to, toOffset, length);
        }
    }

    /** Frees the record at the head, {@code inline} with {@code length} bytes of payload or not. */
    void consume(boolean inline, long length) {
        long head = indices[HEAD];
        long size = recordLength(inline, length);
        for (long line = ALIGNMENT; line < size; line += ALIGNMENT) {
            ring.set(FIELD, (head & mask) + line, 0L);
        }
        INDEX.setRelease(indices, HEAD, head + size);
    }
}
