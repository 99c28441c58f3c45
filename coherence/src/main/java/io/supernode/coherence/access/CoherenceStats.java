package io.supernode.coherence.access;

import io.supernode.coherence.protocol.MessageType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one node's coherent accesses did: hits and misses, the protocol work they caused and its modeled
 * time. Messages are charged to the node whose request caused them, wherever they travelled, so that a
 * node's figures explain its own cost.
 *
 * <p>The node's own thread counts its hits, misses and time; the protocol's counts (messages, bytes,
 * invalidations, downgrades) may be added by whichever thread delivers the messages, atomically. A snapshot
 * taken while node threads run is a moment's counts, each exact once they stop.
 */
public final class CoherenceStats {

    private static final VarHandle INVALIDATIONS;
    private static final VarHandle DOWNGRADES;
    private static final VarHandle FABRIC_BYTES;
    private static final VarHandle MESSAGES = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            INVALIDATIONS = lookup.findVarHandle(CoherenceStats.class, "invalidations", long.class);
            DOWNGRADES = lookup.findVarHandle(CoherenceStats.class, "downgrades", long.class);
            FABRIC_BYTES = lookup.findVarHandle(CoherenceStats.class, "fabricBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long loadHits;
    long loadMisses;
    long storeHits;
    long storeMisses;
    long upgrades;
    long silentUpgrades;
    long atomics;
    long invalidations;
    long downgrades;
    long evictions;
    long writebacks;
    long fabricBytes;
    long modeledNanos;
    final long[] messagesByType = new long[MessageType.values().length];

    CoherenceStats() {
    }

    /** Loads served by the node's own cache. */
    public long loadHits() {
        return loadHits;
    }

    /** Loads that had to fetch the line (GetS). */
    public long loadMisses() {
        return loadMisses;
    }

    /** Stores and atomics on a line already held writable (M, or E upgraded silently). */
    public long storeHits() {
        return storeHits;
    }

    /** Stores and atomics on a line not held at all (GetM from I). */
    public long storeMisses() {
        return storeMisses;
    }

    /** Stores and atomics on a line held readable only (GetM from S: the sharers are invalidated). */
    public long upgrades() {
        return upgrades;
    }

    /** MESI's E to M on a first store: no message at all. */
    public long silentUpgrades() {
        return silentUpgrades;
    }

    /** Atomic read-modify-writes (also counted as store hits, misses or upgrades). */
    public long atomics() {
        return atomics;
    }

    /** Copies other nodes lost to this node's requests (Inv and Fwd-GetM delivered). */
    public long invalidations() {
        return invalidations;
    }

    /** Owners demoted to S by this node's reads (Fwd-GetS delivered). */
    public long downgrades() {
        return downgrades;
    }

    /** Lines this node evicted to make room. */
    public long evictions() {
        return evictions;
    }

    /** Evictions that wrote dirty data home (PutM). */
    public long writebacks() {
        return writebacks;
    }

    /** Protocol messages of {@code type} this node's requests caused. */
    public long messages(MessageType type) {
        return messagesByType[type.ordinal()];
    }

    /** Protocol messages this node's requests caused. */
    public long messages() {
        long sum = 0;
        for (long m : messagesByType) {
            sum += m;
        }
        return sum;
    }

    /** Bytes those messages carried over the fabric (headers and lines; zero for node-local ones). */
    public long fabricBytes() {
        return fabricBytes;
    }

    /** Modeled time this node spent in coherent accesses. */
    public long modeledNanos() {
        return modeledNanos;
    }

    /** Hits over all loads and stores (atomics included), or 0 before any. */
    public double hitRate() {
        long all = loadHits + loadMisses + storeHits + storeMisses + upgrades;
        return all == 0 ? 0 : (double) (loadHits + storeHits) / all;
    }

    /** Counts a copy another node lost to this node's request, from any thread. */
    void countInvalidation() {
        INVALIDATIONS.getAndAdd(this, 1L);
    }

    /** Counts an owner demoted by this node's read, from any thread. */
    void countDowngrade() {
        DOWNGRADES.getAndAdd(this, 1L);
    }

    /** Counts a message of this node's request and the bytes it carried over the fabric, from any thread. */
    void countMessage(MessageType type, long overFabricBytes) {
        MESSAGES.getAndAdd(messagesByType, type.ordinal(), 1L);
        if (overFabricBytes != 0) {
            FABRIC_BYTES.getAndAdd(this, overFabricBytes);
        }
    }

    /** Adds {@code other}'s counts to these. */
    void add(CoherenceStats other) {
        loadHits += other.loadHits;
        loadMisses += other.loadMisses;
        storeHits += other.storeHits;
        storeMisses += other.storeMisses;
        upgrades += other.upgrades;
        silentUpgrades += other.silentUpgrades;
        atomics += other.atomics;
        invalidations += other.invalidations;
        downgrades += other.downgrades;
        evictions += other.evictions;
        writebacks += other.writebacks;
        fabricBytes += other.fabricBytes;
        modeledNanos += other.modeledNanos;
        for (int i = 0; i < messagesByType.length; i++) {
            messagesByType[i] += other.messagesByType[i];
        }
    }

    /** An independent copy. */
    CoherenceStats copy() {
        CoherenceStats c = new CoherenceStats();
        c.add(this);
        return c;
    }
}
