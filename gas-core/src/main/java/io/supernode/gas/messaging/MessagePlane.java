package io.supernode.gas.messaging;

import io.supernode.gas.Supernode;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.RouteClass;

/**
 * The copy-based baseline of one machine: a scale-out message plane (its own links, wired like the
 * machine with the stack's wire profile) and one {@link Endpoint} per node. It prices each stage of
 * {@link CopyStack} from the same fabric model the unified path uses.
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

    /** The message plane of {@code machine} with {@code stack}'s stages. */
    public MessagePlane(Supernode machine, CopyStack stack, Service service) {
        this.machine = machine;
        this.stack = stack;
        this.wire = new FabricModel(machine.topology().withLink(stack.wire()));
        this.service = service;
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

    /** Node {@code node}'s endpoint. */
    public Endpoint endpoint(int node) {
        return endpoints[node];
    }

    // ---- stage costs ------------------------------------------------------------------------

    /** A host staging copy of {@code bytes} by the copy engine, launch included. */
    long stagingCopyNanos(long bytes) {
        LinkProfile host = stack.hostLink();
        return host.messageOverheadNanos() + FabricModel.transferNanos(bytes, host.writeBytesPerSecond());
    }

    /** A kernel socket copy of {@code bytes}, call overhead included. */
    static long kernelCopyNanos(long bytes) {
        return CopyStack.KERNEL_CALL_NANOS + FabricModel.transferNanos(bytes, CopyStack.KERNEL_COPY_BYTES_PER_SECOND);
    }

    /** A NIC's DMA of {@code bytes} across the host link (a round trip plus the bytes). */
    long hostDmaNanos(long bytes) {
        LinkProfile host = stack.hostLink();
        return 2 * host.latencyNanos() + FabricModel.transferNanos(bytes, host.readBytesPerSecond());
    }

    /** What the NIC spends fetching a payload it sends: nothing when it travels inline. */
    long nicFetchNanos(long bytes) {
        return stack.nicFetch() && bytes > stack.inlineBytes() ? hostDmaNanos(bytes) : 0;
    }

    /** Sender software until the payload is handed to the wire: overhead, staging, kernel copy. */
    long sendSideNanos(long bytes) {
        return stack.wire().messageOverheadNanos() + (stack.hostStaging() ? stagingCopyNanos(bytes) : 0)
                + (stack.kernelCopy() ? kernelCopyNanos(bytes) : 0);
    }

    /** Receiver software from the last byte's arrival to the payload in device memory. */
    long receiveSideNanos(long bytes) {
        return (stack.kernelCopy() ? kernelCopyNanos(bytes) : 0) + (stack.hostStaging() ? stagingCopyNanos(bytes) : 0)
                + stack.wire().messageOverheadNanos();
    }

    /** When a payload handed to the wire at {@code departNanos} has fully arrived, links contended. */
    long wireArrival(int from, int to, long payloadBytes, long departNanos) {
        return wire.transfer(from, to, payloadBytes + CopyStack.HEADER_BYTES, departNanos + nicFetchNanos(payloadBytes));
    }

    /** The unloaded cost of one two-sided message of {@code bytes}, send call to data in the receiver's memory. */
    public long messageNanos(RouteClass rc, long bytes) {
        return sendSideNanos(bytes) + nicFetchNanos(bytes) + wire.transferNanos(rc, bytes + CopyStack.HEADER_BYTES)
                + receiveSideNanos(bytes);
    }
}
