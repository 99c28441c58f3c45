package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.Region;
import io.supernode.gas.agent.Agent;
import io.supernode.gas.agent.IdleStrategy;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.NodeClosedFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * One node's end of the copy-based path: two-sided send and receive matched by source and tag,
 * remote reads, writes and atomics served by the owner's service, and one-sided get, put and NIC
 * atomics by copy. Every copy a real stack makes is made here, through bounce buffers registered in
 * node memory; every stage is charged to the issuing node's clock by the {@link MessagePlane}.
 *
 * <p>The node's own thread calls the operations; the owner's service runs either inline in the
 * requester's thread ({@link MessagePlane.Service#INLINE}) or as this endpoint's {@link Agent}.
 */
public final class Endpoint implements Agent {

    /** Matches a message from any source. */
    public static final int ANY_SOURCE = -1;

    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.varHandle();

    private final MessagePlane plane;
    private final int self;
    private final int nodeCount;
    private final GlobalAddressSpace space;
    /** This node's whole memory, where its eager rings and bounce buffers live. */
    private final MemorySegment memory;
    /** Whether the stack copies nothing between device memory and the wire (no host staging, no kernel copy). */
    private final boolean unstaged;
    private final BufferPool pool;
    /** Eager rings in this node's memory, one per sender, made by the sender on its first message. */
    private final AtomicReferenceArray<EagerRing> rings;
    /**
     * This node's own copies of the ring references it has seen, so that each message costs no volatile
     * read: {@code incoming} of {@link #rings} (read by this node's receives), {@code outgoing} of the rings
     * this node writes in other nodes' memories (read by its sends). Only this node's thread touches them.
     */
    private final EagerRing[] incoming;
    private final EagerRing[] outgoing;
    /** Messages taken out of a ring while looking for another tag, in each sender's order. */
    private final List<Message> pending = new ArrayList<>();
    private final MpscUnboundedArrayQueue<RemoteCall> requests = new MpscUnboundedArrayQueue<>(256);
    private final IdleStrategy replyWait = new IdleStrategy();
    private final HostTiming timing;
    // When the service is next free: written by the service while other nodes' threads read this endpoint's
    // queues and pool, so it sits on a cache line of its own.
    private final long[] serviceFreeAt = new long[2 * PAD];
    private static final int PAD = 8;
    private static final int SERVICE_FREE_AT = PAD;
    private NodeAccess access;

    Endpoint(MessagePlane plane, int self) {
        this.plane = plane;
        this.self = self;
        this.nodeCount = plane.machine().nodeCount();
        this.space = plane.machine().addressSpace();
        this.memory = plane.machine().memory(self).segment();
        this.unstaged = !plane.stack().hostStaging() && !plane.stack().kernelCopy();
        this.pool = new BufferPool(plane.machine().memory(self));
        this.rings = new AtomicReferenceArray<>(nodeCount);
        this.incoming = new EagerRing[nodeCount];
        this.outgoing = new EagerRing[nodeCount];
        this.timing = plane.machine().config().hostTiming();
    }

    private NodeAccess access() {
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
     * Size of each sender's eager ring in a receiver's memory. Payloads up to an eighth of it (8 KiB)
     * travel inline, larger ones through a bounce buffer the record names (A: MPI libraries over
     * InfiniBand switch from eager to rendezvous at 8-17 KiB by default). A ring this small also stays
     * in the cores' caches, which a ping-pong of small messages feels.
     */
    public static final long RING_BYTES = 1 << 16;

    private static final long NO_MATCH = Long.MIN_VALUE;

    /**
     * Sends {@code length} bytes of {@code source} at {@code offset} to {@code destination} with
     * {@code tag}, if the receiver's eager ring for this sender has room. Eager: the payload is copied
     * through the stack into the receiver's memory (inline in the ring up to an eighth of it, else into a
     * bounce buffer the record names) before this returns, and the sender's clock pays the send side only.
     *
     * @return false, having done nothing, when the ring is full (the receiver has not caught up)
     */
    public boolean trySend(int destination, long tag, MemorySegment source, long offset, long length) {
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
        long depart = start + plane.sendSideNanos(length);
        long arrival = plane.wireArrival(self, destination, length, depart);
        if (direct) {
            // Nothing to stage: the bytes go from the caller's memory straight into the receiver's ring.
            if (!ring.offer(tag, arrival, source, offset, 0, length)) {
                return false;
            }
        } else if (unstaged) {
            ring.offer(tag, arrival, null, 0, land(destination, source, offset, length), length);
        } else {
            MemorySegment bytes = source.asSlice(offset, length);
            MemorySegment staged = stageOut(bytes);
            if (inline) {
                ring.offer(tag, arrival, staged, 0, 0, length);
            } else {
                ring.offer(tag, arrival, null, 0, land(destination, staged, 0, length), length);
            }
            releaseStaged(staged, bytes);
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
     * Copies {@code length} bytes of {@code from} at {@code offset} into a bounce buffer in
     * {@code destination}'s memory, for a record that names it; returns the buffer's offset there.
     */
    private long land(int destination, MemorySegment from, long offset, long length) {
        Endpoint to = plane.endpoint(destination);
        return to.copyToPool(from.asSlice(offset, length)).address() - to.memory.address();
    }

    /** The eager ring {@code sender} writes into this node's memory; made on first use, by the sender. */
    private EagerRing ringFrom(int sender) {
        EagerRing ring = rings.get(sender);
        if (ring == null) {
            long offset = plane.machine().memory(self).allocator().allocate(RING_BYTES, 4096);
            ring = new EagerRing(memory.asSlice(offset, RING_BYTES));
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
            MemorySegment landed = memory.asSlice(ring.bufferOffset(at), length);
            stageIn(landed, destination.asSlice(offset, length));
            pool.give(landed);
        } else if (unstaged) {
            ring.copyPayload(at, length, destination, offset);
        } else {
            stageIn(ring.payload(at, length), destination.asSlice(offset, length));
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
        stageIn(m.payload(), destination.asSlice(offset, length));
        pool.give(m.payload());
        received(start, m.arrivalNanos(), length, timed, hostStart);
        return length;
    }

    private void checkFits(int sender, long tag, long length, long maxLength, MemorySegment destination, long offset) {
        if (length > maxLength) {
            throw new OutOfRangeFault("node " + self + " receive from " + sender + " tag " + tag + ": message of "
                    + length + " bytes does not fit " + maxLength, NONE, NONE, self);
        }
        checkLocal(destination, offset, length, "receive");
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
            long stamp = ring.stamp(at);
            boolean inline = EagerRing.inline(stamp);
            long length = ring.length(at, stamp);
            MemorySegment payload;
            if (inline) {
                payload = copyToPool(ring.payload(at, length));
            } else {
                payload = memory.asSlice(ring.bufferOffset(at), length);
            }
            pending.add(new Message(sender, recordTag, payload, ring.arrivalNanos(at)));
            ring.consume(inline, length);
        }
        return -1;
    }

    // ---- remote reads, writes and atomics served by the owner ---------------------------------

    /** Reads {@code length} bytes at {@code address} into {@code destination}: a request to each owner, a reply with the bytes. */
    public void rpcRead(long address, MemorySegment destination, long offset, long length) {
        rangeOp(OpKind.RPC_READ, address, destination, offset, length, false);
    }

    /** Writes {@code length} bytes of {@code source} to {@code address}: the bytes travel to each owner, which acknowledges. */
    public void rpcWrite(MemorySegment source, long offset, long address, long length) {
        rangeOp(OpKind.RPC_WRITE, address, source, offset, length, true);
    }

    /** Atomically adds {@code delta} to the long at {@code address}, executed by its owner's service; returns the previous value. */
    public long rpcGetAndAddLong(long address, long delta) {
        return atomic(OpKind.RPC_ATOMIC, RemoteCall.Kind.GET_AND_ADD, address, delta, 0);
    }

    /** Compare-and-set of the long at {@code address} by its owner's service; returns the previous value. */
    public long rpcCompareAndExchangeLong(long address, long expected, long update) {
        return atomic(OpKind.RPC_ATOMIC, RemoteCall.Kind.COMPARE_AND_SET, address, update, expected);
    }

    // ---- one-sided, by copy -------------------------------------------------------------------

    /** Reads {@code length} bytes at {@code address} RDMA-style: the owner's NIC answers, no owner software runs. */
    public void get(long address, MemorySegment destination, long offset, long length) {
        rangeOp(OpKind.GET, address, destination, offset, length, false);
    }

    /** Writes {@code length} bytes to {@code address} RDMA-style. */
    public void put(MemorySegment source, long offset, long address, long length) {
        rangeOp(OpKind.PUT, address, source, offset, length, true);
    }

    /** Atomically adds {@code delta} to the long at {@code address} in the owner's NIC; returns the previous value. */
    public long nicGetAndAddLong(long address, long delta) {
        return atomic(OpKind.NIC_ATOMIC, RemoteCall.Kind.GET_AND_ADD, address, delta, 0);
    }

    /** Compare-and-set of the long at {@code address} in the owner's NIC; returns the previous value. */
    public long nicCompareAndExchangeLong(long address, long expected, long update) {
        return atomic(OpKind.NIC_ATOMIC, RemoteCall.Kind.COMPARE_AND_SET, address, update, expected);
    }

    private void rangeOp(OpKind kind, long address, MemorySegment local, long offset, long length, boolean write) {
        boolean timed = timing.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        checkLocal(local, offset, length, kind.name());
        Region region = space.checkRange(self, address, length, write, kind.name().toLowerCase(Locale.ROOT));
        List<GlobalAddressSpace.Run> runs = space.runs(region, address, length);
        for (GlobalAddressSpace.Run run : runs) {
            checkNode(run.node(), kind.name().toLowerCase(Locale.ROOT) + " on");
        }
        VirtualClock clock = access().clock();
        long start = clock.nowNanos();
        long t = start;
        for (GlobalAddressSpace.Run run : runs) {
            MemorySegment mine = local.asSlice(offset + run.rangeOffset(), run.length());
            if (run.node() == self) {
                MemorySegment own = memory.asSlice(run.physicalOffset(), run.length());
                MemorySegment.copy(write ? mine : own, 0, write ? own : mine, 0, run.length());
                t += plane.machine().fabric().readNanos(RouteClass.LOCAL, run.length());
                continue;
            }
            t = switch (kind) {
                case RPC_READ -> rpcReadRun(run, mine, t);
                case RPC_WRITE -> rpcWriteRun(run, mine, t);
                case GET -> getRun(run, mine, t);
                default -> putRun(run, mine, t);
            };
        }
        clock.advanceTo(t);
        NodeStats stats = access().stats();
        stats.record(kind, length, t - start);
        if (timed) {
            stats.recordHost(kind, System.nanoTime() - hostStart);
        }
    }

    private long rpcReadRun(GlobalAddressSpace.Run run, MemorySegment into, long t) {
        long depart = t + plane.stack().wire().messageOverheadNanos();
        RemoteCall call = new RemoteCall(RemoteCall.Kind.READ, self, run.node(), run.physicalOffset(), run.length(), 0, 0,
                null, plane.wireArrival(self, run.node(), 0, depart));
        submit(call);
        stageIn(call.payload, into);
        pool.give(call.payload);
        countMessages(2, run.length());
        return Math.max(t, call.replyArrivalNanos) + plane.receiveSideNanos(run.length());
    }

    private long rpcWriteRun(GlobalAddressSpace.Run run, MemorySegment from, long t) {
        MemorySegment staged = stageOut(from);
        MemorySegment landing = plane.endpoint(run.node()).copyToPool(staged);
        releaseStaged(staged, from);
        long depart = t + plane.sendSideNanos(run.length());
        RemoteCall call = new RemoteCall(RemoteCall.Kind.WRITE, self, run.node(), run.physicalOffset(), run.length(), 0, 0,
                landing, plane.wireArrival(self, run.node(), run.length(), depart));
        submit(call);
        countMessages(2, run.length());
        return Math.max(t, call.replyArrivalNanos) + plane.stack().wire().messageOverheadNanos();
    }

    private long getRun(GlobalAddressSpace.Run run, MemorySegment into, long t) {
        long post = t + plane.stack().wire().messageOverheadNanos();
        long atOwner = plane.wireArrival(self, run.node(), 0, post);
        long read = atOwner + plane.hostDmaNanos(run.length());
        MemorySegment landing = copyToPool(ownerMemory(run));
        long arrival = plane.wire().transfer(run.node(), self, run.length() + CopyStack.HEADER_BYTES, read);
        stageIn(landing, into);
        pool.give(landing);
        countMessages(2, run.length());
        return arrival + plane.stack().wire().messageOverheadNanos()
                + (plane.stack().hostStaging() ? plane.stagingCopyNanos(run.length()) : 0)
                + plane.pipelineDeficitNanos(run.length());
    }

    private long putRun(GlobalAddressSpace.Run run, MemorySegment from, long t) {
        MemorySegment staged = stageOut(from);
        long depart = t + plane.stack().wire().messageOverheadNanos()
                + (plane.stack().hostStaging() ? plane.stagingCopyNanos(run.length()) : 0);
        long arrival = plane.wireArrival(self, run.node(), run.length(), depart);
        MemorySegment.copy(staged, 0, ownerMemory(run), 0, run.length());
        releaseStaged(staged, from);
        long written = arrival + plane.hostDmaNanos(run.length());
        long ack = plane.wire().transfer(run.node(), self, CopyStack.HEADER_BYTES, written);
        countMessages(2, run.length());
        return ack + plane.stack().wire().messageOverheadNanos();
    }

    private long atomic(OpKind kind, RemoteCall.Kind op, long address, long operand, long expected) {
        boolean timed = timing.times(Long.BYTES);
        long hostStart = timed ? System.nanoTime() : 0;
        if ((address & (Long.BYTES - 1)) != 0) {
            throw new MisalignedAtomicFault("node " + self + " atomic at " + GlobalAddress.format(address)
                    + " is not 8-byte aligned", address, NONE, self);
        }
        Region region = space.checkRange(self, address, Long.BYTES, true, "atomically update");
        GlobalAddressSpace.Run run = space.runs(region, address, Long.BYTES).getFirst();
        checkNode(run.node(), "atomic on");
        VirtualClock clock = access().clock();
        long start = clock.nowNanos();
        long post = start + plane.stack().wire().messageOverheadNanos();
        long result;
        long done;
        if (kind == OpKind.RPC_ATOMIC) {
            RemoteCall call = new RemoteCall(op, self, run.node(), run.physicalOffset(), Long.BYTES, operand, expected,
                    null, plane.wireArrival(self, run.node(), Long.BYTES, post));
            submit(call);
            result = call.result;
            done = call.replyArrivalNanos + plane.stack().wire().messageOverheadNanos();
        } else {
            long atOwner = plane.wireArrival(self, run.node(), Long.BYTES, post);
            result = apply(op, plane.machine().memory(run.node()).segment(), run.physicalOffset(), operand, expected);
            long executed = atOwner + plane.hostDmaNanos(Long.BYTES);
            done = plane.wire().transfer(run.node(), self, Long.BYTES + CopyStack.HEADER_BYTES, executed)
                    + plane.stack().wire().messageOverheadNanos();
        }
        clock.advanceTo(done);
        countMessages(2, Long.BYTES);
        NodeStats stats = access().stats();
        stats.record(kind, Long.BYTES, done - start);
        if (timed) {
            stats.recordHost(kind, System.nanoTime() - hostStart);
        }
        return result;
    }

    private static long apply(RemoteCall.Kind op, MemorySegment memory, long offset, long operand, long expected) {
        return op == RemoteCall.Kind.GET_AND_ADD
                ? (long) LONG_ATOMIC.getAndAdd(memory, offset, operand)
                : (long) LONG_ATOMIC.compareAndExchange(memory, offset, expected, operand);
    }

    // ---- the owner's service --------------------------------------------------------------------

    private void submit(RemoteCall call) {
        Endpoint owner = plane.endpoint(call.owner);
        if (plane.service() == MessagePlane.Service.INLINE) {
            owner.serve(call);
            return;
        }
        owner.requests.offer(call);
        replyWait.reset();
        while (!call.done) {
            replyWait.idle();
        }
    }

    /** Serves queued requests; the concurrent runtime's service agent calls this in its duty cycle. */
    @Override
    public int doWork() {
        int served = 0;
        RemoteCall call;
        while ((call = requests.relaxedPoll()) != null) {
            serve(call);
            served++;
        }
        return served;
    }

    private void serve(RemoteCall call) {
        long t = Math.max(call.arrivalNanos, serviceFreeAt[SERVICE_FREE_AT]) + plane.stack().wire().messageOverheadNanos();
        MemorySegment target = memory.asSlice(call.physicalOffset, call.length);
        long depart;
        long replyBytes = 0;
        switch (call.kind) {
            case READ -> {
                MemorySegment staged = stageOut(target);
                MemorySegment landing = plane.endpoint(call.requester).copyToPool(staged);
                releaseStaged(staged, target);
                call.payload = landing;
                depart = t + plane.sendSideNanos(call.length) - plane.stack().wire().messageOverheadNanos();
                replyBytes = call.length;
            }
            case WRITE -> {
                stageIn(call.payload, target);
                pool.give(call.payload);
                depart = t + plane.receiveSideNanos(call.length) - plane.stack().wire().messageOverheadNanos();
            }
            default -> {
                call.result = apply(call.kind, target, 0, call.operand, call.expected);
                depart = t + plane.machine().topology().memory().latencyNanos();
                replyBytes = Long.BYTES;
            }
        }
        depart += plane.stack().wire().messageOverheadNanos();
        serviceFreeAt[SERVICE_FREE_AT] = depart;
        call.replyArrivalNanos = plane.wireArrival(self, call.requester, replyBytes, depart);
        call.done = true;
    }

    // ---- staging copies -------------------------------------------------------------------------

    /** Copies outgoing bytes through host staging and the kernel, as the stack does; returns what goes on the wire. */
    private MemorySegment stageOut(MemorySegment bytes) {
        MemorySegment current = bytes;
        if (plane.stack().hostStaging()) {
            current = copyToPool(current);
        }
        if (plane.stack().kernelCopy()) {
            MemorySegment kernel = copyToPool(current);
            releaseStaged(current, bytes);
            current = kernel;
        }
        return current;
    }

    /** Copies a landed payload through the kernel and host staging into its destination, as the stack does. */
    private void stageIn(MemorySegment landed, MemorySegment destination) {
        MemorySegment current = landed;
        if (plane.stack().kernelCopy() && plane.stack().hostStaging()) {
            current = copyToPool(landed);
        }
        MemorySegment.copy(current, 0, destination, 0, destination.byteSize());
        if (current != landed) {
            pool.give(current);
        }
    }

    /** A buffer from this endpoint's pool, in its node's memory, holding a copy of {@code bytes}. */
    private MemorySegment copyToPool(MemorySegment bytes) {
        MemorySegment buffer = pool.take(bytes.byteSize());
        MemorySegment.copy(bytes, 0, buffer, 0, bytes.byteSize());
        return buffer;
    }

    /** Returns a staging buffer to the pool; {@code original} (the caller's own bytes) never goes there. */
    private void releaseStaged(MemorySegment staged, MemorySegment original) {
        if (staged != original) {
            pool.give(staged);
        }
    }

    private MemorySegment ownerMemory(GlobalAddressSpace.Run run) {
        return plane.machine().memory(run.node()).segment().asSlice(run.physicalOffset(), run.length());
    }

    private void countMessages(int count, long payloadBytes) {
        NodeStats stats = access().stats();
        stats.message(CopyStack.HEADER_BYTES);
        for (int i = 1; i < count; i++) {
            stats.message(payloadBytes + CopyStack.HEADER_BYTES);
        }
    }

    private void checkLocal(MemorySegment segment, long offset, long length, String what) {
        if (length < 0 || offset < 0 || offset > segment.byteSize() - length) {
            throw new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes at local offset " + offset
                    + " does not fit a segment of " + segment.byteSize() + " bytes", NONE, NONE, self);
        }
    }

    private void checkSource(int source) {
        if (source < 0 || source >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot receive from node " + source + ": the machine has nodes 0.."
                    + (nodeCount - 1) + " (or ANY_SOURCE)", NONE, NONE, self);
        }
    }

    private void checkNode(int node, String what) {
        if (node < 0 || node >= nodeCount) {
            throw new OutOfRangeFault("node " + self + " cannot " + what + " node " + node + ": the machine has nodes 0.."
                    + (nodeCount - 1), NONE, NONE, self);
        }
        if (space.nodeClosed(node) || space.nodeClosed(self)) {
            throw new NodeClosedFault("node " + (space.nodeClosed(self) ? self : node) + " is closed: node " + self
                    + " cannot " + what + " node " + node, NONE, NONE, self);
        }
    }
}
