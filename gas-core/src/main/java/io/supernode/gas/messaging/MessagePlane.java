package io.supernode.gas.messaging;

import io.supernode.gas.Supernode;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeClosedFault;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * The copy-based baseline of one machine: a scale-out message plane (its own links, wired like the
 * machine with the stack's wire profile) and one {@link Endpoint} per node. It prices each stage of
 * {@link CopyStack} from the same fabric model the unified path uses.
 *
 * <p>On stacked servers the plane is the machine's own wiring: messages inside a server are copies over the
 * scale-up links (as NCCL's peer-to-peer transport makes them over NVLink, no NIC), messages between servers
 * cross the two NICs on the scale-out network; the stack's software stages apply to both.
 */
public final class MessagePlane {

    /** Who runs the owner's side of remote reads, writes and atomics. */
    public enum Service {
        /** The requester runs the owner's service inline: one thread at a time (the deterministic runtime). */
        INLINE,
        /** Each owner's service agent takes requests from its queue (the concurrent runtime). */
        AGENT
    }

    private final Supernode machine;
    private final CopyStack stack;
    private final FabricModel wire;
    private final Service service;
    private final Endpoint[] endpoints;
    /**
     * The wire time of every latency-bound payload size ({@code [route class][payload bytes]}), NIC fetch
     * included: what {@link #wireArrival} adds for a small message, looked up instead of computed, since
     * the ping-pong of small messages is where the emulator's own cost per message shows.
     */
    private final long[][] latencyBoundNanos;
    /** By route class, the software overhead o at one end of a message: looked up on every send and receive. */
    private final long[] overheadNanos = new long[RouteClass.values().length];
    /** By route class, whether a NIC is on the way (not inside a stacked server). */
    private final boolean[] nicOnRoute = new boolean[RouteClass.values().length];

    /** The message plane of {@code machine} with {@code stack}'s stages. */
    public MessagePlane(Supernode machine, CopyStack stack, Service service) {
        if (machine.isClosed()) {
            throw new SupernodeClosedFault("the supernode is closed: no message plane can be set up on it", NONE, NONE, NONE);
        }
        this.machine = machine;
        this.stack = stack;
        this.wire = new FabricModel(machine.topology().stacked() ? machine.topology()
                : machine.topology().withLink(stack.wire()));
        this.service = service;
        this.latencyBoundNanos = new long[RouteClass.values().length][(int) LATENCY_BOUND_BYTES + 1];
        boolean stacked = wire.topology().stacked();
        for (RouteClass rc : RouteClass.values()) {
            boolean insideServer = stacked && rc != RouteClass.CROSS_GROUP;
            // Inside a stacked server a message is NCCL's copy over the scale-up link, not a NIC's verbs.
            overheadNanos[rc.ordinal()] = insideServer ? wire.topology().link().messageOverheadNanos()
                    : stack.wire().messageOverheadNanos();
            nicOnRoute[rc.ordinal()] = !insideServer;
        }
        for (RouteClass rc : RouteClass.values()) {
            for (int bytes = 0; bytes <= LATENCY_BOUND_BYTES; bytes++) {
                latencyBoundNanos[rc.ordinal()][bytes] = nicFetchNanos(rc, bytes)
                        + wire.transferNanos(rc, bytes + CopyStack.HEADER_BYTES);
            }
        }
        this.endpoints = new Endpoint[machine.nodeCount()];
        for (int node = 0; node < endpoints.length; node++) {
            endpoints[node] = new Endpoint(this, node);
        }
    }

    /** The machine this plane belongs to. */
    public Supernode machine() {
        return machine;
    }

    /** The stack whose stages messages go through. */
    public CopyStack stack() {
        return stack;
    }

    /** The message plane's fabric: links and contention of the scale-out network. */
    public FabricModel wire() {
        return wire;
    }

    /** Who serves remote requests. */
    public Service service() {
        return service;
    }

    /**
     * Node {@code node}'s endpoint.
     *
     * @throws OutOfRangeFault when the machine has no node {@code node}
     */
    public Endpoint endpoint(int node) {
        if (node < 0 || node >= endpoints.length) {
            throw new OutOfRangeFault("no endpoint for node " + node + ": the machine has nodes 0.."
                    + (endpoints.length - 1), NONE, NONE, node);
        }
        return endpoints[node];
    }

    // ---- stage costs ------------------------------------------------------------------------

    /**
     * A host staging copy on the critical path of a {@code bytes} message: the copy engine's launch and
     * the first chunk; later chunks overlap with the wire (see {@link #pipelineDeficitNanos}).
     */
    long stagingCopyNanos(long bytes) {
        LinkProfile host = stack.hostLink();
        return host.messageOverheadNanos()
                + FabricModel.transferNanos(Math.min(bytes, CopyStack.PIPELINE_CHUNK_BYTES), host.writeBytesPerSecond());
    }

    /** A kernel socket copy on the critical path: the call and the first chunk. */
    static long kernelCopyNanos(long bytes) {
        return CopyStack.KERNEL_CALL_NANOS
                + FabricModel.transferNanos(Math.min(bytes, CopyStack.PIPELINE_CHUNK_BYTES), CopyStack.KERNEL_COPY_BYTES_PER_SECOND);
    }

    /**
     * What the pipeline's slowest copy stage adds beyond the wire for the chunks after the first: zero
     * when the wire is the bottleneck, as it is for host staging over PCIe 5 and RoCE.
     */
    long pipelineDeficitNanos(long bytes) {
        if (bytes <= CopyStack.PIPELINE_CHUNK_BYTES) {
            return 0;
        }
        double slowest = Double.MAX_VALUE;
        if (stack.hostStaging()) {
            slowest = stack.hostLink().writeBytesPerSecond();
        }
        if (stack.kernelCopy()) {
            slowest = Math.min(slowest, CopyStack.KERNEL_COPY_BYTES_PER_SECOND);
        }
        double wireRate = stack.wire().readBytesPerSecond();
        if (slowest >= wireRate) {
            return 0;
        }
        long rest = bytes - CopyStack.PIPELINE_CHUNK_BYTES;
        return FabricModel.transferNanos(rest, slowest) - FabricModel.transferNanos(rest, wireRate);
    }

    /**
     * A NIC's DMA of {@code bytes} across the host link, as far as it delays the wire: a round trip and
     * the first MTU; the rest streams while earlier packets are on the wire (the host link is faster).
     */
    long hostDmaNanos(long bytes) {
        LinkProfile host = stack.hostLink();
        return 2 * host.latencyNanos()
                + FabricModel.transferNanos(Math.min(bytes, CopyStack.NIC_MTU_BYTES), host.readBytesPerSecond());
    }

    /**
     * What the NIC spends fetching a payload it sends over a route of class {@code rc}: nothing when it travels
     * inline, or inside a stacked server, where no NIC is on the way.
     */
    public long nicFetchNanos(RouteClass rc, long bytes) {
        return nicOnRoute[rc.ordinal()] && stack.nicFetch() && bytes > stack.inlineBytes() ? hostDmaNanos(bytes) : 0;
    }

    /**
     * The software overhead o at one end of a message over a route of class {@code rc}: the stack's, or inside a
     * stacked server the scale-up link's (NCCL's copy kernels over NVLink, not a NIC's verbs).
     */
    public long overheadNanos(RouteClass rc) {
        return overheadNanos[rc.ordinal()];
    }

    /** {@link #overheadNanos(RouteClass)} of a message between two nodes. */
    public long overheadNanos(int from, int to) {
        return overheadNanos(wire.routeClass(from, to));
    }

    /** Sender software until the payload is handed to the wire: overhead, staging, kernel copy. */
    public long sendSideNanos(RouteClass rc, long bytes) {
        return overheadNanos(rc) + (stack.hostStaging() ? stagingCopyNanos(bytes) : 0)
                + (stack.kernelCopy() ? kernelCopyNanos(bytes) : 0);
    }

    /** Receiver software from the last byte's arrival to the payload in device memory. */
    public long receiveSideNanos(RouteClass rc, long bytes) {
        return (stack.kernelCopy() ? kernelCopyNanos(bytes) : 0) + (stack.hostStaging() ? stagingCopyNanos(bytes) : 0)
                + overheadNanos(rc) + pipelineDeficitNanos(bytes);
    }

    /**
     * Messages up to this payload are latency-bound and charged unloaded, without reserving lanes: the
     * rule the unified path applies to scalar operations (256 B occupy a 48 GB/s lane for 5 ns of a
     * microseconds-long message).
     */
    public static final long LATENCY_BOUND_BYTES = 256;

    /** When a payload handed to the wire at {@code departNanos} has fully arrived, bulk payloads contended. */
    long wireArrival(int from, int to, long payloadBytes, long departNanos) {
        if (payloadBytes <= LATENCY_BOUND_BYTES) {
            return departNanos + latencyBoundNanos[wire.routeClass(from, to).ordinal()][(int) payloadBytes];
        }
        return wire.transfer(from, to, payloadBytes + CopyStack.HEADER_BYTES,
                departNanos + nicFetchNanos(wire.routeClass(from, to), payloadBytes));
    }

    /** The unloaded cost of one two-sided message of {@code bytes}, send call to data in the receiver's memory. */
    public long messageNanos(RouteClass rc, long bytes) {
        return sendSideNanos(rc, bytes) + nicFetchNanos(rc, bytes) + wire.transferNanos(rc, bytes + CopyStack.HEADER_BYTES)
                + receiveSideNanos(rc, bytes);
    }
}
