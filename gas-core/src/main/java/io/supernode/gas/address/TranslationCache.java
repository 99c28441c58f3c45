package io.supernode.gas.address;

import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;

/**
 * One node's translation cache (its TLB): direct-mapped over (region, page) keys. Translation itself
 * never depends on it (the page table is an array and always right); the cache decides which
 * accesses pay for a page-table walk, and the address space shoots entries down on migration and
 * unmapping exactly as a TLB shootdown would.
 *
 * <p>Single writer (the node's thread) except for shootdowns, which run under the address space's
 * lock while the machine is quiescent for that region.
 */
public final class TranslationCache {

    private static final long EMPTY = -1;
    private static final int PAGE_BITS = 40;

    private final long[] keys;
    private final int mask;

    /** A cache of {@code entries} translations, a power of two. */
    public TranslationCache(int entries) {
        if (entries < 1 || Integer.bitCount(entries) != 1) {
            throw new ConfigFault("translation cache entries must be a power of two >= 1, got "
                    + entries);
        }
        keys = new long[entries];
        mask = entries - 1;
        Arrays.fill(keys, EMPTY);
    }

    private static long key(int regionId, long pageIndex) {
        return ((long) regionId << PAGE_BITS) | pageIndex;
    }

    private int slot(long key) {
        // Fibonacci hashing spreads neighbouring pages of many regions over the slots.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    /**
     * Looks up and fills: returns whether the translation of (region, page) was cached, caching it
     * if it was not.
     */
    public boolean access(int regionId, long pageIndex) {
        long key = key(regionId, pageIndex);
        int slot = slot(key);
        if (keys[slot] == key) {
            return true;
        }
        keys[slot] = key;
        return false;
    }

    /** Drops the translation of one page. */
    public void invalidate(int regionId, long pageIndex) {
        long key = key(regionId, pageIndex);
        int slot = slot(key);
        if (keys[slot] == key) {
            keys[slot] = EMPTY;
        }
    }

    /** Drops every translation of a region. */
    public void invalidateRegion(int regionId) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && (int) (keys[i] >>> PAGE_BITS) == regionId) {
                keys[i] = EMPTY;
            }
        }
    }

    /** Capacity in translations. */
    public int entries() {
        return keys.length;
    }
}
