package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheLine;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One node's line cache: a fixed number of line-sized slots in the node's own memory, a map from line
 * address to slot, each slot's protocol state, and a recency list (most recent at the head) for LRU
 * replacement. Not thread-safe: its coherence domain serializes access.
 */
final class LineCache {

    private static final int NONE = -1;

    private final MemorySegment data;
    private final int lineSize;
    private final LongIntHashMap slotOfLine;
    private final long[] lineOf;
    private final CacheLine[] state;
    private final int[] newer;
    private final int[] older;
    private final int[] freeSlots;
    private int freeCount;
    private int newest = NONE;
    private int oldest = NONE;

    LineCache(MemorySegment data, int lineSize, int lines) {
        this.data = data;
        this.lineSize = lineSize;
        this.slotOfLine = new LongIntHashMap(lines * 2);
        this.lineOf = new long[lines];
        this.state = new CacheLine[lines];
        this.newer = new int[lines];
        this.older = new int[lines];
        this.freeSlots = new int[lines];
        for (int s = 0; s < lines; s++) {
            freeSlots[s] = lines - 1 - s;
        }
        this.freeCount = lines;
        Arrays.fill(state, CacheLine.INVALID);
    }

    /** The slot holding {@code line}, or -1. */
    int slotOf(long line) {
        return slotOfLine.getIfAbsent(line, NONE);
    }

    /** The protocol state of {@code line} here (invalid when not held). */
    CacheLine lineState(long line) {
        int slot = slotOf(line);
        return slot == NONE ? CacheLine.INVALID : state[slot];
    }

    CacheLine state(int slot) {
        return state[slot];
    }

    void setState(int slot, CacheLine s) {
        state[slot] = s;
    }

    long lineOf(int slot) {
        return lineOf[slot];
    }

    boolean full() {
        return freeCount == 0;
    }

    /** Takes a free slot for {@code line}, invalid and most recently used; the cache must not be full. */
    int insert(long line) {
        int slot = freeSlots[--freeCount];
        slotOfLine.put(line, slot);
        lineOf[slot] = line;
        state[slot] = CacheLine.INVALID;
        link(slot);
        return slot;
    }

    /** Gives {@code slot} back: its line is no longer held. */
    void free(int slot) {
        unlink(slot);
        slotOfLine.remove(lineOf[slot]);
        state[slot] = CacheLine.INVALID;
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

    /** Where {@code slot}'s bytes are in {@link #data()}. */
    long offset(int slot) {
        return (long) slot * lineSize;
    }

    MemorySegment data() {
        return data;
    }

    /** Every line held, oldest first. */
    long[] lines() {
        long[] out = new long[lineOf.length - freeCount];
        int i = 0;
        for (int s = oldest; s != NONE; s = newer[s]) {
            out[i++] = lineOf[s];
        }
        return out;
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
