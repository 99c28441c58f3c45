package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;
import org.agrona.concurrent.Agent;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * One node's end of the copy-based path: two-sided send and receive matched by source and tag,
 * remote reads, writes and atomics served by the owner's service, and one-sided get, put and NIC
 * atomics by copy. Every copy a real stack makes is made by its parts, through bounce buffers registered in
 * node memory; every stage is charged to the issuing node's clock by the {@link MessagePlane}.
 *
 * <p>The node's own thread calls the operations; the owner's service runs either inline in the
 * requester's thread ({@link MessagePlane.Service#INLINE}) or as this endpoint's {@link Agent}.
 *
 * <p>This class does the two-sided job itself: a send appends a record to the eager ring the sender owns
 * in the receiver's memory, a receive matches ring heads and set-aside messages by source and tag. That is
 * the copy path's hot loop, so a send or a receive reads only this object's fields and the ring's and runs
 * its checks as this object's methods, which the other parts call too. (Measured with JMH, ten alternating
 * forks: the same checks as static methods taking the node, its count and the address space made a send
 * plus a receive about 10 % slower, 30 against 27 ns.) The other jobs are parts held in final fields:
 * {@link RemoteOperations} (RPC and one-sided operations), {@link OwnerService} (serving other nodes'
 * calls) and {@link Staging} (bounce buffers and the stack's copies through them).
 */
public final class Endpoint implements Agent {

    /** Matches a message from any source. */
    public static final int ANY_SOURCE = -1;

    /**
     * Size of each sender's eager ring in a receiver's memory. Payloads up to an eighth of it (8 KiB)
     * travel inline, larger ones through a bounce buffer the record names (A: MPI libraries over
     * InfiniBand switch from eager to rendezvous at 8-17 KiB by default). A ring this small also stays
     * in the cores' caches, which a ping-pong of small messages feels.
     */
    public static final long RING_BYTES = 1 << 16;

    private static final long NO_MATCH = Long.MIN_VALUE;

    private final MessagePlane plane;
    private final int self;
    private final int nodeCount;
    private final GlobalAddressSpace space;
    /** This node's whole memory, where its eager rings and bounce buffers live. */
    private final MemorySegment memory;
    /** Whether the stack copies nothing between device memory and the wire (no host staging, no kernel copy). */
    private final boolean unstaged;
    private final HostTiming timing;
    /** This node's bounce buffers: other nodes' parts land payloads in them. */
    final Staging staging;
    private final RemoteOperations remote;
    /** This node's service: requesters hand it their calls. */
    final OwnerService service;
    /** The rings this node writes in other nodes' memories, by receiver: its own copies, so a send costs no volatile read. */
    private final EagerRing[] outgoing;
    /** Eager rings in this node's memory, one per sender, made by the sender on its first message. */
    private final AtomicReferenceArray<EagerRing> rings;
    /** This node's own copies of the {@link #rings} it has seen, so that a receive costs no volatile read. */
    private final EagerRing[] incoming;
    /** Messages taken out of a ring while looking for another tag, in each sender's order. */
    private final List<Message> pending = new ArrayList<>();
    private NodeAccess access;

    Endpoint(MessagePlane plane, int self) {
        this.plane = plane;
        this.self = self;
        this.nodeCount = plane.machine().nodeCount();
        this.space = plane.machine().addressSpace();
        this.memory = plane.machine().memory(self).segment();
        this.staging = new Staging(plane, self);
        this.unstaged = staging.unstaged();
        this.timing = plane.machine().config().hostTiming();
        this.remote = new RemoteOperations(plane, this, staging);
        this.service = new OwnerService(plane, self, staging);
        this.outgoing = new EagerRing[nodeCount];
        this.rings = new AtomicReferenceArray<>(nodeCount);
        this.incoming = new EagerRing[nodeCount];
    }

    /**
     * The node's {@link NodeAccess} (its clock and stats), fetched from the machine on first use, so that an
     * endpoint never asks twice; the parts keep their own copy once they have one.
     */
    NodeAccess access() {
        if (access == null) {
            access = plane.machine().node(self);
        }
        return access;
    }

    /** The node this endpoint belongs to. */
    public int nodeId() {
        return self;
    }

    @Override
    public String roleName() {
        return "service-" + self;
    }

    // ---- two-sided ----------------------------------------------------------------------------

    /**
     * Sends {@code length} bytes of {@code source} at {@code offset} to {@code destination} with
     * {@code tag}, if the receiver's eager ring for this sender has room. Eager: the payload is copied
     * through the stack into the receiver's memory (inline in the ring up to an eighth of it, else into a
     * bounce buffer the record names) before this returns, and the sender's clock pays the send side only.
     *
     * @return false, having done nothing, when the ring is full (the receiver has not caught up)
     */
    public boolean trySend(int destination, long tag, MemorySegment source, long offset, long length) {
        try {
            return send(destination, tag, source, offset, length);
        } catch (IllegalStateException e) {
            throw closedDuring(e);
        }
    }

    private boolean send(int destination, long tag, MemorySegment source, long offset, long length) {
        checkLocal(source, offset, length, "send");
        checkNode(destination, "send to");
        EagerRing ring = outgoing[destination];
        if (ring == null) {
            ring = plane.endpoint(destination).ringFrom(self);
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
        long depart = start + plane.sendSideNanos(plane.wire().routeClass(self, destination), length);
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

    /**
     * Receives the first message from {@code source} with {@code tag} (messages from one sender with one
     * tag are received in the order sent, as MPI's non-overtaking rule says), or with
     * {@link #ANY_SOURCE} the earliest-arriving sender's first such message (the lowest-numbered sender's
     * among equal arrivals), into {@code destination}.
     *
     * @return the message's length, or -1 when no matching message has been sent yet
     * @throws OutOfRangeFault when the message is longer than {@code maxLength}; it stays queued
     */
    public long tryReceive(int source, long tag, MemorySegment destination, long offset, long maxLength) {
        try {
            return receive(source, tag, destination, offset, maxLength);
        } catch (IllegalStateException e) {
            throw closedDuring(e);
        }
    }

    private long receive(int source, long tag, MemorySegment destination, long offset, long maxLength) {
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
        received(sender, start, arrival, length, timed, hostStart);
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
        received(m.source(), start, m.arrivalNanos(), length, timed, hostStart);
        return length;
    }

    private void checkFits(int sender, long tag, long length, long maxLength, MemorySegment destination, long offset) {
        if (length > maxLength) {
            throw new OutOfRangeFault("node " + self + " receive from " + sender + " tag " + tag + ": message of "
                    + length + " bytes does not fit " + maxLength, NONE, NONE, self);
        }
        checkDestination(destination, offset, length, "receive");
    }

    /** Charges a receive that began at {@code start} (modeled) for a message that arrives at {@code arrival}. */
    private void received(int sender, long start, long arrival, long length, boolean timed, long hostStart) {
        VirtualClock clock = access().clock();
        clock.advanceTo(Math.max(start, arrival) + plane.receiveSideNanos(plane.wire().routeClass(sender, self), length));
        NodeStats stats = access().stats();
        stats.record(OpKind.RECV, length, clock.nowNanos() - start);
        if (timed) {
            stats.recordHost(OpKind.RECV, System.nanoTime() - hostStart);
        }
    }

    /** When the message {@link #tryReceive} would take arrives, or {@link Long#MAX_VALUE} if there is none. */
    public long earliestMatch(int source, long tag) {
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

    /** Faults unless {@code length} bytes at {@code offset} fit {@code segment}, this node's side of {@code what}. */
    void checkLocal(MemorySegment segment, long offset, long length, String what) {
        if (length < 0 || offset < 0 || offset > segment.byteSize() - length) {
            throw new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes at local offset " + offset
                    + " does not fit a segment of " + segment.byteSize() + " bytes", NONE, NONE, self);
        }
    }

    /** The fault a close under one of this node's operations raises: {@link GlobalAddressSpace#closedDuring}. */
    RuntimeException closedDuring(IllegalStateException e) {
        return space.closedDuring(self, NONE, e);
    }

    /** As {@link #checkLocal}, for a segment the bytes land in: it must also be writable. */
    void checkDestination(MemorySegment segment, long offset, long length, String what) {
        checkLocal(segment, offset, length, what);
        if (segment.isReadOnly()) {
            throw new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes needs a writable destination"
                    + " segment", NONE, NONE, self);
        }
    }

    /** Faults unless {@code node} is one of the machine's nodes and neither it nor this node is closed. */
    void checkNode(int node, String what) {
        if (node < 0 || node >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot " + what + " node " + node + ": the machine has nodes 0.."
                    + (nodeCount - 1), NONE, NONE, self);
        }
        if (space.nodeClosed(node) || space.nodeClosed(self)) {
            throw new NodeClosedFault("node " + (space.nodeClosed(self) ? self : node) + " is closed: node " + self
                    + " cannot " + what + " node " + node, NONE, NONE, self);
        }
    }

    private void checkSource(int source) {
        if (source < 0 || source >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot receive from node " + source + ": the machine has nodes 0.."
                    + (nodeCount - 1) + " (or ANY_SOURCE)", NONE, NONE, self);
        }
    }

    // ---- remote reads, writes and atomics served by the owner ---------------------------------

    /** Reads {@code length} bytes at {@code address} into {@code destination}: a request to each owner, a reply with the bytes. */
    public void rpcRead(long address, MemorySegment destination, long offset, long length) {
        remote.rangeOp(OpKind.RPC_READ, address, destination, offset, length, false);
    }

    /** Writes {@code length} bytes of {@code source} to {@code address}: the bytes travel to each owner, which acknowledges. */
    public void rpcWrite(MemorySegment source, long offset, long address, long length) {
        remote.rangeOp(OpKind.RPC_WRITE, address, source, offset, length, true);
    }

    /** Atomically adds {@code delta} to the long at {@code address}, executed by its owner's service; returns the previous value. */
    public long rpcGetAndAddLong(long address, long delta) {
        return remote.atomic(OpKind.RPC_ATOMIC, RemoteCall.Kind.GET_AND_ADD, address, delta, 0);
    }

    /** Compare-and-set of the long at {@code address} by its owner's service; returns the previous value. */
    public long rpcCompareAndExchangeLong(long address, long expected, long update) {
        return remote.atomic(OpKind.RPC_ATOMIC, RemoteCall.Kind.COMPARE_AND_SET, address, update, expected);
    }

    // ---- one-sided, by copy -------------------------------------------------------------------

    /** Reads {@code length} bytes at {@code address} RDMA-style: the owner's NIC answers, no owner software runs. */
    public void get(long address, MemorySegment destination, long offset, long length) {
        remote.rangeOp(OpKind.GET, address, destination, offset, length, false);
    }

    /** Writes {@code length} bytes to {@code address} RDMA-style. */
    public void put(MemorySegment source, long offset, long address, long length) {
        remote.rangeOp(OpKind.PUT, address, source, offset, length, true);
    }

    /** Atomically adds {@code delta} to the long at {@code address} in the owner's NIC; returns the previous value. */
    public long nicGetAndAddLong(long address, long delta) {
        return remote.atomic(OpKind.NIC_ATOMIC, RemoteCall.Kind.GET_AND_ADD, address, delta, 0);
    }

    /** Compare-and-set of the long at {@code address} in the owner's NIC; returns the previous value. */
    public long nicCompareAndExchangeLong(long address, long expected, long update) {
        return remote.atomic(OpKind.NIC_ATOMIC, RemoteCall.Kind.COMPARE_AND_SET, address, update, expected);
    }

    // ---- the owner's service --------------------------------------------------------------------

    /** Serves queued requests; the concurrent runtime's service agent calls this in its duty cycle. */
    @Override
    public int doWork() {
        return service.doWork();
    }
}
