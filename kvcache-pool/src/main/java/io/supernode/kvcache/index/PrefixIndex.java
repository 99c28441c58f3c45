package io.supernode.kvcache.index;

import org.eclipse.collections.api.list.primitive.IntList;
import org.eclipse.collections.impl.factory.primitive.IntLists;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine-wide view of every node's KV blocks: which nodes hold a key, and which node holds the
 * longest prefix of a prompt (what a cache-aware router asks).
 */
public final class PrefixIndex {

    /**
     * The node holding the most leading blocks of a prompt.
     *
     * @param node   the node, or -1 when no node holds the first block
     * @param blocks how many leading blocks it holds
     */
    public record PrefixMatch(int node, int blocks) {
    }

    private static final IntList NONE = IntLists.immutable.empty();

    private final NodeBlockCache[] caches;
    private final LongObjectHashMap<IntArrayList> holders = new LongObjectHashMap<>();

    /** Told of every block a node evicts, after the index forgot it and before its slot is reused. */
    @FunctionalInterface
    public interface Eviction {
        /** {@code node} evicted the block with {@code key} from {@code slot}. */
        void evicted(int node, long key, int slot);
    }

    /** An empty index over {@code nodes} nodes of {@code capacityBlocksPerNode} blocks each. */
    public PrefixIndex(int nodes, int capacityBlocksPerNode) {
        this(nodes, capacityBlocksPerNode, (node, key, slot) -> { });
    }

    /** An empty index that tells {@code onEvict} of every eviction (a lower tier keeps what this one drops). */
    public PrefixIndex(int nodes, int capacityBlocksPerNode, Eviction onEvict) {
        caches = new NodeBlockCache[nodes];
        for (int node = 0; node < nodes; node++) {
            int owner = node;
            caches[node] = new NodeBlockCache(node, capacityBlocksPerNode, (key, slot) -> {
                forget(key, owner);
                onEvict.evicted(owner, key, slot);
            });
        }
    }

    /** Nodes in the index. */
    public int nodes() {
        return caches.length;
    }

    /** Node {@code node}'s cache. */
    public NodeBlockCache cache(int node) {
        return caches[node];
    }

    /** The nodes holding {@code key}, in the order they cached it. */
    public IntList holders(long key) {
        IntArrayList nodes = holders.get(key);
        return nodes == null ? NONE : nodes;
    }

    /** Whether any node holds {@code key}. */
    public boolean held(long key) {
        return holders.containsKey(key);
    }

    /** Caches {@code key} on {@code node} (see {@link NodeBlockCache#insert}); null when it cannot. */
    public NodeBlockCache.Entry insert(int node, long key) {
        NodeBlockCache.Entry entry = caches[node].insert(key);
        if (entry != null) {
            holders.getIfAbsentPut(key, () -> new IntArrayList(1)).add(node);
        }
        return entry;
    }

    /** Leading blocks of {@code keys} held anywhere: what a pooled cache can serve. */
    public int longestPrefix(long[] keys) {
        int blocks = 0;
        while (blocks < keys.length && holders.containsKey(keys[blocks])) {
            blocks++;
        }
        return blocks;
    }

    /** Leading blocks of {@code keys} held by {@code node}. */
    public int longestPrefixOn(int node, long[] keys) {
        NodeBlockCache cache = caches[node];
        int blocks = 0;
        while (blocks < keys.length && cache.get(keys[blocks]) != null) {
            blocks++;
        }
        return blocks;
    }

    /** The node holding the longest prefix of {@code keys}; ties go to the lowest node id. */
    public PrefixMatch longestPrefixNode(long[] keys) {
        int best = -1;
        int bestBlocks = 0;
        for (int node = 0; node < caches.length; node++) {
            int blocks = longestPrefixOn(node, keys);
            if (blocks > bestBlocks) {
                best = node;
                bestBlocks = blocks;
            }
        }
        return new PrefixMatch(best, bestBlocks);
    }

    /** Blocks held on every node together (a key on two nodes counts twice). */
    public long blocksHeld() {
        long total = 0;
        for (NodeBlockCache cache : caches) {
            total += cache.size();
        }
        return total;
    }

    /** Blocks evicted on every node together. */
    public long evictions() {
        long total = 0;
        for (NodeBlockCache cache : caches) {
            total += cache.evictions();
        }
        return total;
    }

    /**
     * What is inconsistent now, empty when nothing is: a node over capacity, a block still referenced
     * between requests, two blocks in one slot, or a global view that disagrees with the nodes.
     */
    public List<String> violations() {
        List<String> found = new ArrayList<>();
        long listed = 0;
        for (NodeBlockCache cache : caches) {
            if (cache.size() > cache.capacityBlocks()) {
                found.add("node " + cache.node() + " holds " + cache.size() + " blocks, capacity " + cache.capacityBlocks());
            }
            IntHashSet slots = new IntHashSet();
            for (NodeBlockCache.Entry entry : cache.entries()) {
                if (entry.references() != 0) {
                    found.add("node " + cache.node() + " block " + Long.toHexString(entry.key()) + " has "
                            + entry.references() + " references left");
                }
                if (!slots.add(entry.slot())) {
                    found.add("node " + cache.node() + " slot " + entry.slot() + " holds two blocks");
                }
                if (!holders(entry.key()).contains(cache.node())) {
                    found.add("the global view misses block " + Long.toHexString(entry.key()) + " on node " + cache.node());
                }
            }
            listed += cache.size();
        }
        long viewed = holders.sumOfInt(IntArrayList::size);
        if (viewed != listed) {
            found.add("the global view lists " + viewed + " copies, the nodes hold " + listed);
        }
        return found;
    }

    private void forget(long key, int node) {
        IntArrayList nodes = holders.get(key);
        nodes.remove(node);
        if (nodes.isEmpty()) {
            holders.remove(key);
        }
    }
}
