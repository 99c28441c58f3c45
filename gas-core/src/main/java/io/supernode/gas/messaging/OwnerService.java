package io.supernode.gas.messaging;

import io.supernode.gas.fabric.RouteClass;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.lang.foreign.MemorySegment;

/**
 * The owner's service of one node: the software that runs other nodes' {@link RemoteCall}s on this node's
 * memory, one at a time, and charges each its turn. It runs inline in the requester's thread
 * ({@link MessagePlane.Service#INLINE}) or drains its queue in the duty cycle of the endpoint's agent
 * ({@link MessagePlane.Service#AGENT}), where requesters on other threads offer to the queue.
 */
final class OwnerService {

    private static final int PAD = 8;
    private static final int SERVICE_FREE_AT = PAD;

    private final MessagePlane plane;
    private final int self;
    /** This node's whole memory, which the calls read and write. */
    private final MemorySegment memory;
    private final Staging staging;
    private final MpscUnboundedArrayQueue<RemoteCall> requests = new MpscUnboundedArrayQueue<>(256);
    // When the service is next free: written by the service while other nodes' threads read this node's
    // queue and pool, so it sits on a cache line of its own.
    private final long[] serviceFreeAt = new long[2 * PAD];

    OwnerService(MessagePlane plane, int self, Staging staging) {
        this.plane = plane;
        this.self = self;
        this.memory = plane.machine().memory(self).segment();
        this.staging = staging;
    }

    /** Queues a call for {@link #doWork}; any thread may offer. */
    void enqueue(RemoteCall call) {
        requests.offer(call);
    }

    /** {@link Endpoint#doWork}: serves every queued call. */
    int doWork() {
        int served = 0;
        RemoteCall call;
        while ((call = requests.relaxedPoll()) != null) {
            serve(call);
            served++;
        }
        return served;
    }

    /** Runs {@code call} when it has arrived and the service is free, fills in its reply, then marks it done. */
    void serve(RemoteCall call) {
        RouteClass route = plane.wire().routeClass(call.requester, self);
        long overhead = plane.overheadNanos(route);
        long t = Math.max(call.arrivalNanos, serviceFreeAt[SERVICE_FREE_AT]) + overhead;
        MemorySegment target = memory.asSlice(call.physicalOffset, call.length);
        long depart;
        long replyBytes = 0;
        switch (call.kind) {
            case READ -> {
                call.payload = staging.landIn(plane.endpoint(call.requester).staging, target);
                depart = t + plane.sendSideNanos(route, call.length) - overhead;
                replyBytes = call.length;
            }
            case WRITE -> {
                staging.deliver(call.payload, target);
                depart = t + plane.receiveSideNanos(route, call.length) - overhead;
            }
            default -> {
                call.result = call.kind.apply(target, 0, call.operand, call.expected);
                depart = t + plane.machine().topology().memory().latencyNanos();
                replyBytes = Long.BYTES;
            }
        }
        depart += overhead;
        serviceFreeAt[SERVICE_FREE_AT] = depart;
        call.replyArrivalNanos = plane.wireArrival(self, call.requester, replyBytes, depart);
        call.done = true;
    }
}
