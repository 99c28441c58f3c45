package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.ProtocolError;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One node's line cache: a fixed number of line-sized slots in the node's own memory, a map from line
 * address to slot, each slot's protocol state, and a recency list (most recent at the head) for LRU
 * replacement.
 *
 * <p>Two kinds of thread use it. The node's own thread (one at a time, as for every node access path) hits,
 * inserts, frees and keeps the recency list, without a lock. Any thread delivering a protocol message to this
 * node changes a slot's state and bytes, under the lock of the message's line (held by the caller) and this
 * slot's stamp. A stamp is a sequence number per slot, odd while a state or its bytes change: a load hit reads
 * the stamp, the state and the bytes and checks the stamp again (a seqlock), while a store hit, a delivery and
 * the closing domain take the stamp odd for the time they write ({@link #beginWrite}). Deliveries find slots
 * through their line's record and never free one: a slot they invalidate is listed ({@link #nextInvalidated})
 * for the node's thread to free when it needs room, so that the map and the recency list have a single writer.
 */
final class LineCache {

    private static final int NONE = -1;
    private static final VarHandle STAMP = MethodHandles.arrayElementVarHandle(long[].class);

    private final MemorySegment data;
    private final int lineSize;
    private final int lineShift;
    /** Guards the map against deliveries reading it while the node's thread changes it, and the invalidated list. */
    private final Object tags = new Object();
    private final LongIntHashMap slotOfLine;
    private final long[] lineOf;
    private final CacheLine[] state;
    /** Each slot's state's ordinal, beside {@link #state}, for the hit path to read without following a reference. */
    private final byte[] stateOrdinal;
    private final long[] stamps;
    private final int[] newer;
    private final int[] older;
    private final int[] freeSlots;
    private final IntArrayList invalidated = new IntArrayList();
    /** Whether a slot is in {@link #invalidated}: each is listed once, so the list stays within the capacity. */
    private final boolean[] listed;
    /** Set once every stamp is taken for good: a closed or broken domain. */
    private volatile boolean poisoned;
    /** Invalidated slots the node's thread has taken over and not yet looked at (its thread only). */
    private final IntArrayList spare = new IntArrayList();
    /** Direct-mapped guesses of a line's slot for the hit path; a guess is checked against {@link #lineOf}. */
    private final int[] hint;
    private final int hintMask;
    private int freeCount;
    private int newest = NONE;
    private int oldest = NONE;

    LineCache(MemorySegment data, int lineSize, int lines) {
        this.data = data;
        this.lineSize = lineSize;
        this.lineShift = Integer.numberOfTrailingZeros(lineSize);
        this.slotOfLine = new LongIntHashMap(lines * 2);
        this.lineOf = new long[lines];
        this.state = new CacheLine[lines];
        this.stateOrdinal = new byte[lines];
        this.listed = new boolean[lines];
        this.stamps = new long[lines];
        this.newer = new int[lines];
        this.older = new int[lines];
        this.freeSlots = new int[lines];
        for (int s = 0; s < lines; s++) {
            freeSlots[s] = lines - 1 - s;
        }
        this.freeCount = lines;
        Arrays.fill(state, CacheLine.INVALID);
        Arrays.fill(lineOf, NONE);
        this.hint = new int[Integer.highestOneBit(Math.max(1, lines - 1)) << 2];
        this.hintMask = hint.length - 1;
    }

    // ---- the node's own thread ------------------------------------------------------------------

    /** The slot holding {@code line}, or -1; the node's thread only. */
    int slotOf(long line) {
        int guess = hint[(int) (line >>> lineShift) & hintMask];
        return lineOf[guess] == line ? guess : slotFromMap(line);
    }

    private int slotFromMap(long line) {
        int slot = slotOfLine.getIfAbsent(line, NONE);
        if (slot != NONE) {
            hint[(int) (line >>> lineShift) & hintMask] = slot;
        }
        return slot;
    }

    boolean full() {
        return freeCount == 0;
    }

    /** Takes a free slot for {@code line}, invalid and most recently used; the cache must not be full. */
    int insert(long line) {
        int slot = freeSlots[--freeCount];
        synchronized (tags) {
            slotOfLine.put(line, slot);
            lineOf[slot] = line;
        }
        hint[(int) (line >>> lineShift) & hintMask] = slot;
        link(slot);
        return slot;
    }

    /**
     * Gives {@code slot} back: its line is no longer held. The caller holds the line's lock, so no delivery is
     * using the slot, and the slot is invalid.
     */
    void free(int slot) {
        unlink(slot);
        synchronized (tags) {
            slotOfLine.remove(lineOf[slot]);
            lineOf[slot] = NONE;
        }
        freeSlots[freeCount++] = slot;
    }

    /** Marks {@code slot} most recently used. */
    void touch(int slot) {
        if (slot != newest) {
            unlink(slot);
            link(slot);
        }
    }

    /** The least recently used slot (the cache must not be empty). */
    int leastRecent() {
        return oldest;
    }

    /**
     * The next slot deliveries invalidated, or -1 when none is left; a slot may since have been freed, reused
     * or listed twice, so the caller checks it under its line's lock.
     */
    int nextInvalidated() {
        if (spare.isEmpty()) {
            synchronized (tags) {
                spare.addAll(invalidated);
                invalidated.forEach(slot -> listed[slot] = false);
                invalidated.clear();
            }
        }
        return spare.isEmpty() ? NONE : spare.removeAtIndex(spare.size() - 1);
    }

    // ---- any thread -----------------------------------------------------------------------------

    /** The slot holding {@code line}, or -1, from a thread that may not be the node's. */
    int lookup(long line) {
        synchronized (tags) {
            return slotOfLine.getIfAbsent(line, NONE);
        }
    }

    /** Lists {@code slot} as invalidated by a delivery, for the node's thread to free. */
    void invalidatedByDelivery(int slot) {
        synchronized (tags) {
            if (!listed[slot]) {
                listed[slot] = true;
                invalidated.add(slot);
            }
        }
    }

    /** The line a slot holds, or -1; stable while its line's lock is held or on the node's thread. */
    long lineOf(int slot) {
        return lineOf[slot];
    }

    CacheLine state(int slot) {
        return state[slot];
    }

    /** Sets a slot's state; the caller holds the slot's stamp ({@link #beginWrite}). */
    void setState(int slot, CacheLine s) {
        state[slot] = s;
        stateOrdinal[slot] = (byte) s.state().ordinal();
    }

    /** The ordinal of the slot's state (I is 0, as in a fresh slot). */
    int stateOrdinal(int slot) {
        return stateOrdinal[slot];
    }

    /** The protocol state of {@code line} here (invalid when not held), from any thread. */
    CacheLine lineState(long line) {
        int slot = lookup(line);
        return slot == NONE ? CacheLine.INVALID : state[slot];
    }

    /** The slot's stamp, read before a seqlock read; odd while a writer has it. */
    long readStamp(int slot) {
        return (long) STAMP.getAcquire(stamps, slot);
    }

    /** Whether nothing wrote the slot since {@code stamp} was read: the seqlock read in between is consistent. */
    boolean unchangedSince(int slot, long stamp) {
        VarHandle.loadLoadFence();
        return (long) STAMP.getOpaque(stamps, slot) == stamp;
    }

    /** Takes the slot's stamp if no one has it; false when someone does (the hit path then takes the slow one). */
    boolean tryBeginWrite(int slot) {
        long s = (long) STAMP.getOpaque(stamps, slot);
        return (s & 1) == 0 && STAMP.compareAndSet(stamps, slot, s, s + 1);
    }

    /**
     * Takes the slot's stamp, waiting for the node's thread if it is writing the slot (a few nanoseconds).
     *
     * @throws ProtocolError when the cache has been poisoned meanwhile: the domain broke, and the stamp will never
     *                       be given back
     */
    void beginWrite(int slot) {
        while (!tryBeginWrite(slot)) {
            if (poisoned) {
                throw new ProtocolError("the coherence domain stopped at an earlier failure");
            }
            Thread.onSpinWait();
        }
    }

    /** Gives the stamp back, publishing what was written. */
    void endWrite(int slot) {
        STAMP.setRelease(stamps, slot, (long) STAMP.getOpaque(stamps, slot) + 1);
    }

    /**
     * Takes every slot's stamp for good: from now on no hit succeeds, so every access takes the slow path and
     * meets the closed domain. Waits for store hits in progress to finish. Idempotent; called alone (under the
     * domain's lifecycle lock).
     */
    void poison() {
        if (poisoned) {
            return;
        }
        poisoned = true;
        for (int slot = 0; slot < stamps.length; slot++) {
            while (!tryBeginWrite(slot)) {
                Thread.onSpinWait();
            }
        }
    }

    /** Where {@code slot}'s bytes are in {@link #data()}. */
    long offset(int slot) {
        return (long) slot * lineSize;
    }

    MemorySegment data() {
        return data;
    }

    /** How many slots it has. */
    int capacity() {
        return lineOf.length;
    }

    /** Whether {@code slot}'s state is {@code s}. */
    boolean in(int slot, CacheState s) {
        return state[slot].state() == s;
    }

    private void link(int slot) {
        older[slot] = newest;
        newer[slot] = NONE;
        if (newest != NONE) {
            newer[newest] = slot;
        }
        newest = slot;
        if (oldest == NONE) {
            oldest = slot;
        }
    }

    private void unlink(int slot) {
        int o = older[slot];
        int n = newer[slot];
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
    }
}
