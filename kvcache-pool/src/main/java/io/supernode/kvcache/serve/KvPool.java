package io.supernode.kvcache.serve;

import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.TransferCost;
import io.supernode.gas.stats.HostTiming;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.NodeBlockCache;
import io.supernode.kvcache.index.PrefixIndex;
import io.supernode.kvcache.model.Decode;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.trace.Request;
import org.eclipse.collections.api.list.primitive.IntList;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A pooled KV cache on an emulated machine: each node's blocks live in a region of its own memory,
 * a {@link PrefixIndex} knows where every block is, and {@link #serve} runs one request's prefill
 * on one node along the configured path, moving the payload for real and charging the fabric model
 * for the served model's KV size. Blocks move through each node's {@link DataPath} of the setup's
 * {@link ServingSetup#kind() path}: the pool is written once for every path and only asks whether its
 * policy pools blocks at all.
 */
public final class KvPool implements AutoCloseable {

    private final ReplayOptions options;
    private final BlockLayout layout;
    private final ServingProfile profile;
    private final Supernode machine;
    private final DataPath[] paths;
    private final PrefixIndex index;
    private final TinyAttentionModel model;
    private final Region[] regions;
    private final MemorySegment[] scratch;
    private final int[] tokens;

    /** Boots the machine and maps every node's KV region (when the payload is real). */
    public KvPool(ReplayOptions options) {
        this.options = options;
        this.layout = options.layout();
        this.profile = options.profile();
        int capacityBlocks = options.capacityBlocksPerNode();
        long regionBytes = options.payload() ? (long) capacityBlocks * layout.blockBytes() : 0;
        long memoryPerNode = Math.max(16L << 30, roundUp(regionBytes + 2L * layout.blockBytes(), 1L << 30) + (1L << 30));
        this.machine = Supernode.boot(new SupernodeConfig("kv-" + options.nodes(), shape(options), memoryPerNode,
                SupernodeConfig.DEFAULT_PAGE_BYTES, SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY,
                options.seed()));
        this.paths = DataPaths.open(options.path().kind(), machine,
                new MessagePlane(machine, options.pair().copy(), MessagePlane.Service.INLINE));
        this.index = new PrefixIndex(options.nodes(), capacityBlocks);
        this.regions = new Region[options.nodes()];
        this.scratch = new MemorySegment[options.nodes()];
        this.tokens = new int[layout.tokensPerBlock()];
        if (options.payload()) {
            this.model = new TinyAttentionModel(layout, options.seed());
            for (int node = 0; node < options.nodes(); node++) {
                regions[node] = machine.map(RegionSpec.of("kv-node-" + node, regionBytes, Placement.onNode(node)));
                Region buffer = machine.map(RegionSpec.of("kv-scratch-" + node, layout.blockBytes(), Placement.onNode(node)));
                scratch[node] = machine.node(node).view(buffer.baseAddress(), layout.blockBytes());
            }
        } else {
            this.model = null;
        }
    }

    /**
     * The machine's shape for {@code options}: the pair's fabric, in boards of eight when it has two
     * tiers (as CloudMatrix384 does), else one switch tier.
     */
    static Topology shape(ReplayOptions options) {
        Topology pairShape = options.pair().shape();
        int nodes = options.nodes();
        if (pairShape.twoTier() && nodes > 8 && nodes % 8 != 0) {
            throw new KvConfigException(nodes + " nodes do not fill " + pairShape.groupNoun() + "s of 8 on "
                    + options.pair().name() + ": use a multiple of 8, or 8 or fewer");
        }
        return pairShape.inGroupsOf(nodes, 8);
    }

    /** The emulated machine. */
    public Supernode machine() {
        return machine;
    }

    /** Where every block is. */
    public PrefixIndex index() {
        return index;
    }

    /** The options the pool was built with. */
    public ReplayOptions options() {
        return options;
    }

    /** Modeled time for {@code node} to read or fetch {@code tokens} tokens of KV from {@code holder}. */
    public long fetchNanos(int node, int holder, int tokens) {
        if (!options.path().pooled()) {
            throw new IllegalStateException("local-only nodes never read other nodes' blocks");
        }
        return transferCost(node, holder, tokens).modeledNanos();
    }

    /** What moving {@code tokens} tokens of KV between {@code node} and {@code other} costs on the pool's path. */
    private TransferCost transferCost(int node, int other, int tokens) {
        return paths[node].transferCost(machine.topology().routeClass(node, other), profile.kvBytes(tokens));
    }

    /**
     * The modeled service time of {@code request} on {@code node} without serving it: reading or
     * fetching the prefix it can reuse plus prefilling the rest.
     */
    public long estimateServiceNanos(Request request, int node) {
        long[] keys = request.blockKeys();
        int tokensPerBlock = layout.tokensPerBlock();
        NodeBlockCache own = index.cache(node);
        long nanos = 0;
        int block = 0;
        for (; block < keys.length; block++) {
            int blockTokens = request.tokensInBlock(block, tokensPerBlock);
            if (own.get(keys[block]) != null) {
                continue;
            }
            if (!options.path().pooled() || !index.held(keys[block])) {
                break;
            }
            nanos += Math.min(fetchNanos(node, nearestHolder(node, keys[block]), blockTokens),
                    profile.recomputeNanos(blockTokens, (long) block * tokensPerBlock));
        }
        long cached = (long) block * tokensPerBlock;
        return nanos + profile.prefillNanos(Math.max(0, request.inputTokens() - cached), Math.min(cached, request.inputTokens()));
    }

    /** Serves the prefill of {@code request} on {@code node}; caches what it computes. */
    public ServeOutcome serve(Request request, int node) {
        return serve(request, node, false);
    }

    /**
     * As {@link #serve(Request, int)}; {@code replicatePrefix}: every block read from another node is also copied into
     * this node's cache (a request the router diverted from its prefix's holder).
     */
    public ServeOutcome serve(Request request, int node, boolean replicatePrefix) {
        long[] keys = request.blockKeys();
        int tokensPerBlock = layout.tokensPerBlock();
        if (keys.length != layout.blocksFor(request.inputTokens())) {
            throw new KvConfigException("request " + request.id() + " has " + keys.length + " blocks for "
                    + request.inputTokens() + " tokens, but blocks here hold " + tokensPerBlock
                    + " tokens (Mooncake traces need blocks of " + BlockLayout.MOONCAKE_TOKENS_PER_BLOCK + ")");
        }
        Tally tally = new Tally();
        int last = request.inputTokens() - 1;
        Decode decode = model == null ? null : model.startDecode(request.tokens().token(last, tokensPerBlock), last);
        List<Hold> held = new ArrayList<>(keys.length);
        boolean prefix = true;
        for (int block = 0; block < keys.length; block++) {
            long key = keys[block];
            int blockTokens = request.tokensInBlock(block, tokensPerBlock);
            NodeBlockCache own = index.cache(node);
            NodeBlockCache.Entry local = prefix ? own.get(key) : null;
            if (local != null) {
                tally.localHits++;
                tally.hitTokens += blockTokens;
                held.add(Hold.take(own, local));
                if (decode != null) {
                    decode.consume(localBlock(node, local.slot()), blockTokens);
                }
                continue;
            }
            if (prefix && options.path().pooled() && index.held(key)) {
                int holder = nearestHolder(node, key);
                long cost = fetchNanos(node, holder, blockTokens);
                if (cost < profile.recomputeNanos(blockTokens, (long) block * tokensPerBlock)) {
                    readRemote(node, holder, key, blockTokens, cost, decode, tally, held, replicatePrefix);
                    continue;
                }
                tally.costRejected++;
            } else {
                prefix = false;
            }
            compute(request, block, node, key, blockTokens, decode, tally, held);
        }
        // Released last block first, so a prompt's tail is evicted before its head: a head that stays
        // keeps the prefix usable, a tail without its head is not.
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).release();
        }
        return new ServeOutcome(node, keys.length, tally.localHits, tally.remoteHits, tally.costRejected,
                tally.hitTokens, tally.computeTokens, tally.fetchNanos, tally.fabricBytes, tally.messages,
                tally.payloadBytes, tally.replicas, tally.notCached, decode == null ? 0 : decode.digest());
    }

    /** A reference a request holds on a block until it is done. */
    private record Hold(NodeBlockCache cache, NodeBlockCache.Entry entry) {
        static Hold take(NodeBlockCache cache, NodeBlockCache.Entry entry) {
            cache.acquire(entry);
            return new Hold(cache, entry);
        }

        void release() {
            cache.release(entry);
        }
    }

    private static final class Tally {
        int localHits;
        int remoteHits;
        int costRejected;
        long hitTokens;
        long computeTokens;
        long fetchNanos;
        long fabricBytes;
        long messages;
        long payloadBytes;
        int replicas;
        int notCached;
    }

    private void readRemote(int node, int holder, long key, int blockTokens, long cost, Decode decode, Tally tally,
                            List<Hold> held, boolean replicate) {
        NodeBlockCache holderCache = index.cache(holder);
        NodeBlockCache.Entry entry = holderCache.get(key);
        tally.remoteHits++;
        tally.hitTokens += blockTokens;
        tally.fetchNanos += cost;
        chargeTransfer(node, holder, blockTokens, tally);
        held.add(Hold.take(holderCache, entry));
        MemorySegment data = null;
        if (decode != null) {
            data = paths[node].readable(blockAddress(holder, entry.slot()), layout.blockBytes(), scratch[node]);
            tally.payloadBytes += layout.blockBytes();
            decode.consume(data, blockTokens);
        }
        boolean hot = options.replicateAfter() > 0 && entry.countRemoteRead() >= options.replicateAfter();
        if (replicate || hot) {
            NodeBlockCache.Entry copy = index.insert(node, key);
            if (copy != null) {
                tally.replicas++;
                held.add(Hold.take(index.cache(node), copy));
                if (data != null) {
                    MemorySegment.copy(data, 0, localBlock(node, copy.slot()), 0, layout.blockBytes());
                }
            }
        }
    }

    private void compute(Request request, int block, int node, long key, int blockTokens, Decode decode, Tally tally,
                         List<Hold> held) {
        tally.computeTokens += blockTokens;
        boolean present = options.path().pooled() ? index.held(key) : index.cache(node).get(key) != null;
        int target = present ? -1 : options.path().pooled() ? options.placement().place(key, node, index) : node;
        NodeBlockCache.Entry entry = target < 0 ? null : index.insert(target, key);
        if (entry != null) {
            held.add(Hold.take(index.cache(target), entry));
        } else if (!present) {
            tally.notCached++;
        }
        boolean remoteStore = entry != null && target != node;
        if (remoteStore) {
            chargeTransfer(node, target, blockTokens, tally);
        }
        if (decode == null) {
            return;
        }
        int count = request.tokens().copyBlock(block, layout.tokensPerBlock(), request.inputTokens(), tokens);
        int firstPosition = block * layout.tokensPerBlock();
        MemorySegment into = entry != null && target == node ? localBlock(node, entry.slot()) : scratch[node];
        model.fillBlock(tokens, count, firstPosition, into);
        decode.consume(into, blockTokens);
        if (remoteStore) {
            paths[node].write(scratch[node], 0, blockAddress(target, entry.slot()), layout.blockBytes());
            tally.payloadBytes += layout.blockBytes();
        }
    }

    /** Counts the bytes and messages of moving a block between {@code node} and {@code other}, as the path sends them. */
    private void chargeTransfer(int node, int other, int blockTokens, Tally tally) {
        TransferCost cost = transferCost(node, other, blockTokens);
        tally.fabricBytes += cost.wireBytes();
        tally.messages += cost.messages();
    }

    /** The holder of {@code key} nearest to {@code node}: same group before across groups, then the lowest id. */
    int nearestHolder(int node, long key) {
        IntList holders = index.holders(key);
        int best = -1;
        int bestRoute = Integer.MAX_VALUE;
        Topology topology = machine.topology();
        for (int i = 0; i < holders.size(); i++) {
            int holder = holders.get(i);
            int route = topology.routeClass(node, holder).ordinal();
            if (route < bestRoute || (route == bestRoute && holder < best)) {
                best = holder;
                bestRoute = route;
            }
        }
        return best;
    }

    /** The global address of block slot {@code slot} in node {@code node}'s KV region (with a real payload). */
    public long blockAddress(int node, int slot) {
        return regions[node].baseAddress() + (long) slot * layout.blockBytes();
    }

    /** A view of block slot {@code slot} in {@code node}'s own KV region, as {@code node} sees it. */
    private MemorySegment localBlock(int node, int slot) {
        return machine.node(node).view(blockAddress(node, slot), layout.blockBytes());
    }

    /** The decode digest of {@code request} with every block recomputed and nothing cached: the reference. */
    public static long recomputedDigest(TinyAttentionModel model, Request request) {
        BlockLayout layout = model.layout();
        int tokensPerBlock = layout.tokensPerBlock();
        int last = request.inputTokens() - 1;
        Decode decode = model.startDecode(request.tokens().token(last, tokensPerBlock), last);
        int[] blockTokens = new int[tokensPerBlock];
        MemorySegment block = MemorySegment.ofArray(new long[(layout.blockBytes() + 7) / 8]);
        for (int b = 0; b < layout.blocksFor(request.inputTokens()); b++) {
            int count = request.tokens().copyBlock(b, tokensPerBlock, request.inputTokens(), blockTokens);
            model.fillBlock(blockTokens, count, b * tokensPerBlock, block);
            decode.consume(block, request.tokensInBlock(b, tokensPerBlock));
        }
        return decode.digest();
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    @Override
    public void close() {
        machine.close();
    }
}
