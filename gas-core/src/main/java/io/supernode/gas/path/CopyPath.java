package io.supernode.gas.path;

import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The copy-based paths of stacked servers over a node's {@link Endpoint}: {@link PathKind#SEND_RECV},
 * {@link PathKind#RPC} and {@link PathKind#ONE_SIDED}. Every call that moves bytes is a point where a
 * runtime may switch nodes, as node programs' messaging calls always were.
 */
abstract sealed class CopyPath implements DataPath permits CopyPath.SendReceive, CopyPath.Rpc, CopyPath.OneSided {

    /** Bytes of a read request: an address and a length. */
    static final long REQUEST_BYTES = 16;

    final int node;
    final Supernode machine;
    final MessagePlane plane;
    final Endpoint endpoint;
    /** This node's own access path, fetched once: {@link Supernode#node} checks the machine and the id on every call. */
    final NodeAccess access;
    final GlobalAddressSpace space;
    final Waits waits;
    final MemorySegment word = MemorySegment.ofArray(new long[1]);

    CopyPath(int node, MessagePlane plane, Waits waits) {
        this.node = node;
        this.machine = plane.machine();
        this.plane = plane;
        this.endpoint = plane.endpoint(node);
        this.access = machine.node(node);
        this.space = machine.addressSpace();
        this.waits = waits;
    }

    @Override
    public int nodeId() {
        return node;
    }

    @Override
    public VirtualClock clock() {
        return access.clock();
    }

    /** This node's own bytes in place (a program reads its own memory directly), anyone else's copied. */
    @Override
    public MemorySegment readable(long address, long length, MemorySegment scratch) {
        if (space.nodeOf(address) == node) {
            return access.view(address, length);
        }
        read(address, scratch, 0, length);
        return scratch;
    }

    @Override
    public long readLong(long address) {
        read(address, word, 0, Long.BYTES);
        return word.getAtIndex(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void offer(int reader, MemorySegment from, long offset, long length) {
        // One-sided: the reader's request is served without this node's program; the offer is only checked.
        DataPaths.checkOffer(node, space.nodeCount(), reader, from, offset, length);
    }

    @Override
    public boolean servesLocally(long address, long length) {
        return space.onNode(node, address, length);
    }

    @Override
    public long fabricBytes() {
        return access.stats().messageBytes();
    }

    /** A write goes out as a request carrying the bytes and comes back as an acknowledgement. */
    @Override
    public TransferCost writeCost(RouteClass route, long bytes) {
        return requestReplyCost(route, bytes);
    }

    /**
     * Writes the bytes, then the signal's arrival time and value, each as this path writes (two copies
     * after the data, in order, as an RDMA write and a write of the signal on one queue pair travel).
     */
    @Override
    public void putSignal(int destination, MemorySegment from, long offset, long length, long address,
                          long signalAddress, long signalValue) {
        write(from, offset, address, length);
        long arrival = clock().nowNanos() + plane.messageNanos(machine.topology().routeClass(node, destination),
                SignalSlot.BYTES);
        word.setAtIndex(ValueLayout.JAVA_LONG, 0, arrival);
        write(word, 0, signalAddress + SignalSlot.ARRIVAL_NANOS_OFFSET, Long.BYTES);
        word.setAtIndex(ValueLayout.JAVA_LONG, 0, signalValue);
        write(word, 0, signalAddress + SignalSlot.VALUE_OFFSET, Long.BYTES);
    }

    @Override
    public void waitSignal(int source, long address, long length, long signalAddress, long value) {
        SignalSlot.await(space, clock(), waits, node, signalAddress, value);
    }

    /** A request and a reply, as an RPC read or an RDMA read's request and response travel. */
    final TransferCost requestReplyCost(RouteClass route, long bytes) {
        return new TransferCost(plane.messageNanos(route, REQUEST_BYTES) + plane.messageNanos(route, bytes), 2,
                bytes + REQUEST_BYTES + 2L * CopyStack.HEADER_BYTES);
    }

    /** Two-sided messages: the holder offers, the reader receives from the owner of the address it reads. */
    static final class SendReceive extends CopyPath {

        /** The tag reads travel under; per sender they are received in the order offered. */
        static final long READ_TAG = 0x5245_4144L;

        SendReceive(int node, MessagePlane plane, Waits waits) {
            super(node, plane, waits);
        }

        @Override
        public PathKind kind() {
            return PathKind.SEND_RECV;
        }

        @Override
        public void read(long address, MemorySegment into, long offset, long length) {
            int owner = space.nodeOf(address);
            if (owner == node) {
                // A program reads its own memory without a message.
                access.read(address, into, offset, length);
                return;
            }
            receive(owner, READ_TAG, into, offset, length, address);
        }

        @Override
        public void write(MemorySegment from, long offset, long address, long length) {
            if (servesLocally(address, length)) {
                // The owner's program writes its own memory.
                access.write(from, offset, address, length);
                return;
            }
            throw new UnsupportedAccessFault("node " + node + " cannot write " + length + " bytes at "
                    + SupernodeFault.hex(address) + " by send/recv: only the owner's program writes its memory "
                    + "(use RPC or one-sided)", address, SupernodeFault.NONE, node);
        }

        @Override
        public void offer(int reader, MemorySegment from, long offset, long length) {
            send(reader, READ_TAG, from, offset, length);
        }

        /** Sends the bytes as one message under a tag of the signal; the destination's wait lands them. */
        @Override
        public void putSignal(int destination, MemorySegment from, long offset, long length, long address,
                              long signalAddress, long signalValue) {
            send(destination, signalTag(signalAddress), from, offset, length);
        }

        /**
         * Receives {@code source}'s next message under the signal's tag into {@code address} in this node's
         * memory, then sets the signal here, so a later wait for the same value returns at once.
         */
        @Override
        public void waitSignal(int source, long address, long length, long signalAddress, long value) {
            if (SignalSlot.peekValue(space, signalAddress) >= value) {
                return;
            }
            receive(source, signalTag(signalAddress), access.view(address, length), 0, length, address);
            SignalSlot.set(access, signalAddress, value, clock().nowNanos());
        }

        /** Sends {@code length} bytes of {@code from} to {@code destination} under {@code tag}, waiting for room. */
        private void send(int destination, long tag, MemorySegment from, long offset, long length) {
            while (!endpoint.trySend(destination, tag, from, offset, length)) {
                waits.awaitSpace(node, destination);
            }
            waits.yieldPoint(node);
        }

        /**
         * Receives {@code source}'s next message under {@code tag} into {@code into}, waiting for it; it must
         * hold exactly {@code length} bytes, the ones at global {@code address} it stands for.
         */
        private void receive(int source, long tag, MemorySegment into, long offset, long length, long address) {
            long got;
            while ((got = endpoint.tryReceive(source, tag, into, offset, length)) < 0) {
                waits.awaitMessage(node, source, tag);
            }
            waits.yieldPoint(node);
            if (got != length) {
                throw new UnsupportedAccessFault("node " + node + " expected " + length + " bytes for "
                        + SupernodeFault.hex(address) + " from node " + source + ", got " + got, address,
                        SupernodeFault.NONE, node);
            }
        }

        /** Messages for a signal travel under its address: per sender they arrive in the order put. */
        private static long signalTag(long signalAddress) {
            return ~signalAddress;
        }

        @Override
        public TransferCost transferCost(RouteClass route, long bytes) {
            return new TransferCost(plane.messageNanos(route, bytes), 1, bytes + CopyStack.HEADER_BYTES);
        }

        /** A message to the owner, whose program applies it. */
        @Override
        public TransferCost writeCost(RouteClass route, long bytes) {
            return transferCost(route, bytes);
        }
    }

    /** Requests served by the owner's software, which copies out or in and replies. */
    static final class Rpc extends CopyPath {

        Rpc(int node, MessagePlane plane, Waits waits) {
            super(node, plane, waits);
        }

        @Override
        public PathKind kind() {
            return PathKind.RPC;
        }

        @Override
        public void read(long address, MemorySegment into, long offset, long length) {
            endpoint.rpcRead(address, into, offset, length);
            waits.yieldPoint(node);
        }

        @Override
        public void write(MemorySegment from, long offset, long address, long length) {
            endpoint.rpcWrite(from, offset, address, length);
            waits.yieldPoint(node);
        }

        @Override
        public TransferCost transferCost(RouteClass route, long bytes) {
            return requestReplyCost(route, bytes);
        }
    }

    /** RDMA-style get and put: the owner's NIC answers. */
    static final class OneSided extends CopyPath {

        OneSided(int node, MessagePlane plane, Waits waits) {
            super(node, plane, waits);
        }

        @Override
        public PathKind kind() {
            return PathKind.ONE_SIDED;
        }

        @Override
        public void read(long address, MemorySegment into, long offset, long length) {
            endpoint.get(address, into, offset, length);
            waits.yieldPoint(node);
        }

        @Override
        public void write(MemorySegment from, long offset, long address, long length) {
            endpoint.put(from, offset, address, length);
            waits.yieldPoint(node);
        }

        /** As a request and a reply; the estimate does not tell the owner's NIC from its software. */
        @Override
        public TransferCost transferCost(RouteClass route, long bytes) {
            return requestReplyCost(route, bytes);
        }
    }
}
