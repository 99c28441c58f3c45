package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.supernode.gas.fault.SupernodeFault.NONE;
import static io.supernode.gas.messaging.Endpoint.ANY_SOURCE;
import static io.supernode.gas.messaging.EndpointChecks.checkLocal;

/**
 * One node's two-sided receives: the eager rings its senders write in its memory, receives matched to
 * their records by source and tag, the messages set aside while looking past other tags, and the delivery
 * of a matched payload into the caller's buffer. The other half of the copy path's round trip: only the
 * node's own thread receives; a sender's thread only makes its ring here, once.
 */
final class MessageMatcher {

    private static final long NO_MATCH = Long.MIN_VALUE;

    private final MessagePlane plane;
    private final int self;
    private final int nodeCount;
    /** This node's whole memory, where its eager rings and bounce buffers live. */
    private final MemorySegment memory;
    /** Whether the stack copies nothing between device memory and the wire (no host staging, no kernel copy). */
    private final boolean unstaged;
    private final Staging staging;
    private final HostTiming timing;
    /** Eager rings in this node's memory, one per sender, made by the sender on its first message. */
    private final AtomicReferenceArray<EagerRing> rings;
    /** This node's own copies of the {@link #rings} it has seen, so that a receive costs no volatile read. */
    private final EagerRing[] incoming;
    /** Messages taken out of a ring while looking for another tag, in each sender's order. */
    private final List<Message> pending = new ArrayList<>();
    private NodeAccess access;

    MessageMatcher(MessagePlane plane, int self, Staging staging) {
        this.plane = plane;
        this.self = self;
        this.nodeCount = plane.machine().nodeCount();
        this.memory = plane.machine().memory(self).segment();
        this.unstaged = staging.unstaged();
        this.staging = staging;
        this.timing = plane.machine().config().hostTiming();
        this.rings = new AtomicReferenceArray<>(nodeCount);
        this.incoming = new EagerRing[nodeCount];
    }

    /** The endpoint's {@link NodeAccess}, kept here once fetched so that a receive reads one field for it. */
    private NodeAccess access() {
        if (access == null) {
            access = plane.endpoint(self).access();
        }
        return access;
    }

    /** The eager ring {@code sender} writes into this node's memory; made on first use, by the sender. */
    EagerRing ringFrom(int sender) {
        EagerRing ring = rings.get(sender);
        if (ring == null) {
            long offset = plane.machine().memory(self).allocator().allocate(Endpoint.RING_BYTES, 4096);
            ring = new EagerRing(memory.asSlice(offset, Endpoint.RING_BYTES));
            rings.set(sender, ring);
        }
        return ring;
    }

    /** {@link Endpoint#tryReceive}. */
    long tryReceive(int source, long tag, MemorySegment destination, long offset, long maxLength) {
        if (source != ANY_SOURCE && pending.isEmpty()) {
            // The common case, one named sender and nothing set aside: only that sender's ring head can match.
            checkSource(source);
            long at = ringMatch(source, tag);
            return at < 0 ? -1 : receiveFromRing(source, at, tag, destination, offset, maxLength);
        }
        long match = findMatch(source, tag);
        if (match == NO_MATCH) {
            return -1;
        }
        return match >= 0
                ? receiveFromRing((int) (match >>> 32), match & 0xFFFF_FFFFL, tag, destination, offset, maxLength)
                : receivePending((int) -(match + 1), tag, destination, offset, maxLength);
    }

    /** Receives the record at {@code at} in {@code sender}'s ring, the head of that ring. */
    private long receiveFromRing(int sender, long at, long tag, MemorySegment destination, long offset, long maxLength) {
        EagerRing ring = incoming[sender];
        long stamp = ring.stamp(at);
        boolean inline = EagerRing.inline(stamp);
        long length = ring.length(at, stamp);
        checkFits(sender, tag, length, maxLength, destination, offset);
        boolean timed = timing.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        long start = access().clock().nowNanos();
        long arrival = ring.arrivalNanos(at);
        if (!inline) {
            staging.deliver(memory.asSlice(ring.bufferOffset(at), length), destination.asSlice(offset, length));
        } else if (unstaged) {
            ring.copyPayload(at, length, destination, offset);
        } else {
            staging.stageIn(ring.payload(at, length), destination.asSlice(offset, length));
        }
        ring.consume(inline, length);
        received(start, arrival, length, timed, hostStart);
        return length;
    }

    /** Receives {@link #pending}'s message at {@code index}, set aside earlier by a receive for another tag. */
    private long receivePending(int index, long tag, MemorySegment destination, long offset, long maxLength) {
        Message m = pending.get(index);
        long length = m.payload().byteSize();
        checkFits(m.source(), tag, length, maxLength, destination, offset);
        boolean timed = timing.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        long start = access().clock().nowNanos();
        pending.remove(index);
        staging.deliver(m.payload(), destination.asSlice(offset, length));
        received(start, m.arrivalNanos(), length, timed, hostStart);
        return length;
    }

    private void checkFits(int sender, long tag, long length, long maxLength, MemorySegment destination, long offset) {
        if (length > maxLength) {
            throw new OutOfRangeFault("node " + self + " receive from " + sender + " tag " + tag + ": message of "
                    + length + " bytes does not fit " + maxLength, NONE, NONE, self);
        }
        checkLocal(self, destination, offset, length, "receive");
    }

    /** Charges a receive that began at {@code start} (modeled) for a message that arrives at {@code arrival}. */
    private void received(long start, long arrival, long length, boolean timed, long hostStart) {
        VirtualClock clock = access().clock();
        clock.advanceTo(Math.max(start, arrival) + plane.receiveSideNanos(length));
        NodeStats stats = access().stats();
        stats.record(OpKind.RECV, length, clock.nowNanos() - start);
        if (timed) {
            stats.recordHost(OpKind.RECV, System.nanoTime() - hostStart);
        }
    }

    /** {@link Endpoint#earliestMatch}. */
    long earliestMatch(int source, long tag) {
        long match = findMatch(source, tag);
        if (match == NO_MATCH) {
            return Long.MAX_VALUE;
        }
        return match >= 0 ? incoming[(int) (match >>> 32)].arrivalNanos(match & 0xFFFF_FFFFL)
                : pending.get((int) -(match + 1)).arrivalNanos();
    }

    /**
     * Finds the message to receive: {@code (sender << 32) | ringOffset} for a record at the head of a
     * sender's ring, {@code -(index + 1)} for one in {@link #pending}, or {@link #NO_MATCH}. Records at a
     * ring's head with another tag move to {@link #pending} so that later ones can be seen.
     */
    private long findMatch(int source, long tag) {
        if (source != ANY_SOURCE) {
            checkSource(source);
            int index = firstPending(source, tag);
            if (index >= 0) {
                return -(index + 1L);
            }
            long at = ringMatch(source, tag);
            return at < 0 ? NO_MATCH : ((long) source << 32) | at;
        }
        long best = NO_MATCH;
        long bestArrival = Long.MAX_VALUE;
        // Senders are visited in id order and only a strictly earlier arrival wins: ties go to the lowest id.
        for (int sender = 0; sender < nodeCount; sender++) {
            int index = firstPending(sender, tag);
            long candidate;
            long arrival;
            if (index >= 0) {
                candidate = -(index + 1L);
                arrival = pending.get(index).arrivalNanos();
            } else {
                long at = ringMatch(sender, tag);
                if (at < 0) {
                    continue;
                }
                candidate = ((long) sender << 32) | at;
                arrival = incoming[sender].arrivalNanos(at);
            }
            if (arrival < bestArrival) {
                best = candidate;
                bestArrival = arrival;
            }
        }
        return best;
    }

    private int firstPending(int sender, long tag) {
        for (int i = 0; i < pending.size(); i++) {
            Message m = pending.get(i);
            if (m.source() == sender && m.tag() == tag) {
                return i;
            }
        }
        return -1;
    }

    /** The ring offset of the first record from {@code sender} with {@code tag}, moving other tags aside; or -1. */
    private long ringMatch(int sender, long tag) {
        EagerRing ring = incoming[sender];
        if (ring == null) {
            ring = rings.get(sender);
            if (ring == null) {
                return -1;
            }
            incoming[sender] = ring;
        }
        long at;
        while ((at = ring.peek()) >= 0) {
            long recordTag = ring.tag(at);
            if (recordTag == tag) {
                return at;
            }
            setAside(sender, ring, at, recordTag);
        }
        return -1;
    }

    /**
     * Moves the record at {@code at}, the head of {@code sender}'s ring, to the end of {@link #pending}: an
     * inline payload is copied into a bounce buffer, a landed one stays in its own.
     */
    private void setAside(int sender, EagerRing ring, long at, long recordTag) {
        long stamp = ring.stamp(at);
        boolean inline = EagerRing.inline(stamp);
        long length = ring.length(at, stamp);
        MemorySegment payload;
        if (inline) {
            payload = staging.copyToPool(ring.payload(at, length));
        } else {
            payload = memory.asSlice(ring.bufferOffset(at), length);
        }
        pending.add(new Message(sender, recordTag, payload, ring.arrivalNanos(at)));
        ring.consume(inline, length);
    }

    private void checkSource(int source) {
        if (source < 0 || source >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot receive from node " + source + ": the machine has nodes 0.."
                    + (nodeCount - 1) + " (or ANY_SOURCE)", NONE, NONE, self);
        }
    }
}
