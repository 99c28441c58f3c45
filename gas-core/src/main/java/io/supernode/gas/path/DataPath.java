package io.supernode.gas.path;

import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;

/**
 * One node's way of moving bytes to and from other nodes' memory, the same calls on every
 * {@link PathKind}: a workload written against it runs unchanged on the unified path, the coherent
 * path and each copy-based method, and never asks which one it is on. Bytes move for real; each call
 * charges this node's modeled clock as its path does.
 *
 * <p>Reads are one-sided on every path but {@link PathKind#SEND_RECV}, where the holder's program
 * takes part: it {@link #offer offers} the bytes, and the reader's {@link #read} receives them from
 * the owner of the address it names, in the order offered. On the other paths {@code offer} does
 * nothing, so a workload that always offers runs on all of them.
 *
 * <p>Get one from {@code DataPaths.open} (one thread driving every node), from a node program's
 * {@code NodeContext.path} (either runtime), or from the coherence module for {@link PathKind#COHERENT}.
 */
public interface DataPath {

    /** Which path this is. */
    PathKind kind();

    /** The node this path moves bytes for. */
    int nodeId();

    /** This node's modeled time. */
    VirtualClock clock();

    /**
     * Copies {@code length} bytes at global {@code address} into {@code into} at {@code offset}.
     *
     * @throws io.supernode.gas.fault.SupernodeFault for a bad address, range or local segment; nothing is changed
     */
    void read(long address, MemorySegment into, long offset, long length);

    /**
     * The {@code length} bytes at {@code address}, ready to read, as cheaply as the path allows: a
     * zero-copy view on {@link PathKind#UNIFIED_LOAD}, and on the copy paths for this node's own memory,
     * else {@code scratch} (at offset 0) filled by {@link #read}. The result is valid until the next call
     * that uses {@code scratch}.
     */
    MemorySegment readable(long address, long length, MemorySegment scratch);

    /** The long at {@code address}: one load on the load/store paths, an 8-byte read on the others. */
    long readLong(long address);

    /**
     * Copies {@code length} bytes of {@code from} at {@code offset} to global {@code address}; returns
     * when they are written.
     *
     * @throws io.supernode.gas.fault.UnsupportedAccessFault on {@link PathKind#SEND_RECV}, where only the
     *         owner's program writes its memory
     */
    void write(MemorySegment from, long offset, long address, long length);

    /**
     * The holder's side of a read on {@link PathKind#SEND_RECV}: sends {@code length} bytes of {@code from}
     * to {@code reader}, whose next {@link #read} of this node's memory receives them. Does nothing on
     * the other paths, where readers need no help.
     */
    void offer(int reader, MemorySegment from, long offset, long length);

    /**
     * Puts {@code length} bytes of {@code from} at {@code offset} at {@code address} in
     * {@code destination}'s memory, then sets the signal at {@code signalAddress} (a {@link SignalSlot} in
     * a plain region of {@code destination}'s memory) to {@code signalValue}: NVSHMEM's put-with-signal.
     * Load/store paths store the bytes and the signal; RPC and one-sided paths write both by copy; on
     * {@link PathKind#SEND_RECV} the bytes travel as a message that {@code destination}'s
     * {@link #waitSignal} receives and lands.
     */
    void putSignal(int destination, MemorySegment from, long offset, long length, long address, long signalAddress,
                   long signalValue);

    /**
     * Waits until the signal at {@code signalAddress} in this node's memory is at least {@code value}, then
     * returns with the bytes put before it in place and this node's clock at their arrival: NVSHMEM's
     * signal-wait-until. On {@link PathKind#SEND_RECV} it receives {@code source}'s message, lands its
     * {@code length} bytes at {@code address} in this node's memory and sets the signal itself; the other
     * paths need neither {@code source}, {@code address} nor {@code length}.
     */
    void waitSignal(int source, long address, long length, long signalAddress, long value);

    /**
     * Whether this node can read the {@code length} bytes at {@code address} now without a transfer over
     * the fabric: they are in its own memory, or in its cache on a caching path.
     */
    boolean servesLocally(long address, long length);

    /**
     * Bytes this node has moved over the fabric through this kind of path so far: data it loaded from or
     * stored to other nodes' memory, the bytes of the messages it sent (headers included; a message is
     * counted at the end that sends it), or the coherence messages of its transactions with their lines.
     * Differences between two calls tell what the calls between them moved.
     */
    long fabricBytes();

    /**
     * What moving {@code bytes} over {@code route} costs on this path, estimated without moving them: a
     * read, or a write with its acknowledgement, which the copy paths send as a request and a reply too.
     */
    TransferCost transferCost(RouteClass route, long bytes);

    /**
     * What writing {@code bytes} over {@code route} costs, or, on {@link PathKind#SEND_RECV}, sending them
     * to the owner for its program to apply, estimated without moving them.
     */
    TransferCost writeCost(RouteClass route, long bytes);
}
