package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.stats.OpKind;
import org.agrona.concurrent.Agent;

import java.lang.foreign.MemorySegment;

/**
 * One node's end of the copy-based path: two-sided send and receive matched by source and tag,
 * remote reads, writes and atomics served by the owner's service, and one-sided get, put and NIC
 * atomics by copy. Every copy a real stack makes is made by its parts, through bounce buffers registered in
 * node memory; every stage is charged to the issuing node's clock by the {@link MessagePlane}.
 *
 * <p>The node's own thread calls the operations; the owner's service runs either inline in the
 * requester's thread ({@link MessagePlane.Service#INLINE}) or as this endpoint's {@link Agent}.
 *
 * <p>Each job is a part of its own, which this class holds in final fields and hands each call to:
 * {@link EagerSender} (sends), {@link MessageMatcher} (eager rings, matching and receives),
 * {@link RemoteOperations} (RPC and one-sided operations), {@link OwnerService} (serving other nodes'
 * calls) and {@link Staging} (bounce buffers and the stack's copies through them). A send or a receive
 * thus costs one field load and a call more than its part's method, which the JIT inlines.
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

    private final MessagePlane plane;
    private final int self;
    /** This node's bounce buffers: other nodes' parts land payloads in them. */
    final Staging staging;
    private final EagerSender sender;
    /** This node's receive side: a sender makes its ring here. */
    final MessageMatcher matcher;
    private final RemoteOperations remote;
    /** This node's service: requesters hand it their calls. */
    final OwnerService service;
    private NodeAccess access;

    Endpoint(MessagePlane plane, int self) {
        this.plane = plane;
        this.self = self;
        this.staging = new Staging(plane, self);
        this.sender = new EagerSender(plane, self, staging);
        this.matcher = new MessageMatcher(plane, self, staging);
        this.remote = new RemoteOperations(plane, self, staging);
        this.service = new OwnerService(plane, self, staging);
    }

    /**
     * The node's {@link NodeAccess} (its clock and stats), fetched from the machine on the first use by any
     * part, so that an endpoint never asks twice; each part keeps its own copy once it has one.
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
        return sender.trySend(destination, tag, source, offset, length);
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
        return matcher.tryReceive(source, tag, destination, offset, maxLength);
    }

    /** When the message {@link #tryReceive} would take arrives, or {@link Long#MAX_VALUE} if there is none. */
    public long earliestMatch(int source, long tag) {
        return matcher.earliestMatch(source, tag);
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
