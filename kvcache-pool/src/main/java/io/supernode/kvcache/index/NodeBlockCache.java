package io.supernode.kvcache.index;

import io.supernode.kvcache.KvConfigException;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * The KV blocks one node holds: a slot per block out of the node's capacity, a reference count per
 * block (a block in use is never evicted), pinning, and least-recently-used eviction among the
 * blocks that are neither in use nor pinned.
 */
public final class NodeBlockCache {

    /** Told of every evicted block while its slot still holds the block's bytes. */
    @FunctionalInterface
    public interface Eviction {
        /** The block with {@code key} in {@code slot} was evicted; the slot is reused when this returns. */
        void evicted(long key, int slot);
    }

    /** One cached block. */
    public static final class Entry {
        private final long key;
        private final int slot;
        private int references;
        private boolean pinned;
        private int remoteReads;
        private Entry older;
        private Entry newer;
        private boolean evictable;

        private Entry(long key, int slot) {
            this.key = key;
            this.slot = slot;
        }

        /** The block's key. */
        public long key() {
            return key;
        }

        /** The block's slot in its node's KV region. */
        public int slot() {
            return slot;
        }

        /** Requests using the block now. */
        public int references() {
            return references;
        }

        /** Whether the block may never be evicted. */
        public boolean pinned() {
            return pinned;
        }

        /** Counts a read by another node and returns the count so far. */
        public int countRemoteRead() {
            return ++remoteReads;
        }
    }

    private final int node;
    private final int capacityBlocks;
    private final LongObjectHashMap<Entry> entries = new LongObjectHashMap<>();
    private final IntArrayList freeSlots = new IntArrayList();
    private final Eviction onEvict;
    private int nextSlot;
    private Entry oldest;
    private Entry newest;
    private long evictions;

    /**
     * An empty cache.
     *
     * @param node           the node it belongs to
     * @param capacityBlocks blocks it may hold
     * @param onEvict        told of every evicted block
     */
    public NodeBlockCache(int node, int capacityBlocks, Eviction onEvict) {
        if (capacityBlocks < 0) {
            throw new KvConfigException("node " + node + " KV capacity must be >= 0 blocks, got " + capacityBlocks);
        }
        this.node = node;
        this.capacityBlocks = capacityBlocks;
        this.onEvict = onEvict;
    }

    /** The node. */
    public int node() {
        return node;
    }

    /** Blocks the node may hold. */
    public int capacityBlocks() {
        return capacityBlocks;
    }

    /** Blocks held now. */
    public int size() {
        return entries.size();
    }

    /** Blocks evicted so far. */
    public long evictions() {
        return evictions;
    }

    /** Every cached block, in no particular order. */
    public Iterable<Entry> entries() {
        return entries.values();
    }

    /** The cached block with {@code key}, or null. */
    public Entry get(long key) {
        return entries.get(key);
    }

    /** Marks {@code entry} most recently used. */
    public void touch(Entry entry) {
        if (entry.evictable) {
            unlink(entry);
            append(entry);
        }
    }

    /** Takes a reference: the block stays until released. */
    public void acquire(Entry entry) {
        if (entry.references++ == 0 && entry.evictable) {
            unlink(entry);
        }
    }

    /** Drops a reference; an unpinned block with none left becomes the most recently used candidate for eviction. */
    public void release(Entry entry) {
        if (entry.references == 0) {
            throw new IllegalStateException("node " + node + " released block " + Long.toHexString(entry.key)
                    + " more often than it was acquired");
        }
        if (--entry.references == 0 && !entry.pinned) {
            append(entry);
        }
    }

    /** Pins the block with {@code key}: it is never evicted. Returns false when it is not cached. */
    public boolean pin(long key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return false;
        }
        if (entry.evictable) {
            unlink(entry);
        }
        entry.pinned = true;
        return true;
    }

    /**
     * Caches a new block with {@code key}, evicting the least recently used unpinned block not in use
     * when the node is full. Returns null when nothing can be evicted or the key is already cached.
     */
    public Entry insert(long key) {
        if (entries.containsKey(key)) {
            return null;
        }
        int slot;
        if (!freeSlots.isEmpty()) {
            slot = freeSlots.removeAtIndex(freeSlots.size() - 1);
        } else if (nextSlot < capacityBlocks) {
            slot = nextSlot++;
        } else if (oldest != null) {
            Entry victim = oldest;
            unlink(victim);
            entries.remove(victim.key);
            evictions++;
            onEvict.evicted(victim.key, victim.slot);
            slot = victim.slot;
        } else {
            return null;
        }
        Entry entry = new Entry(key, slot);
        entries.put(key, entry);
        append(entry);
        return entry;
    }

    private void append(Entry entry) {
        entry.older = newest;
        entry.newer = null;
        if (newest != null) {
            newest.newer = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
        entry.evictable = true;
    }

    private void unlink(Entry entry) {
        if (entry.older != null) {
            entry.older.newer = entry.newer;
        } else {
            oldest = entry.newer;
        }
        if (entry.newer != null) {
            entry.newer.older = entry.older;
        } else {
            newest = entry.older;
        }
        entry.older = null;
        entry.newer = null;
        entry.evictable = false;
    }
}
