package io.supernode.kvcache.serve;

import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.TransferCost;
import io.supernode.gas.stats.HostTiming;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.NodeBlockCache;
import io.supernode.kvcache.index.PrefixIndex;
import io.supernode.kvcache.model.Decode;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.model.TinyAttentionModel;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.tier.TierCosts;
import io.supernode.kvcache.tier.TierUse;
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
 *
 * <p>With DRAM and SSD tiers, a block evicted from HBM is demoted to the DRAM tier (and from there to SSD), where a
 * later prompt finds it; reading it costs the tier's medium (and the fabric, from another node's host when pooled)
 * and promotes it back into the reader's HBM. The tiers are inclusive: a promoted block keeps its lower copy.
 * Demotions are write-backs off the path to the first token: their bytes are counted, not their time.
 */
public final class KvPool implements AutoCloseable {

    private static final Tier[] TIERS = Tier.values();

    private final ReplayOptions options;
    private final BlockLayout layout;
    private final ServingProfile profile;
    private final Supernode machine;
    private final DataPath[] paths;
    private final PrefixIndex index;
    private final PrefixIndex[] tiers;
    private final TierCosts tierCosts;
    private final TierCounter[] counters;
    private final TinyAttentionModel model;
    private final Region[][] regions;
    private final MemorySegment[] scratch;
    private final long[] receiveAddress;
    private final int[] tokens;
    private final Lookup found = new Lookup();
    private long scaleUpBytes;
    private long scaleOutBytes;
    private long hostLinkBytes;

    /** Boots the machine and maps every node's KV regions, one per tier (when the payload is real). */
    public KvPool(ReplayOptions options) {
        this.options = options;
        this.layout = options.layout();
        this.profile = options.profile();
        this.machine = Supernode.boot(new SupernodeConfig("kv-" + options.nodes(), shape(options), memoryPerNode(options),
                SupernodeConfig.DEFAULT_PAGE_BYTES, SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY,
                options.seed()));
        this.paths = DataPaths.open(options.path().kind(), machine,
                new MessagePlane(machine, options.pair().copy(), MessagePlane.Service.INLINE));
        this.tiers = new PrefixIndex[TIERS.length];
        this.counters = new TierCounter[TIERS.length];
        for (Tier tier : TIERS) {
            counters[tier.ordinal()] = new TierCounter();
        }
        for (Tier tier : options.tiers()) {
            tiers[tier.ordinal()] = new PrefixIndex(options.nodes(), options.capacityBlocksPerNode(tier),
                    (node, key, slot) -> demote(tier, node, key, slot));
        }
        this.index = tiers[Tier.HBM.ordinal()];
        // A copy path's servers copy host DRAM in over PCIe; the unified path's (and a local-only node's) accelerators
        // load it over the scale-up link when that link is the Unified Bus, CloudMatrix384's.
        this.tierCosts = TierCosts.of(options.path().kind() != PathKind.RPC
                && options.pair().shape().link() == LinkProfiles.UB);
        this.regions = new Region[TIERS.length][options.nodes()];
        this.scratch = new MemorySegment[options.nodes()];
        this.receiveAddress = new long[options.nodes()];
        this.tokens = new int[layout.tokensPerBlock()];
        if (options.payload()) {
            this.model = new TinyAttentionModel(layout, options.seed());
            for (int node = 0; node < options.nodes(); node++) {
                for (Tier tier : TIERS) {
                    long bytes = (long) options.capacityBlocksPerNode(tier) * layout.blockBytes();
                    if (bytes > 0) {
                        String name = tier == Tier.HBM ? "kv-node-" + node : "kv-" + tier.label() + "-node-" + node;
                        // Huge pages: a tier's blocks are written in bulk, and small pages would fault 512 times more.
                        regions[tier.ordinal()][node] = machine.map(RegionSpec.of(name, bytes, Placement.onNode(node))
                                .withPageSize(GlobalAddressSpace.HUGE_PAGE_BYTES));
                    }
                }
                Region buffer = machine.map(RegionSpec.of("kv-scratch-" + node, layout.blockBytes(), Placement.onNode(node)));
                scratch[node] = machine.node(node).view(buffer.baseAddress(), layout.blockBytes());
                if (options.disaggregated()) {
                    // A decode node receives a prompt's KV block by block here and attends over each as it lands.
                    receiveAddress[node] = machine.map(RegionSpec.of("kv-receive-" + node, layout.blockBytes(),
                            Placement.onNode(node))).baseAddress();
                }
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

    /** Where every block in HBM is. */
    public PrefixIndex index() {
        return index;
    }

    /** Where every block in {@code tier} is, or null when the pool has no such tier. */
    public PrefixIndex index(Tier tier) {
        return tiers[tier.ordinal()];
    }

    /** The options the pool was built with. */
    public ReplayOptions options() {
        return options;
    }

    /** What each tier has done so far, fastest first; absent tiers are left out. */
    public List<TierUse> tierUse() {
        List<TierUse> use = new ArrayList<>();
        for (Tier tier : TIERS) {
            PrefixIndex tierIndex = tiers[tier.ordinal()];
            if (tierIndex != null) {
                TierCounter c = counters[tier.ordinal()];
                use.add(new TierUse(tier, options.capacityBlocksPerNode(tier), c.hits, c.hitTokens, c.movedBytes,
                        c.promotions, c.demotions, tierIndex.evictions()));
            }
        }
        return use;
    }

    /** Modeled bytes loaded and stored across the scale-up fabric so far, on load/store paths. */
    public long scaleUpBytes() {
        return scaleUpBytes;
    }

    /** Modeled bytes sent as messages so far: the copy path's, and the unified path's between stacked servers. */
    public long scaleOutBytes() {
        return scaleOutBytes;
    }

    /** Modeled KV bytes between a node's accelerators and its own host's DRAM and drives so far, both ways. */
    public long hostLinkBytes() {
        return hostLinkBytes;
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
            if (own.get(keys[block]) != null) {
                continue;
            }
            int blockTokens = request.tokensInBlock(block, tokensPerBlock);
            long recompute = profile.recomputeNanos(blockTokens, (long) block * tokensPerBlock);
            Reach reach = locate(node, keys[block], blockTokens, recompute);
            if (reach == Reach.ABSENT) {
                break;
            }
            nanos += reach == Reach.FOUND ? found.nanos : recompute;
        }
        long cached = (long) block * tokensPerBlock;
        return nanos + profile.prefillNanos(Math.max(0, request.inputTokens() - cached), Math.min(cached, request.inputTokens()));
    }

    /** Serves the prefill of {@code request} on {@code node}; caches what it computes. */
    public ServeOutcome serve(Request request, int node) {
        return serve(request, node, false);
    }

    /**
     * As {@link #serve(Request, int)}; {@code replicatePrefix}: every block read from another node's HBM is also copied
     * into this node's cache (a request the router diverted from its prefix's holder).
     */
    public ServeOutcome serve(Request request, int node, boolean replicatePrefix) {
        return serve(request, node, replicatePrefix, -1);
    }

    /**
     * As {@link #serve(Request, int, boolean)}, then, unless {@code decodeNode} is -1, moves the prompt's KV to
     * {@code decodeNode}: a store into its memory on the unified path, a write request with the copy stack's stages
     * and its acknowledgement on the copy path. The payload moves block by block as each is computed or read, and the
     * decode node attends over each block where it lands; the modeled time is one write of the whole prompt's KV
     * after the prefill (not overlapped with it, as a layer-by-layer stream would be).
     *
     * @throws IllegalStateException when the decode node's attention over the KV it received differs from the
     *                               prefill node's: the transfer must deliver the bytes intact
     */
    public ServeOutcome serve(Request request, int node, boolean replicatePrefix, int decodeNode) {
        if (decodeNode != -1 && (!options.disaggregated() || decodeNode < 0 || decodeNode >= options.nodes()
                || decodeNode == node)) {
            throw new KvConfigException("decode node " + decodeNode + " for a prefill on node " + node + ": a pool "
                    + "of " + options.nodes() + " nodes set up for disaggregation moves KV to another of its nodes");
        }
        long[] keys = request.blockKeys();
        int tokensPerBlock = layout.tokensPerBlock();
        if (keys.length != layout.blocksFor(request.inputTokens())) {
            throw new KvConfigException("request " + request.id() + " has " + keys.length + " blocks for "
                    + request.inputTokens() + " tokens, but blocks here hold " + tokensPerBlock
                    + " tokens (Mooncake traces need blocks of " + BlockLayout.MOONCAKE_TOKENS_PER_BLOCK + ")");
        }
        Tally tally = new Tally();
        int last = request.inputTokens() - 1;
        int lastToken = request.tokens().token(last, tokensPerBlock);
        Decode decode = model == null ? null : model.startDecode(lastToken, last);
        Forward forward = decode == null || decodeNode < 0 ? null
                : new Forward(decodeNode, model.startDecode(lastToken, last));
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
                count(Tier.HBM, blockTokens, 0);
                held.add(Hold.take(own, local));
                if (decode != null) {
                    MemorySegment data = localBlock(node, local.slot());
                    decode.consume(data, blockTokens);
                    forward(node, data, blockTokens, forward, tally);
                }
                continue;
            }
            if (prefix) {
                Reach reach = locate(node, key, blockTokens, profile.recomputeNanos(blockTokens, (long) block * tokensPerBlock));
                if (reach == Reach.FOUND) {
                    forward(node, read(node, key, blockTokens, decode, tally, held, replicatePrefix), blockTokens,
                            forward, tally);
                    continue;
                }
                if (reach == Reach.DEAR) {
                    tally.costRejected++;
                } else {
                    prefix = false;
                }
            }
            forward(node, compute(request, block, node, key, blockTokens, decode, tally, held), blockTokens, forward,
                    tally);
        }
        long transferNanos = 0;
        if (decodeNode >= 0) {
            TransferCost cost = paths[node].writeCost(machine.topology().routeClass(node, decodeNode),
                    profile.kvBytes(request.inputTokens()));
            transferNanos = cost.modeledNanos();
            tally.fabricBytes += cost.wireBytes();
            tally.messages += cost.messages();
            countPlane(cost);
        }
        // Released last block first, so a prompt's tail is evicted before its head: a head that stays
        // keeps the prefix usable, a tail without its head is not.
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).release();
        }
        if (forward != null && forward.decode().digest() != decode.digest()) {
            throw new IllegalStateException("request " + request.id() + ": decode node " + decodeNode
                    + " attends differently over the KV it received from prefill node " + node);
        }
        return new ServeOutcome(node, keys.length, tally.localHits, tally.remoteHits, tally.lowerTierHits,
                tally.costRejected, tally.hitTokens, tally.computeTokens, tally.fetchNanos, tally.fabricBytes,
                tally.messages, tally.payloadBytes, transferNanos, tally.replicas, tally.notCached, decode == null ? 0 : decode.digest());
    }

    /** Where a prompt's KV goes after its prefill, and the decode node's attention over what arrives. */
    private record Forward(int node, Decode decode) {
    }

    /** Sends one block of the prompt's KV, {@code data} on {@code node}, to the decode node, which attends over it. */
    private void forward(int node, MemorySegment data, int blockTokens, Forward forward, Tally tally) {
        if (forward == null) {
            return;
        }
        paths[node].write(data, 0, receiveAddress[forward.node()], layout.blockBytes());
        tally.payloadBytes += layout.blockBytes();
        forward.decode().consume(machine.node(forward.node()).view(receiveAddress[forward.node()], layout.blockBytes()),
                blockTokens);
    }

    /** Whether a block is within reach beyond the serving node's HBM, and whether reading it beats recomputing it. */
    private enum Reach {
        /** No tier the serving node may read holds it. */
        ABSENT,
        /** Held, but the cheapest read costs more than recomputing it. */
        DEAR,
        /** Held, and {@link #found} says where and at what cost. */
        FOUND
    }

    /** The cheapest place to read a block from, beyond the serving node's HBM: written by {@link #locate}. */
    private static final class Lookup {
        Tier tier;
        int holder;
        long nanos;
    }

    /**
     * Finds the cheapest read of {@code key} for {@code node} outside its own HBM: other nodes' HBM and any node's
     * lower tiers when pooled, else the node's own lower tiers. Leaves it in {@link #found}.
     */
    private Reach locate(int node, long key, int blockTokens, long recomputeNanos) {
        boolean pooled = options.path().pooled();
        found.tier = null;
        found.nanos = Long.MAX_VALUE;
        if (pooled && index.held(key)) {
            int holder = nearestHolder(index, node, key);
            consider(Tier.HBM, holder, transferCost(node, holder, blockTokens).modeledNanos());
        }
        long bytes = profile.kvBytes(blockTokens);
        for (int t = Tier.DRAM.ordinal(); t < TIERS.length; t++) {
            PrefixIndex tierIndex = tiers[t];
            if (tierIndex == null) {
                continue;
            }
            Tier tier = TIERS[t];
            if (tierIndex.cache(node).get(key) != null) {
                consider(tier, node, tierCosts.localNanos(tier, bytes));
            } else if (pooled && tierIndex.held(key)) {
                int holder = nearestHolder(tierIndex, node, key);
                consider(tier, holder, tierCosts.remoteNanos(tier, bytes, transferCost(node, holder, blockTokens).modeledNanos()));
            }
        }
        if (found.tier == null) {
            return Reach.ABSENT;
        }
        return found.nanos < recomputeNanos ? Reach.FOUND : Reach.DEAR;
    }

    private void consider(Tier tier, int holder, long nanos) {
        if (nanos < found.nanos) {
            found.tier = tier;
            found.holder = holder;
            found.nanos = nanos;
        }
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
        int lowerTierHits;
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

    /** One tier's running counts. */
    private static final class TierCounter {
        long hits;
        long hitTokens;
        long movedBytes;
        long promotions;
        long demotions;
    }

    private void count(Tier tier, int blockTokens, long movedBytes) {
        TierCounter c = counters[tier.ordinal()];
        c.hits++;
        c.hitTokens += blockTokens;
        c.movedBytes += movedBytes;
    }

    /**
     * Reads the block {@link #found} located into the request: in place from another node's HBM (copied here when
     * hot or {@code replicate}), or from a lower tier, which promotes it into this node's HBM. Returns the bytes the
     * node attended over (null without payload).
     */
    private MemorySegment read(int node, long key, int blockTokens, Decode decode, Tally tally, List<Hold> held,
                               boolean replicate) {
        Tier tier = found.tier;
        int holder = found.holder;
        PrefixIndex tierIndex = tiers[tier.ordinal()];
        NodeBlockCache holderCache = tierIndex.cache(holder);
        NodeBlockCache.Entry entry = holderCache.get(key);
        if (tier == Tier.HBM) {
            tally.remoteHits++;
        } else {
            tally.lowerTierHits++;
        }
        tally.hitTokens += blockTokens;
        tally.fetchNanos += found.nanos;
        count(tier, blockTokens, profile.kvBytes(blockTokens));
        if (holder != node) {
            chargeTransfer(node, holder, blockTokens, tally);
        } else {
            hostLinkBytes += profile.kvBytes(blockTokens);
        }
        held.add(Hold.take(holderCache, entry));
        MemorySegment data = null;
        if (decode != null) {
            long address = blockAddress(tier, holder, entry.slot());
            if (holder == node) {
                data = machine.node(node).view(address, layout.blockBytes());
            } else {
                data = paths[node].readable(address, layout.blockBytes(), scratch[node]);
                tally.payloadBytes += layout.blockBytes();
            }
            decode.consume(data, blockTokens);
        }
        boolean copyHere = tier != Tier.HBM || replicate
                || options.replicateAfter() > 0 && entry.countRemoteRead() >= options.replicateAfter();
        if (copyHere) {
            NodeBlockCache.Entry copy = index.insert(node, key);
            if (copy != null) {
                if (tier == Tier.HBM) {
                    tally.replicas++;
                } else {
                    counters[tier.ordinal()].promotions++;
                }
                held.add(Hold.take(index.cache(node), copy));
                if (data != null) {
                    MemorySegment.copy(data, 0, localBlock(node, copy.slot()), 0, layout.blockBytes());
                }
            }
        }
        return data;
    }

    /** Where a block that left one tier (or never fitted in HBM) is kept below it. */
    private record Kept(Tier tier, int node, NodeBlockCache.Entry entry) {
    }

    /** Keeps the block {@code from} just evicted on {@code node}, its bytes still in {@code slot}, in the tier below. */
    private void demote(Tier from, int node, long key, int slot) {
        Kept kept = keepBelow(from, node, key);
        if (kept != null && model != null) {
            store(node, kept, machine.node(node).view(blockAddress(from, node, slot), layout.blockBytes()));
        }
    }

    /**
     * Finds room for {@code key}, leaving {@code from} on {@code node}, in the next tier below that the pool has, unless
     * that tier already holds it where the node could read it: on the node's own host, or pooled anywhere. The room is
     * on the node's own host, or pooled on the host the placement policy picks. Null when nothing is kept.
     */
    private Kept keepBelow(Tier from, int node, long key) {
        Tier to = from.below();
        while (to != null && tiers[to.ordinal()] == null) {
            to = to.below();
        }
        if (to == null) {
            return null;
        }
        PrefixIndex lower = tiers[to.ordinal()];
        if (reachable(lower, node, key)) {
            return null;
        }
        boolean pooled = options.path().pooled();
        int target = pooled ? options.placement().place(key, node, lower) : node;
        NodeBlockCache.Entry entry = lower.insert(target, key);
        if (entry == null) {
            return null;
        }
        counters[to.ordinal()].demotions++;
        if (target != node) {
            countPlane(transferCost(node, target, layout.tokensPerBlock()));
        } else {
            hostLinkBytes += profile.kvBytes(layout.tokensPerBlock());
        }
        return new Kept(to, target, entry);
    }

    /** Whether {@code node} can read {@code key} from {@code tierIndex}: on its own, or pooled on any node. */
    private boolean reachable(PrefixIndex tierIndex, int node, long key) {
        return options.path().pooled() ? tierIndex.held(key) : tierIndex.cache(node).get(key) != null;
    }

    /** Writes {@code bytes}, a block on {@code node}, where {@code kept} says: a local copy, or over the path. */
    private void store(int node, Kept kept, MemorySegment bytes) {
        long address = blockAddress(kept.tier(), kept.node(), kept.entry().slot());
        if (kept.node() == node) {
            MemorySegment.copy(bytes, 0, machine.node(node).view(address, layout.blockBytes()), 0, layout.blockBytes());
        } else {
            paths[node].write(bytes, 0, address, layout.blockBytes());
        }
    }

    /** Computes one block of the prompt and caches it where it fits; returns its bytes (null without payload). */
    private MemorySegment compute(Request request, int block, int node, long key, int blockTokens, Decode decode,
                                  Tally tally, List<Hold> held) {
        tally.computeTokens += blockTokens;
        boolean present = reachable(index, node, key);
        int target = present ? -1 : options.path().pooled() ? options.placement().place(key, node, index) : node;
        NodeBlockCache.Entry entry = target < 0 ? null : index.insert(target, key);
        Kept spilled = null;
        if (entry != null) {
            held.add(Hold.take(index.cache(target), entry));
        } else if (!present) {
            // HBM had no room (every block in use): an offloading cache writes the block straight to the tier below.
            spilled = keepBelow(Tier.HBM, node, key);
            if (spilled == null) {
                tally.notCached++;
            }
        }
        boolean remoteStore = entry != null && target != node;
        if (remoteStore) {
            chargeTransfer(node, target, blockTokens, tally);
        }
        if (decode == null) {
            return null;
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
        if (spilled != null) {
            store(node, spilled, into);
        }
        return into;
    }

    /** Counts the bytes and messages of moving a block between {@code node} and {@code other}, as the path sends them. */
    private void chargeTransfer(int node, int other, int blockTokens, Tally tally) {
        TransferCost cost = transferCost(node, other, blockTokens);
        tally.fabricBytes += cost.wireBytes();
        tally.messages += cost.messages();
        countPlane(cost);
    }

    /** A transfer with messages crosses the copy plane; one without is loads and stores over the scale-up fabric. */
    private void countPlane(TransferCost cost) {
        if (cost.messages() > 0) {
            scaleOutBytes += cost.wireBytes();
        } else {
            scaleUpBytes += cost.wireBytes();
        }
    }

    /** The holder of {@code key} in {@code tierIndex} nearest to {@code node}: same group before across groups, then the lowest id. */
    int nearestHolder(PrefixIndex tierIndex, int node, long key) {
        IntList holders = tierIndex.holders(key);
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

    /** The global address of block slot {@code slot} in node {@code node}'s HBM KV region (with a real payload). */
    public long blockAddress(int node, int slot) {
        return blockAddress(Tier.HBM, node, slot);
    }

    private long blockAddress(Tier tier, int node, int slot) {
        return regions[tier.ordinal()][node].baseAddress() + (long) slot * layout.blockBytes();
    }

    /** A view of block slot {@code slot} in {@code node}'s own HBM KV region, as {@code node} sees it. */
    private MemorySegment localBlock(int node, int slot) {
        return machine.node(node).view(blockAddress(node, slot), layout.blockBytes());
    }

    /**
     * The address space a pool with {@code options} reserves on all its nodes together: at least 16 GiB a node (A:
     * room for the scratch and receive blocks besides the regions), or the payload's regions rounded up with a GiB
     * spare. Reserved, not committed: pages cost memory only as blocks are written.
     */
    static long reservedBytes(ReplayOptions options) {
        return options.nodes() * memoryPerNode(options);
    }

    private static long memoryPerNode(ReplayOptions options) {
        long blockBytes = options.layout().blockBytes();
        return Math.max(16L << 30, roundUp(options.payloadBytesPerNode() + 2L * blockBytes, 1L << 30) + (1L << 30));
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
