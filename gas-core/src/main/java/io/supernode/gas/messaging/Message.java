package io.supernode.gas.messaging;

import java.lang.foreign.MemorySegment;

/**
 * A two-sided message a receiver set aside from a sender's eager ring while looking for another tag:
 * its payload sits in one of the receiver's bounce buffers; the receive that matches it copies it to its
 * destination.
 *
 * @param source       the sending node
 * @param tag          the tag receives match on
 * @param payload      the landed bytes, in the receiver's bounce buffer
 * @param arrivalNanos modeled time the last byte arrived
 */
public record Message(int source, long tag, MemorySegment payload, long arrivalNanos) {
}
