package io.supernode.gas.runtime;

import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.Waits;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node program sees: its unified access path ({@link #memory()}), the copy-based path
 * (send/receive, remote reads/writes/atomics served by owners, one-sided get/put/atomics), a
 * barrier, and its virtual clock. Messaging calls and barriers are the points where the deterministic
 * runtime may switch nodes; {@link #yield()} adds one.
 */
public final class NodeContext {

    private final int node;
    private final int[] participants;
    private final Supernode machine;
    private final MessagePlane plane;
    private final Endpoint endpoint;
    private final Scheduler scheduler;
    private final DataPath[] paths = new DataPath[PathKind.values().length];
    private final List<long[]> buffers = new ArrayList<>();

    NodeContext(int node, int[] participants, Supernode machine, MessagePlane plane, Scheduler scheduler) {
        this.node = node;
        this.participants = participants;
        this.machine = machine;
        this.plane = plane;
        this.endpoint = plane.endpoint(node);
        this.scheduler = scheduler;
    }

    /** This node's id in the machine. */
    public int nodeId() {
        return node;
    }

    /** The nodes running this program, in order. */
    public int[] participants() {
        return participants.clone();
    }

    /** The machine. */
    public Supernode machine() {
        return machine;
    }

    /** The unified path: loads, stores, bulk copies, atomics and views by global address. */
    public NodeAccess memory() {
        return machine.node(node);
    }

    /**
     * This node's {@link DataPath} of {@code kind}: the one way a program moves data that runs unchanged
     * on every path. Its two-sided transfers wait through this runtime, as {@link #send} and
     * {@link #receive} do.
     *
     * @throws io.supernode.gas.fault.UnsupportedAccessFault for {@link PathKind#COHERENT}, which the
     *         coherence domain of a coherent region hands out
     */
    public DataPath path(PathKind kind) {
        DataPath path = paths[kind.ordinal()];
        if (path == null) {
            path = DataPaths.open(kind, machine, plane, node, new Waits() {
                @Override
                public void awaitSpace(int waiting, int destination) {
                    scheduler.awaitSpace(waiting);
                }

                @Override
                public void awaitMessage(int waiting, int source, long tag) {
                    scheduler.awaitMessage(waiting, source, tag);
                }

                @Override
                public void awaitSignal(int waiting, long signalAddress, long value) {
                    scheduler.awaitSignal(waiting, signalAddress, value);
                }

                @Override
                public void yieldPoint(int waiting) {
                    scheduler.yieldPoint(waiting);
                }
            });
            paths[kind.ordinal()] = path;
        }
        return path;
    }

    /** This node's modeled time (a Chronicle {@code TimeProvider}). */
    public VirtualClock clock() {
        return memory().clock();
    }

    /** A buffer in this node's own memory (device memory), freed when the run ends. */
    public MemorySegment allocate(long bytes) {
        long size = Math.max(4096, (bytes + 4095) & -4096L);
        long offset = machine.memory(node).allocator().allocate(size, 4096);
        buffers.add(new long[] {offset, size});
        return machine.memory(node).segment().asSlice(offset, bytes);
    }

    void freeBuffers() {
        for (long[] b : buffers) {
            machine.memory(node).discard(b[0], b[1]);
            machine.memory(node).allocator().free(b[0], b[1]);
        }
        buffers.clear();
    }

    /** Lets the deterministic runtime run other nodes whose clocks are behind this one's. */
    public void yield() {
        scheduler.yieldPoint(node);
    }

    /** Waits for every participating node; clocks meet at the latest of them plus the barrier's cost. */
    public void barrier() {
        scheduler.barrier(node);
    }

    /** Sends {@code length} bytes of {@code source} at {@code offset} to {@code destination} with {@code tag}. */
    public void send(int destination, long tag, MemorySegment source, long offset, long length) {
        while (!endpoint.trySend(destination, tag, source, offset, length)) {
            // The receiver's eager ring for this node is full: let it catch up.
            scheduler.awaitSpace(node);
        }
        scheduler.yieldPoint(node);
    }

    /**
     * Receives a message from {@code source} (or {@link Endpoint#ANY_SOURCE}) with {@code tag} into
     * {@code destination} at {@code offset}, waiting for it.
     *
     * @return its length
     */
    public long receive(int source, long tag, MemorySegment destination, long offset, long maxLength) {
        long length;
        while ((length = endpoint.tryReceive(source, tag, destination, offset, maxLength)) < 0) {
            scheduler.awaitMessage(node, source, tag);
        }
        scheduler.yieldPoint(node);
        return length;
    }

    /** Reads remote memory through its owners' services (request, copy out, reply, copy in). */
    public void rpcRead(long address, MemorySegment destination, long offset, long length) {
        endpoint.rpcRead(address, destination, offset, length);
        scheduler.yieldPoint(node);
    }

    /** Writes remote memory through its owners' services. */
    public void rpcWrite(MemorySegment source, long offset, long address, long length) {
        endpoint.rpcWrite(source, offset, address, length);
        scheduler.yieldPoint(node);
    }

    /** Fetch-and-add executed by the owner's service; returns the previous value. */
    public long rpcGetAndAddLong(long address, long delta) {
        return afterYield(endpoint.rpcGetAndAddLong(address, delta));
    }

    /** Compare-and-exchange executed by the owner's service; returns the previous value. */
    public long rpcCompareAndExchangeLong(long address, long expected, long update) {
        return afterYield(endpoint.rpcCompareAndExchangeLong(address, expected, update));
    }

    /** One-sided read by copy (RDMA-like). */
    public void get(long address, MemorySegment destination, long offset, long length) {
        endpoint.get(address, destination, offset, length);
        scheduler.yieldPoint(node);
    }

    /** One-sided write by copy (RDMA-like). */
    public void put(MemorySegment source, long offset, long address, long length) {
        endpoint.put(source, offset, address, length);
        scheduler.yieldPoint(node);
    }

    /** Fetch-and-add in the owner's NIC; returns the previous value. */
    public long nicGetAndAddLong(long address, long delta) {
        return afterYield(endpoint.nicGetAndAddLong(address, delta));
    }

    /** Compare-and-exchange in the owner's NIC; returns the previous value. */
    public long nicCompareAndExchangeLong(long address, long expected, long update) {
        return afterYield(endpoint.nicCompareAndExchangeLong(address, expected, update));
    }

    /** Returns {@code value} once the deterministic runtime has had its chance to switch nodes. */
    private long afterYield(long value) {
        scheduler.yieldPoint(node);
        return value;
    }
}
