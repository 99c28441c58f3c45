package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;

import static io.supernode.gas.messaging.EndpointChecks.checkLocal;
import static io.supernode.gas.messaging.EndpointChecks.checkNode;

/**
 * One node's two-sided sends: each message becomes a record in the eager ring this node owns in the
 * receiver's memory, its payload inline or in a bounce buffer of the receiver's that the record names.
 * Half of the copy path's round trip: only the node's own thread calls it, and everything a send reads is
 * a final field here or the ring's own.
 */
final class EagerSender {

    private final MessagePlane plane;
    private final int self;
    private final int nodeCount;
    private final GlobalAddressSpace space;
    /** Whether the stack copies nothing between device memory and the wire (no host staging, no kernel copy). */
    private final boolean unstaged;
    private final Staging staging;
    private final HostTiming timing;
    /** The rings this node writes in other nodes' memories, by receiver: its own copies, so a send costs no volatile read. */
    private final EagerRing[] outgoing;
    private NodeAccess access;

    EagerSender(MessagePlane plane, int self, Staging staging) {
        this.plane = plane;
        this.self = self;
        this.nodeCount = plane.machine().nodeCount();
        this.space = plane.machine().addressSpace();
        this.unstaged = staging.unstaged();
        this.staging = staging;
        this.timing = plane.machine().config().hostTiming();
        this.outgoing = new EagerRing[nodeCount];
    }

    /** The endpoint's {@link NodeAccess}, kept here once fetched so that a send reads one field for it. */
    private NodeAccess access() {
        if (access == null) {
            access = plane.endpoint(self).access();
        }
        return access;
    }

    /** {@link Endpoint#trySend}. */
    boolean trySend(int destination, long tag, MemorySegment source, long offset, long length) {
        checkLocal(self, source, offset, length, "send");
        checkNode(self, nodeCount, space, destination, "send to");
        EagerRing ring = outgoing[destination];
        if (ring == null) {
            ring = plane.endpoint(destination).matcher.ringFrom(self);
            outgoing[destination] = ring;
        }
        boolean inline = length <= ring.inlineLimit();
        // An unstaged inline record is the one case with nothing to undo when the ring refuses it, so only
        // the other cases ask for room first.
        boolean direct = inline && unstaged;
        if (!direct && !ring.hasRoom(inline, length)) {
            return false;
        }
        boolean timed = timing.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        VirtualClock clock = access().clock();
        long start = clock.nowNanos();
        long depart = start + plane.sendSideNanos(length);
        long arrival = plane.wireArrival(self, destination, length, depart);
        if (direct) {
            // Nothing to stage: the bytes go from the caller's memory straight into the receiver's ring.
            if (!ring.offer(tag, arrival, source, offset, 0, length)) {
                return false;
            }
        } else {
            offerStaged(ring, destination, tag, arrival, inline, source.asSlice(offset, length));
        }
        clock.advanceTo(depart);
        NodeStats stats = access().stats();
        stats.record(OpKind.SEND, length, depart - start);
        stats.message(length + CopyStack.HEADER_BYTES);
        if (timed) {
            stats.recordHost(OpKind.SEND, System.nanoTime() - hostStart);
        }
        return true;
    }

    /**
     * Appends the record of a payload that is not {@code direct}, into a ring known to have room: staged
     * through the stack's copies and carried inline, or landed in a bounce buffer of {@code destination}'s
     * (staged first when the stack stages) that the record names.
     */
    private void offerStaged(EagerRing ring, int destination, long tag, long arrival, boolean inline, MemorySegment bytes) {
        if (inline) {
            MemorySegment staged = staging.stageOut(bytes);
            ring.offer(tag, arrival, staged, 0, 0, bytes.byteSize());
            staging.releaseStaged(staged, bytes);
        } else {
            Staging to = plane.endpoint(destination).staging;
            ring.offer(tag, arrival, null, 0, to.offsetOf(staging.landIn(to, bytes)), bytes.byteSize());
        }
    }
}
