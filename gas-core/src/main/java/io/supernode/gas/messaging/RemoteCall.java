package io.supernode.gas.messaging;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One request to an owner's service (copy path): what to do on which run of the owner's memory, the
 * staged payload travelling with it or back, and the modeled times it passes through. The requester
 * fills the request part; the service fills the reply part and then sets {@link #done}.
 */
final class RemoteCall {

    enum Kind {
        READ, WRITE, GET_AND_ADD, COMPARE_AND_SET;

        private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.varHandle();

        /**
         * Applies this atomic to the long at {@code offset} in {@code memory}, as its owner's service or NIC
         * executes it: adds {@code operand}, or sets it if the long is {@code expected} ({@code COMPARE_AND_SET});
         * returns the previous value.
         */
        long apply(MemorySegment memory, long offset, long operand, long expected) {
            return this == GET_AND_ADD
                    ? (long) LONG_ATOMIC.getAndAdd(memory, offset, operand)
                    : (long) LONG_ATOMIC.compareAndExchange(memory, offset, expected, operand);
        }
    }

    final Kind kind;
    final int requester;
    final int owner;
    final long physicalOffset;
    final long length;
    final long operand;
    final long expected;
    final long arrivalNanos;
    /** WRITE: the payload landed in the owner's bounce buffer. READ: set by the service, in the requester's. */
    MemorySegment payload;
    long result;
    long replyArrivalNanos;
    volatile boolean done;

    RemoteCall(Kind kind, int requester, int owner, long physicalOffset, long length, long operand, long expected,
               MemorySegment payload, long arrivalNanos) {
        this.kind = kind;
        this.requester = requester;
        this.owner = owner;
        this.physicalOffset = physicalOffset;
        this.length = length;
        this.operand = operand;
        this.expected = expected;
        this.payload = payload;
        this.arrivalNanos = arrivalNanos;
    }
}
