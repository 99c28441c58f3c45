package io.supernode.gas.messaging;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.Region;
import io.supernode.gas.agent.Backoff;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.stats.HostTiming;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.time.VirtualClock;
import org.agrona.concurrent.IdleStrategy;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * One node's operations on global addresses over the copy path: reads, writes and atomics sent as
 * {@link RemoteCall}s to each owner's {@link OwnerService} (RPC), and one-sided get, put and NIC atomics
 * that the owner's NIC answers with no owner software running. A range is split into runs by owning
 * node; a run this node owns is copied locally. Only the node's own thread calls it.
 */
final class RemoteOperations {

    private final MessagePlane plane;
    /** The endpoint this part belongs to, whose checks its operations run. */
    private final Endpoint endpoint;
    private final int self;
    private final GlobalAddressSpace space;
    /** This node's whole memory, for the runs it owns itself. */
    private final MemorySegment memory;
    private final Staging staging;
    private final HostTiming timing;
    private final IdleStrategy replyWait = Backoff.idleStrategy();
    private NodeAccess access;

    RemoteOperations(MessagePlane plane, Endpoint endpoint, Staging staging) {
        this.plane = plane;
        this.endpoint = endpoint;
        this.self = endpoint.nodeId();
        this.space = plane.machine().addressSpace();
        this.memory = plane.machine().memory(self).segment();
        this.staging = staging;
        this.timing = plane.machine().config().hostTiming();
    }

    /** The endpoint's {@link NodeAccess}, kept here once fetched. */
    private NodeAccess access() {
        if (access == null) {
            access = plane.endpoint(self).access();
        }
        return access;
    }

    /**
     * Moves {@code length} bytes between {@code local} at {@code offset} and {@code address}, run by run:
     * {@code kind} is {@link OpKind#RPC_READ}, {@link OpKind#RPC_WRITE}, {@link OpKind#GET} or
     * {@link OpKind#PUT}, and {@code write} says which way the bytes go.
     */
    void rangeOp(OpKind kind, long address, MemorySegment local, long offset, long length, boolean write) {
        try {
            moveRange(kind, address, local, offset, length, write);
        } catch (IllegalStateException e) {
            throw endpoint.closedDuring(e);
        }
    }

    private void moveRange(OpKind kind, long address, MemorySegment local, long offset, long length, boolean write) {
        boolean timed = timing.times(length);
        long hostStart = timed ? System.nanoTime() : 0;
        if (write) {
            endpoint.checkLocal(local, offset, length, kind.name());
        } else {
            endpoint.checkDestination(local, offset, length, kind.name());
        }
        Region region = space.checkRange(self, address, length, write, kind.name().toLowerCase(Locale.ROOT));
        List<GlobalAddressSpace.Run> runs = space.runs(region, address, length);
        for (GlobalAddressSpace.Run run : runs) {
            endpoint.checkNode(run.node(), kind.name().toLowerCase(Locale.ROOT) + " on");
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
        long depart = t + plane.overheadNanos(self, run.node());
        RemoteCall call = new RemoteCall(RemoteCall.Kind.READ, self, run.node(), run.physicalOffset(), run.length(), 0, 0,
                null, plane.wireArrival(self, run.node(), 0, depart));
        submit(call);
        staging.deliver(call.payload, into);
        countMessages(2, run.length());
        return Math.max(t, call.replyArrivalNanos) + plane.receiveSideNanos(plane.wire().routeClass(run.node(), self), run.length());
    }

    private long rpcWriteRun(GlobalAddressSpace.Run run, MemorySegment from, long t) {
        MemorySegment landing = staging.landIn(plane.endpoint(run.node()).staging, from);
        long depart = t + plane.sendSideNanos(plane.wire().routeClass(self, run.node()), run.length());
        RemoteCall call = new RemoteCall(RemoteCall.Kind.WRITE, self, run.node(), run.physicalOffset(), run.length(), 0, 0,
                landing, plane.wireArrival(self, run.node(), run.length(), depart));
        submit(call);
        countMessages(2, run.length());
        return Math.max(t, call.replyArrivalNanos) + plane.overheadNanos(self, run.node());
    }

    private long getRun(GlobalAddressSpace.Run run, MemorySegment into, long t) {
        long post = t + plane.overheadNanos(self, run.node());
        long atOwner = plane.wireArrival(self, run.node(), 0, post);
        long read = atOwner + plane.hostDmaNanos(run.length());
        MemorySegment landing = staging.copyToPool(ownerMemory(run));
        long arrival = plane.wire().transfer(run.node(), self, run.length() + CopyStack.HEADER_BYTES, read);
        staging.deliver(landing, into);
        countMessages(2, run.length());
        return arrival + plane.overheadNanos(self, run.node())
                + (plane.stack().hostStaging() ? plane.stagingCopyNanos(run.length()) : 0)
                + plane.pipelineDeficitNanos(run.length());
    }

    private long putRun(GlobalAddressSpace.Run run, MemorySegment from, long t) {
        MemorySegment staged = staging.stageOut(from);
        long depart = t + plane.overheadNanos(self, run.node())
                + (plane.stack().hostStaging() ? plane.stagingCopyNanos(run.length()) : 0);
        long arrival = plane.wireArrival(self, run.node(), run.length(), depart);
        MemorySegment.copy(staged, 0, ownerMemory(run), 0, run.length());
        staging.releaseStaged(staged, from);
        long written = arrival + plane.hostDmaNanos(run.length());
        long ack = plane.wire().transfer(run.node(), self, CopyStack.HEADER_BYTES, written);
        countMessages(2, run.length());
        return ack + plane.overheadNanos(self, run.node());
    }

    /**
     * Applies {@code op} to the long at {@code address}: by the owner's service for {@link OpKind#RPC_ATOMIC},
     * else by its NIC ({@link OpKind#NIC_ATOMIC}); returns the previous value.
     */
    long atomic(OpKind kind, RemoteCall.Kind op, long address, long operand, long expected) {
        try {
            return applyAtomic(kind, op, address, operand, expected);
        } catch (IllegalStateException e) {
            throw endpoint.closedDuring(e);
        }
    }

    private long applyAtomic(OpKind kind, RemoteCall.Kind op, long address, long operand, long expected) {
        boolean timed = timing.times(Long.BYTES);
        long hostStart = timed ? System.nanoTime() : 0;
        if ((address & (Long.BYTES - 1)) != 0) {
            throw new MisalignedAtomicFault("node " + self + " atomic at " + GlobalAddress.format(address)
                    + " is not 8-byte aligned", address, NONE, self);
        }
        Region region = space.checkRange(self, address, Long.BYTES, true, "atomically update");
        // An atomic returns the old value, a read: it needs both permissions, as on every other path.
        space.checkRange(self, address, Long.BYTES, false, "atomically read");
        GlobalAddressSpace.Run run = space.runs(region, address, Long.BYTES).getFirst();
        endpoint.checkNode(run.node(), "atomic on");
        VirtualClock clock = access().clock();
        long start = clock.nowNanos();
        long post = start + plane.overheadNanos(self, run.node());
        long result;
        long done;
        if (kind == OpKind.RPC_ATOMIC) {
            RemoteCall call = new RemoteCall(op, self, run.node(), run.physicalOffset(), Long.BYTES, operand, expected,
                    null, plane.wireArrival(self, run.node(), Long.BYTES, post));
            submit(call);
            result = call.result;
            done = call.replyArrivalNanos + plane.overheadNanos(self, run.node());
        } else {
            long atOwner = plane.wireArrival(self, run.node(), Long.BYTES, post);
            result = op.apply(plane.machine().memory(run.node()).segment(), run.physicalOffset(), operand, expected);
            long executed = atOwner + plane.hostDmaNanos(Long.BYTES);
            done = plane.wire().transfer(run.node(), self, Long.BYTES + CopyStack.HEADER_BYTES, executed)
                    + plane.overheadNanos(self, run.node());
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

    /** Hands {@code call} to its owner's service and returns once the service has answered. */
    private void submit(RemoteCall call) {
        OwnerService owner = plane.endpoint(call.owner).service;
        if (plane.service() == MessagePlane.Service.INLINE) {
            owner.serve(call);
            return;
        }
        owner.enqueue(call);
        replyWait.reset();
        while (!call.done) {
            replyWait.idle();
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
}
