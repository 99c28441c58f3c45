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
 * <p>Record layout (8-byte aligned): {@code int length, int flags, long tag, long arrivalNanos,
 * long sequence, long bufferOffset, payload...}. A record with flag {@link #WRAP} pads to the end of the
 * ring. The producer publishes its tail with a release store after writing a record; the consumer reads
 * it with an acquire load and publishes its head the same way (the JCTools/Aeron pattern).
 */
final class EagerRing {

    static final int HEADER_BYTES = 40;
    static final int INLINE = 1;
    static final int BY_REFERENCE = 2;
    static final int WRAP = 4;

    private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 8;
    private static final int TAIL = PAD;
    private static final int HEAD = 3 * PAD;

    private final MemorySegment ring;
    private final long capacity;
    /** Producer's tail and consumer's head, a cache line and more apart. */
    private final long[] indices = new long[4 * PAD];
    private long producerTail;
    private long producerHeadCache;
    private long consumerHead;

    EagerRing(MemorySegment ring) {
        this.ring = ring;
        this.capacity = ring.byteSize();
    }

    /** The largest payload that travels inline. */
    long inlineLimit() {
        return capacity / 8;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** Whether a record with {@code inlineBytes} of payload fits now (only the producer may ask). */
    boolean hasRoom(long inlineBytes) {
        long size = HEADER_BYTES + align(inlineBytes);
        long at = producerTail % capacity;
        long wrap = at + size > capacity ? capacity - at : 0;
        if (producerTail + wrap + size - producerHeadCache > capacity) {
            producerHeadCache = (long) INDEX.getAcquire(indices, HEAD);
        }
        return producerTail + wrap + size - producerHeadCache <= capacity;
    }

    /**
     * Appends a record; the payload is {@code length} bytes of {@code inline} at {@code inlineOffset} if
     * non-null, else {@code bufferOffset} names the receiver-side buffer holding them. Returns false when
     * the ring is full.
     */
    boolean offer(long tag, long arrivalNanos, long sequence, MemorySegment inline, long inlineOffset, long bufferOffset,
                  long length) {
        long size = HEADER_BYTES + (inline == null ? 0 : align(length));
        long tail = producerTail;
        long at = tail % capacity;
        long wrap = at + size > capacity ? capacity - at : 0;
        if (tail + wrap + size - producerHeadCache > capacity) {
            producerHeadCache = (long) INDEX.getAcquire(indices, HEAD);
            if (tail + wrap + size - producerHeadCache > capacity) {
                return false;
            }
        }
        if (wrap > 0) {
            ring.set(ValueLayout.JAVA_INT, at + 4, WRAP);
            tail += wrap;
            at = 0;
        }
        ring.set(ValueLayout.JAVA_INT, at, (int) length);
        ring.set(ValueLayout.JAVA_INT, at + 4, inline == null ? BY_REFERENCE : INLINE);
        ring.set(ValueLayout.JAVA_LONG, at + 8, tag);
        ring.set(ValueLayout.JAVA_LONG, at + 16, arrivalNanos);
        ring.set(ValueLayout.JAVA_LONG, at + 24, sequence);
        ring.set(ValueLayout.JAVA_LONG, at + 32, bufferOffset);
        if (inline != null) {
            MemorySegment.copy(inline, inlineOffset, ring, at + HEADER_BYTES, length);
        }
        producerTail = tail + size;
        INDEX.setRelease(indices, TAIL, producerTail);
        return true;
    }

    /** The ring offset of the first unconsumed record, or -1 when the ring is empty; skips wrap padding. */
    long peek() {
        long tail = (long) INDEX.getAcquire(indices, TAIL);
        if (consumerHead == tail) {
            return -1;
        }
        long at = consumerHead % capacity;
        if (ring.get(ValueLayout.JAVA_INT, at + 4) == WRAP) {
            consumerHead += capacity - at;
            INDEX.setRelease(indices, HEAD, consumerHead);
            return consumerHead == tail ? -1 : 0;
        }
        return at;
    }

    int length(long at) {
        return ring.get(ValueLayout.JAVA_INT, at);
    }

    boolean inline(long at) {
        return ring.get(ValueLayout.JAVA_INT, at + 4) == INLINE;
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
        long size = HEADER_BYTES + (inline(at) ? align(length(at)) : 0);
        consumerHead += size;
        INDEX.setRelease(indices, HEAD, consumerHead);
    }
}
