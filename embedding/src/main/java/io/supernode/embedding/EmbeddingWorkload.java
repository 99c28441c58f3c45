package io.supernode.embedding;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.stats.HostTiming;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The embedding-table workload on one path: every step draws a batch of Zipf-skewed bags, each node looks
 * up the bags of its share of the batch in every table (EmbeddingBag, sum or mean), and in training mode
 * every touched row is then written once with its summed gradient (sparse SGD or row-wise Adagrad).
 *
 * <p>Real bytes: rows live in the nodes' memory as floats. The unified path reads them in place through
 * {@code NodeAccess.view} (a load of each row); the cached path through the coherent row cache; the copy
 * path sends ids and pooled vectors through the message plane's endpoints. All paths pool in one canonical
 * order (rows of the same shard in bag order, then shards in id order), which is the order a row-wise copy
 * path must use, so their outputs are bit-identical.
 *
 * <p>Modeled time is bulk-synchronous, from the same cost functions as everything else: a gather issues all
 * its loads at once, so it costs one round trip plus its bytes at the link's bandwidth per route; an
 * all-to-all costs each sender its messages' {@code MessagePlane.messageNanos} in turn; owners pool at local
 * memory speed. Gradients are summed on the host in canonical order; their push to each row's owner is
 * charged (a row of bytes per contributing node), and the owner writes the row through the path.
 */
public final class EmbeddingWorkload implements AutoCloseable {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final long ID_BYTES = Long.BYTES;
    private static final int MATERIALIZE_BYTES = 4096;
    private static final float ADAGRAD_EPSILON = 1e-8f;

    private final EmbeddingConfig config;
    private final EmbeddingPath path;
    private final Supernode machine;
    private final FabricModel fabric;
    private final MessagePlane plane;
    private final CoherentMemory coherent;
    private final int nodes;
    private final int rowBytes;
    private final Region[][] shards;
    /** Row-wise Adagrad's state: one float per row, in a plain region beside each shard; null otherwise. */
    private final Region[][] optimizerState;
    private final BitSet[] materialized;
    private final ZipfIds[] zipf;
    private final MemorySegment[] sendBuffers;
    private final MemorySegment[] receiveBuffers;
    private final MemorySegment[] replyBuffers;
    private final MemorySegment[] rowBuffers;
    private final float[][] outputs;
    private final float[] acc;
    private final float[] sum;
    // Per-step accounting, per node.
    private final long[][] gatherBytes;
    private final long[] localBytes;
    private long idBytes;
    private long rowBytesMoved;
    private long pooledBytes;
    private long updateBytes;
    private long messages;
    private long cacheHits;
    private long cacheLookups;
    private long digest = 0xcbf29ce484222325L;

    /** Boots the machine for {@code config} and maps its tables for {@code path}. */
    public EmbeddingWorkload(EmbeddingConfig config, EmbeddingPath path) {
        this.config = config;
        this.path = path;
        this.nodes = config.nodes();
        this.rowBytes = config.rowBytes();
        long tableBytes = (long) config.rowsPerTable() * rowBytes;
        long perNode = config.sharding() == Sharding.TABLE_WISE
                ? tableBytes * ((config.tables() + nodes - 1) / nodes) : tableBytes / nodes * config.tables() + tableBytes;
        long bufferBytes = bufferBytes(config);
        long memoryPerNode = Math.max(16L << 30, roundUp(perNode + 4 * bufferBytes + (64L << 20), 1L << 30));
        this.machine = Supernode.boot(new SupernodeConfig("embedding-" + nodes, shape(config), memoryPerNode,
                SupernodeConfig.DEFAULT_PAGE_BYTES, SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY,
                config.seed()));
        this.fabric = machine.fabric();
        this.plane = new MessagePlane(machine, config.pair().copy(), MessagePlane.Service.INLINE);
        this.coherent = path == EmbeddingPath.UNIFIED_CACHED
                ? CoherentMemory.attach(machine, new CoherenceConfig(EmbeddingConfig.cacheLineBytes(config.dim()),
                config.cacheLinesPerNode())) : null;
        this.shards = new Region[config.tables()][];
        for (int t = 0; t < config.tables(); t++) {
            int count = config.sharding() == Sharding.TABLE_WISE ? 1 : nodes;
            shards[t] = new Region[count];
            for (int s = 0; s < count; s++) {
                int node = config.sharding() == Sharding.TABLE_WISE ? t % nodes : s;
                long bytes = Math.max(rowBytes, (long) shardRows(s) * rowBytes);
                RegionSpec spec = RegionSpec.of("emb-t" + t + "-s" + s, bytes, Placement.onNode(node));
                shards[t][s] = coherent != null ? coherent.map(spec, Protocol.MESI) : machine.map(spec);
            }
        }
        this.optimizerState = config.training() && config.optimizer() == Optimizer.ROWWISE_ADAGRAD
                ? new Region[config.tables()][] : null;
        for (int t = 0; optimizerState != null && t < config.tables(); t++) {
            optimizerState[t] = new Region[shards[t].length];
            for (int s = 0; s < shards[t].length; s++) {
                // Fresh node memory reads as zero: every row's Adagrad sum starts at 0 without being written.
                optimizerState[t][s] = machine.map(RegionSpec.of("emb-adagrad-t" + t + "-s" + s,
                        Math.max(Float.BYTES, (long) shardRows(s) * Float.BYTES), shards[t][s].placement()));
            }
        }
        this.materialized = new BitSet[config.tables()];
        this.zipf = new ZipfIds[config.tables()];
        for (int t = 0; t < config.tables(); t++) {
            materialized[t] = new BitSet();
            zipf[t] = new ZipfIds(config.rowsPerTable(), config.zipfExponent(), mix(config.seed(), -1, t));
        }
        this.sendBuffers = new MemorySegment[nodes];
        this.receiveBuffers = new MemorySegment[nodes];
        this.replyBuffers = new MemorySegment[nodes];
        this.rowBuffers = new MemorySegment[nodes];
        for (int n = 0; n < nodes; n++) {
            sendBuffers[n] = localBuffer(n, "emb-send-", bufferBytes);
            receiveBuffers[n] = localBuffer(n, "emb-recv-", bufferBytes);
            replyBuffers[n] = localBuffer(n, "emb-reply-", bufferBytes);
            rowBuffers[n] = localBuffer(n, "emb-rows-", (long) rowBytes * config.bagSize() + 8192);
        }
        this.outputs = new float[config.tables()][config.globalBatch() * config.dim()];
        this.acc = new float[config.dim()];
        this.sum = new float[config.dim()];
        this.gatherBytes = new long[nodes][RouteClass.values().length];
        this.localBytes = new long[nodes];
    }

    private MemorySegment localBuffer(int node, String name, long bytes) {
        Region r = machine.map(RegionSpec.of(name + node, bytes, Placement.onNode(node)));
        return machine.node(node).view(r.baseAddress(), bytes);
    }

    /** The largest message a node sends or receives in one phase: every id or every partial sum of its batch share. */
    private static long bufferBytes(EmbeddingConfig c) {
        long ids = (long) c.globalBatch() * c.bagSize() * ID_BYTES + (long) c.globalBatch() * Integer.BYTES;
        long partials = (long) c.samplesPerNode() * c.rowBytes() * c.nodes();
        return roundUp(Math.max(ids, partials) + 4096, 4096);
    }

    /** Boards of eight on a two-tier fabric, else one switch tier, as the KV pool does. */
    private static Topology shape(EmbeddingConfig c) {
        Topology pairShape = c.pair().shape();
        if (!pairShape.twoTier() || c.nodes() <= 8 || c.nodes() % 8 != 0) {
            return new Topology(1, c.nodes(), pairShape.groupNoun(), pairShape.nodeNoun(), pairShape.link(), pairShape.memory());
        }
        return new Topology(c.nodes() / 8, 8, pairShape.groupNoun(), pairShape.nodeNoun(), pairShape.link(), pairShape.memory());
    }

    /** The emulated machine. */
    public Supernode machine() {
        return machine;
    }

    /** The coherence domain of the cached path, or null. */
    public CoherentMemory coherent() {
        return coherent;
    }

    // ---- sharding ---------------------------------------------------------------------------

    private int shardRows(int shard) {
        int rows = config.rowsPerTable();
        return switch (config.sharding()) {
            case TABLE_WISE -> rows;
            case ROW_RANGE -> rangeStart(shard + 1) - rangeStart(shard);
            case ROW_MODULO -> rows / nodes + (shard < rows % nodes ? 1 : 0);
        };
    }

    private int rangeStart(int shard) {
        return (int) ((long) config.rowsPerTable() * shard / nodes);
    }

    /** The shard (0 for table-wise) holding {@code row}. */
    int shardOf(int row) {
        return switch (config.sharding()) {
            case TABLE_WISE -> 0;
            case ROW_RANGE -> {
                int s = (int) ((long) row * nodes / config.rowsPerTable());
                while (rangeStart(s + 1) <= row) {
                    s++;
                }
                while (rangeStart(s) > row) {
                    s--;
                }
                yield s;
            }
            case ROW_MODULO -> row % nodes;
        };
    }

    /** The node holding {@code row} of {@code table}. */
    int ownerOf(int table, int row) {
        return config.sharding() == Sharding.TABLE_WISE ? table % nodes : shardOf(row);
    }

    /** The global address of {@code row} of {@code table}. */
    long address(int table, int row) {
        return shards[table][shardOf(row)].address(localIndex(row) * rowBytes);
    }

    /** The row's index within its shard. */
    private long localIndex(int row) {
        return switch (config.sharding()) {
            case TABLE_WISE -> row;
            case ROW_RANGE -> row - rangeStart(shardOf(row));
            case ROW_MODULO -> row / nodes;
        };
    }

    /**
     * Writes the initial values of the 4 KiB of rows around {@code row} into home memory if not yet written:
     * loading the table, not part of any step (no modeled time). A whole 4 KiB at once, so no cache line can
     * ever hold a row that is written later.
     */
    private void materialize(int table, int row) {
        if (materialized[table].get(row)) {
            return;
        }
        int rowsPerUnit = Math.max(1, MATERIALIZE_BYTES / rowBytes);
        int s = shardOf(row);
        long local = (address(table, row) - shards[table][s].baseAddress()) / rowBytes;
        long first = local / rowsPerUnit * rowsPerUnit;
        for (long l = first; l < Math.min(first + rowsPerUnit, shardRows(s)); l++) {
            int r = switch (config.sharding()) {
                case TABLE_WISE -> (int) l;
                case ROW_RANGE -> (int) (rangeStart(s) + l);
                case ROW_MODULO -> (int) (l * nodes + s);
            };
            materialized[table].set(r);
            long address = shards[table][s].address(l * rowBytes);
            var home = machine.addressSpace().translate(address);
            MemorySegment memory = machine.addressSpace().nodeSegment(home.node());
            for (int d = 0; d < config.dim(); d++) {
                memory.set(FLOAT, home.physicalOffset() + (long) d * Float.BYTES, initial(table, r, d));
            }
        }
    }

    /** A row's initial value: seeded, in [-0.5, 0.5). */
    private float initial(int table, int row, int d) {
        long h = mix(config.seed(), table, ((long) row << 12) | d);
        return (h >>> 40) / (float) (1 << 24) - 0.5f;
    }

    // ---- the run ----------------------------------------------------------------------------

    /**
     * One step's modeled time.
     *
     * @param stepNanos the step (every node waits for the slowest at each phase)
     * @param perNode   each node's own busy time, for the imbalance
     */
    private record StepTime(long stepNanos, long[] perNode) {
    }

    /** Runs every step and reports. */
    public EmbeddingResult run() {
        long hostNanos = 0;
        long modeledNanos = 0;
        double imbalanceSum = 0;
        for (int step = 0; step < config.steps(); step++) {
            int[][] ids = batch(step);
            for (int t = 0; t < config.tables(); t++) {
                for (int id : ids[t]) {
                    materialize(t, id);
                }
            }
            long start = System.nanoTime();
            StepTime time = switch (path) {
                case UNIFIED, UNIFIED_CACHED -> gatherStep(ids);
                case COPY -> copyStep(ids);
            };
            long stepNanos = time.stepNanos();
            long[] nodeNanos = time.perNode();
            if (config.training()) {
                long[] update = trainStep(ids);
                for (int n = 0; n < nodes; n++) {
                    nodeNanos[n] += update[n];
                }
                stepNanos += max(update);
            }
            hostNanos += System.nanoTime() - start;
            long total = 0;
            for (long v : nodeNanos) {
                total += v;
            }
            modeledNanos += stepNanos;
            imbalanceSum += total == 0 ? 1 : max(nodeNanos) / (total / (double) nodes);
            for (float[] table : outputs) {
                for (float v : table) {
                    digest = (digest ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
                }
            }
        }
        int steps = config.steps();
        // The cached path's messages are the coherence protocol's: requests, forwards, data, acks, writebacks.
        long sent = coherent != null ? coherent.totals().messages() : messages;
        long cacheBytes = coherent != null ? (long) config.cacheLinesPerNode() * EmbeddingConfig.cacheLineBytes(config.dim()) : 0;
        return new EmbeddingResult(path, cacheBytes, steps, config.lookupsPerStep(), hostNanos, modeledNanos / steps,
                idBytes / steps, rowBytesMoved / steps, pooledBytes / steps, updateBytes / steps, sent / steps,
                cacheLookups == 0 ? Double.NaN : cacheHits / (double) cacheLookups, imbalanceSum / steps, digest);
    }

    /** Step {@code step}'s ids: per table, {@code bagSize} ids for every sample of the global batch. */
    int[][] batch(int step) {
        int[][] ids = new int[config.tables()][config.globalBatch() * config.bagSize()];
        for (int t = 0; t < config.tables(); t++) {
            SplittableRandom random = new SplittableRandom(mix(config.seed(), step, t));
            for (int i = 0; i < ids[t].length; i++) {
                ids[t][i] = zipf[t].next(random);
            }
        }
        return ids;
    }

    /** The pooled outputs of the last step: per table, {@code globalBatch x dim} floats. */
    float[][] outputs() {
        return outputs;
    }

    // ---- unified paths ----------------------------------------------------------------------

    private StepTime gatherStep(int[][] ids) {
        for (long[] g : gatherBytes) {
            Arrays.fill(g, 0);
        }
        int bag = config.bagSize();
        int dim = config.dim();
        for (int n = 0; n < nodes; n++) {
            MemorySegment rows = rowBuffers[n];
            for (int t = 0; t < config.tables(); t++) {
                IntHashSet fetched = config.dedup() ? new IntHashSet() : null;
                for (int sample = n * config.samplesPerNode(); sample < (n + 1) * config.samplesPerNode(); sample++) {
                    int from = sample * bag;
                    for (int j = 0; j < bag; j++) {
                        int row = ids[t][from + j];
                        boolean fetch = fetched == null || fetched.add(row);
                        fetchRow(n, t, row, rows, (long) j * rowBytes, fetch);
                    }
                    poolFromBuffer(t, ids[t], from, rows, outputs[t], sample * dim);
                }
            }
        }
        long[] nanos = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            nanos[n] = gatherNanos(gatherBytes[n]);
        }
        return new StepTime(max(nanos), nanos);
    }

    /**
     * Brings {@code row} into {@code into} at {@code offset} as node {@code n} sees it: a load of the row in
     * place (or, with de-duplication, of its first occurrence only; later ones reuse the local copy).
     */
    private void fetchRow(int n, int table, int row, MemorySegment into, long offset, boolean fetch) {
        long address = address(table, row);
        RouteClass rc = machine.topology().routeClass(n, ownerOf(table, row));
        if (path == EmbeddingPath.UNIFIED_CACHED) {
            cacheLookups++;
            boolean hit = coherent.lineState(n, address).readable() && coherent.lineState(n, address + rowBytes - 1).readable();
            long before = hit ? 0 : coherent.stats(n).fabricBytes();
            coherent.node(n).read(address, into, offset, rowBytes);
            long moved = hit ? 0 : coherent.stats(n).fabricBytes() - before;
            cacheHits += hit ? 1 : 0;
            gatherBytes[n][(hit ? RouteClass.LOCAL : rc).ordinal()] += hit ? rowBytes : moved;
            rowBytesMoved += moved;
            return;
        }
        MemorySegment.copy(machine.node(n).view(address, rowBytes), 0, into, offset, rowBytes);
        // A row loaded before in this step is read from the node's own copy.
        RouteClass from = fetch ? rc : RouteClass.LOCAL;
        gatherBytes[n][from.ordinal()] += rowBytes;
        if (from != RouteClass.LOCAL) {
            rowBytesMoved += rowBytes;
        }
    }

    /** A gather with every load in flight at once: the slowest route's round trip plus every byte at its route's rate. */
    private long gatherNanos(long[] bytesByRoute) {
        long latency = 0;
        long stream = 0;
        for (RouteClass rc : RouteClass.values()) {
            long bytes = bytesByRoute[rc.ordinal()];
            if (bytes > 0) {
                long base = fabric.readNanos(rc, 0);
                latency = Math.max(latency, base);
                stream += fabric.readNanos(rc, bytes) - base;
            }
        }
        return latency + stream;
    }

    // ---- pooling ------------------------------------------------------------------------------

    /** Pools the bag at {@code ids[from..from+bag)} whose rows are in {@code rows} in bag order, canonically. */
    private void poolFromBuffer(int table, int[] ids, int from, MemorySegment rows, float[] out, int outOffset) {
        int dim = config.dim();
        Arrays.fill(sum, 0f);
        int shardCount = shards[table].length;
        for (int s = 0; s < shardCount; s++) {
            boolean any = false;
            Arrays.fill(acc, 0f);
            for (int j = 0; j < config.bagSize(); j++) {
                if (shardCount == 1 || shardOf(ids[from + j]) == s) {
                    any = true;
                    for (int d = 0; d < dim; d++) {
                        acc[d] += rows.get(FLOAT, (long) j * rowBytes + (long) d * Float.BYTES);
                    }
                }
            }
            if (any) {
                for (int d = 0; d < dim; d++) {
                    sum[d] += acc[d];
                }
            }
        }
        finish(out, outOffset);
    }

    private void finish(float[] out, int outOffset) {
        for (int d = 0; d < config.dim(); d++) {
            out[outOffset + d] = config.pooling() == Pooling.MEAN ? sum[d] / config.bagSize() : sum[d];
        }
    }

    // ---- copy path ------------------------------------------------------------------------------

    private StepTime copyStep(int[][] ids) {
        Arrays.fill(localBytes, 0);
        long[] idPhase = new long[nodes];
        long[] returnPhase = new long[nodes];
        int bag = config.bagSize();
        int dim = config.dim();
        int per = config.samplesPerNode();
        for (int t = 0; t < config.tables(); t++) {
            for (int n = 0; n < nodes; n++) {
                // Partial sums are added to zero in shard order, as the unified paths add them.
                Arrays.fill(outputs[t], n * per * dim, (n + 1) * per * dim, 0f);
                // The partial sums of n's bags, per shard, land in n's receive buffer: shard-major, bag, dim.
                for (int s = 0; s < shards[t].length; s++) {
                    int owner = config.sharding() == Sharding.TABLE_WISE ? t % nodes : s;
                    // 1. n tells the owner which of its ids it holds: per bag a count, then the ids.
                    MemorySegment out = sendBuffers[n];
                    long idsAt = (long) per * Integer.BYTES;
                    long w = idsAt;
                    for (int b = 0; b < per; b++) {
                        int from = (n * per + b) * bag;
                        int count = 0;
                        for (int j = 0; j < bag; j++) {
                            int row = ids[t][from + j];
                            if (shards[t].length == 1 || shardOf(row) == s) {
                                out.set(LONG, w, row);
                                w += ID_BYTES;
                                count++;
                            }
                        }
                        out.set(INT, (long) b * Integer.BYTES, count);
                    }
                    MemorySegment request = deliver(n, owner, t, out, w, idPhase, true);
                    // 2. The owner pools what it holds of each bag and sends the partial sums back.
                    MemorySegment reply = replyBuffers[owner];
                    long r = 0;
                    long read = idsAt;
                    for (int b = 0; b < per; b++) {
                        int count = request.get(INT, (long) b * Integer.BYTES);
                        if (count == 0) {
                            continue;
                        }
                        Arrays.fill(acc, 0f);
                        for (int k = 0; k < count; k++) {
                            int row = (int) request.get(LONG, read);
                            read += ID_BYTES;
                            MemorySegment data = machine.node(owner).view(address(t, row), rowBytes);
                            localBytes[owner] += rowBytes;
                            for (int d = 0; d < dim; d++) {
                                acc[d] += data.get(FLOAT, (long) d * Float.BYTES);
                            }
                        }
                        for (int d = 0; d < dim; d++) {
                            reply.set(FLOAT, r + (long) d * Float.BYTES, acc[d]);
                        }
                        r += rowBytes;
                    }
                    MemorySegment partials = deliver(owner, n, t, reply, r, returnPhase, false);
                    // 3. n adds the partial sums in shard order.
                    long p = 0;
                    for (int b = 0; b < per; b++) {
                        if (request.get(INT, (long) b * Integer.BYTES) == 0) {
                            continue;
                        }
                        int at = ((n * per + b) * dim);
                        for (int d = 0; d < dim; d++) {
                            outputs[t][at + d] += partials.get(FLOAT, p + (long) d * Float.BYTES);
                        }
                        p += rowBytes;
                    }
                }
                if (config.pooling() == Pooling.MEAN) {
                    for (int i = n * per * dim; i < (n + 1) * per * dim; i++) {
                        outputs[t][i] /= bag;
                    }
                }
            }
        }
        long[] nanos = new long[nodes];
        long gatherMax = 0;
        for (int n = 0; n < nodes; n++) {
            long gather = fabric.readNanos(RouteClass.LOCAL, localBytes[n]);
            gatherMax = Math.max(gatherMax, gather);
            nanos[n] = idPhase[n] + gather + returnPhase[n];
        }
        // Bulk-synchronous: each phase ends when its slowest node is done.
        return new StepTime(max(idPhase) + gatherMax + max(returnPhase), nanos);
    }

    /**
     * Moves {@code length} bytes of {@code from}'s {@code buffer} to {@code to} through the message plane (or not
     * at all when they are the same node) and returns where they are now; charges the sender's phase time and
     * counts the bytes as ids or pooled vectors.
     */
    private MemorySegment deliver(int from, int to, int table, MemorySegment buffer, long length, long[] phase, boolean ids) {
        if (from == to) {
            return buffer;
        }
        Endpoint sender = plane.endpoint(from);
        long tag = table;
        if (!sender.trySend(to, tag, buffer, 0, length)) {
            throw new IllegalStateException("node " + from + "'s ring to node " + to + " is full");
        }
        long got = plane.endpoint(to).tryReceive(from, tag, receiveBuffers[to], 0, receiveBuffers[to].byteSize());
        if (got != length) {
            throw new IllegalStateException("node " + to + " received " + got + " of " + length + " bytes from node " + from);
        }
        phase[from] += plane.messageNanos(machine.topology().routeClass(from, to), length);
        messages++;
        long wire = length + CopyStack.HEADER_BYTES;
        if (ids) {
            idBytes += wire;
        } else {
            pooledBytes += wire;
        }
        return receiveBuffers[to];
    }

    private static long max(long[] values) {
        long m = 0;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    // ---- training -------------------------------------------------------------------------------

    /**
     * One optimizer step with the loss {@code 0.005 * |pooled|^2}: every occurrence of a row adds its bag's
     * gradient (0.01 x pooled, over the bag size for mean pooling), summed in sample order on the host; the
     * row's owner applies the optimizer and writes the row once, through the path. Row-wise Adagrad's state
     * is read and written by the owner in its own memory. Returns each node's modeled update time.
     */
    private long[] trainStep(int[][] ids) {
        long[] pushBytes = new long[nodes];
        long[] writeBytes = new long[nodes];
        int dim = config.dim();
        int bag = config.bagSize();
        MemorySegment scratch = MemorySegment.ofArray(new float[dim]);
        for (int t = 0; t < config.tables(); t++) {
            IntObjectHashMap<float[]> grads = new IntObjectHashMap<>();
            IntObjectHashMap<IntHashSet> contributors = new IntObjectHashMap<>();
            for (int sample = 0; sample < config.globalBatch(); sample++) {
                int node = sample / config.samplesPerNode();
                for (int j = 0; j < bag; j++) {
                    int row = ids[t][sample * bag + j];
                    float[] g = grads.getIfAbsentPut(row, () -> new float[dim]);
                    for (int d = 0; d < dim; d++) {
                        float upstream = 0.01f * outputs[t][sample * dim + d];
                        g[d] += config.pooling() == Pooling.MEAN ? upstream / bag : upstream;
                    }
                    contributors.getIfAbsentPut(row, IntHashSet::new).add(node);
                }
            }
            int table = t;
            grads.forEachKeyValue((row, g) -> {
                int owner = ownerOf(table, row);
                contributors.get(row).forEach(node -> {
                    if (node != owner) {
                        pushBytes[node] += rowBytes + ID_BYTES;
                        updateBytes += rowBytes + ID_BYTES;
                        if (path == EmbeddingPath.COPY) {
                            messages++;
                        }
                    }
                });
                long address = address(table, row);
                MemorySegment home = path == EmbeddingPath.UNIFIED_CACHED ? null : machine.node(owner).view(address, rowBytes);
                if (home == null) {
                    coherent.node(owner).read(address, scratch, 0, rowBytes);
                } else {
                    MemorySegment.copy(home, 0, scratch, 0, rowBytes);
                }
                float step = stepSize(owner, table, row, g);
                for (int d = 0; d < dim; d++) {
                    long at = (long) d * Float.BYTES;
                    scratch.set(FLOAT, at, scratch.get(FLOAT, at) - step * g[d]);
                }
                if (home == null) {
                    coherent.node(owner).write(scratch, 0, address, rowBytes);
                } else {
                    MemorySegment.copy(scratch, 0, home, 0, rowBytes);
                }
                writeBytes[owner] += rowBytes + (optimizerState == null ? 0 : Float.BYTES);
            });
        }
        long[] nanos = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            long push = path == EmbeddingPath.COPY
                    ? plane.messageNanos(RouteClass.SAME_GROUP, pushBytes[n])
                    : pushBytes[n] == 0 ? 0 : fabric.writeNanos(RouteClass.SAME_GROUP, pushBytes[n]);
            nanos[n] = push + fabric.writeNanos(RouteClass.LOCAL, writeBytes[n]);
        }
        return nanos;
    }

    /** The multiplier of {@code g}: the learning rate, or Adagrad's rate over the row's accumulated gradient norm. */
    private float stepSize(int owner, int table, int row, float[] g) {
        if (optimizerState == null) {
            return config.learningRate();
        }
        float meanSquare = 0;
        for (float v : g) {
            meanSquare += v * v;
        }
        meanSquare /= g.length;
        long address = optimizerState[table][shardOf(row)].address(localIndex(row) * Float.BYTES);
        MemorySegment state = machine.node(owner).view(address, Float.BYTES);
        float sumOfSquares = state.get(FLOAT, 0) + meanSquare;
        state.set(FLOAT, 0, sumOfSquares);
        return config.learningRate() / ((float) Math.sqrt(sumOfSquares) + ADAGRAD_EPSILON);
    }

    @Override
    public void close() {
        if (coherent != null) {
            coherent.close();
        }
        machine.close();
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    /** SplitMix64 of three values: seeds that differ in any of them differ everywhere. */
    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
