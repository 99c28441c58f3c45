package io.supernode.embedding;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.stats.HostTiming;

import java.util.SplittableRandom;

/**
 * The embedding-table workload on one setup: every step draws a batch of Zipf-skewed bags, each node looks
 * up the bags of its share of the batch in every table (EmbeddingBag, sum or mean), and in training mode
 * every touched row is then written once with its summed gradient (sparse SGD or row-wise Adagrad).
 *
 * <p>Real bytes: rows live in the nodes' memory as floats and move through each node's
 * {@link DataPath} of the setup's {@link EmbeddingSetup#kind() path}; the workload is written once against
 * it. The setup's {@link LookupStrategy} picks how lookups are organised: a {@link GatherLookup} (each node
 * reads the rows) or an {@link ExchangeLookup} (ids to owners, partial sums back). Both pool in one
 * canonical order, so every setup's outputs are bit-identical; {@link Training} applies the gradients.
 *
 * <p>Modeled time is bulk-synchronous and comes from the same cost functions as everything else: the
 * lookups' and the update's own models, each phase ending when its slowest node is done.
 */
public final class EmbeddingWorkload implements AutoCloseable {

    private static final long ID_BYTES = Long.BYTES;

    private final EmbeddingConfig config;
    private final EmbeddingSetup path;
    private final Supernode machine;
    private final CoherentMemory coherent;
    private final EmbeddingTables tables;
    private final ZipfIds[] zipf;
    private final float[][] outputs;
    private final Traffic traffic = new Traffic();
    private final Lookup lookup;
    private final Training training;
    private long digest = 0xcbf29ce484222325L;

    /** Boots the machine for {@code config} and maps its tables for {@code path}. */
    public EmbeddingWorkload(EmbeddingConfig config, EmbeddingSetup path) {
        this.config = config;
        this.path = path;
        int nodes = config.nodes();
        int rowBytes = config.rowBytes();
        long tableBytes = (long) config.rowsPerTable() * rowBytes;
        long perNode = config.sharding() == Sharding.TABLE_WISE
                ? tableBytes * ((config.tables() + nodes - 1) / nodes) : tableBytes / nodes * config.tables() + tableBytes;
        long bufferBytes = bufferBytes(config);
        long distinctBytes = config.dedup() && !path.rowCache()
                ? (long) config.samplesPerNode() * config.bagSize() * rowBytes : 0;
        long memoryPerNode = Math.max(16L << 30, roundUp(perNode + 4 * bufferBytes + distinctBytes + (64L << 20), 1L << 30));
        this.machine = Supernode.boot(new SupernodeConfig("embedding-" + nodes, shape(config), memoryPerNode,
                SupernodeConfig.DEFAULT_PAGE_BYTES, SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY,
                config.seed()));
        // Only a coherence domain can map coherent regions and hand out their paths.
        this.coherent = path.kind() == PathKind.COHERENT
                ? CoherentMemory.attach(machine, new CoherenceConfig(EmbeddingConfig.cacheLineBytes(config.dim()),
                config.cacheLinesPerNode())) : null;
        this.tables = new EmbeddingTables(config, machine,
                coherent != null ? spec -> coherent.map(spec, Protocol.MESI) : machine::map);
        DataPath[] paths = paths(path.kind());
        this.outputs = new float[config.tables()][config.globalBatch() * config.dim()];
        this.training = config.training() ? new Training(config, tables, paths, machine, traffic, outputs) : null;
        this.zipf = new ZipfIds[config.tables()];
        for (int t = 0; t < config.tables(); t++) {
            zipf[t] = new ZipfIds(config.rowsPerTable(), config.zipfExponent(), mix(config.seed(), -1, t));
        }
        NodeBuffer[] send = new NodeBuffer[nodes];
        NodeBuffer[] receive = new NodeBuffer[nodes];
        NodeBuffer[] reply = new NodeBuffer[nodes];
        NodeBuffer[] rows = new NodeBuffer[nodes];
        NodeBuffer[] distinct = config.dedup() && !path.rowCache() ? new NodeBuffer[nodes] : null;
        for (int n = 0; n < nodes; n++) {
            send[n] = NodeBuffer.map(machine, n, "emb-send-", bufferBytes);
            receive[n] = NodeBuffer.map(machine, n, "emb-recv-", bufferBytes);
            reply[n] = NodeBuffer.map(machine, n, "emb-reply-", bufferBytes);
            rows[n] = NodeBuffer.map(machine, n, "emb-rows-", (long) rowBytes * config.bagSize() + 8192);
            if (distinct != null) {
                distinct[n] = NodeBuffer.map(machine, n, "emb-distinct-", distinctBytes);
            }
        }
        this.lookup = switch (path.strategy()) {
            // A row cache de-duplicates by itself: --dedup applies to gathers without one.
            case GATHER -> new GatherLookup(config, tables, paths, rows, path.rowCache() ? null : distinct,
                    machine.topology(), machine.fabric(), traffic, outputs, path.rowCache());
            case EXCHANGE -> new ExchangeLookup(config, tables, paths, send, receive, reply, machine.topology(),
                    machine.fabric(), traffic, outputs);
        };
    }

    /** Every node's path of {@code kind}: the coherence domain's when coherent. */
    private DataPath[] paths(PathKind kind) {
        if (coherent == null) {
            return DataPaths.open(kind, machine, new MessagePlane(machine, config.pair().copy(), MessagePlane.Service.INLINE));
        }
        DataPath[] paths = new DataPath[config.nodes()];
        for (int n = 0; n < paths.length; n++) {
            paths[n] = coherent.path(n);
        }
        return paths;
    }

    /** The largest message a node sends or receives in one phase: every id or every partial sum of its batch share. */
    private static long bufferBytes(EmbeddingConfig c) {
        long ids = (long) c.globalBatch() * c.bagSize() * ID_BYTES + (long) c.globalBatch() * Integer.BYTES;
        long partials = (long) c.samplesPerNode() * c.rowBytes() * c.nodes();
        return roundUp(Math.max(ids, partials) + 4096, 4096);
    }

    /** Boards of eight on a two-tier fabric, else one switch tier, as the KV pool does. */
    private static Topology shape(EmbeddingConfig c) {
        return c.pair().shape().inGroupsOf(c.nodes(), 8);
    }

    /** The emulated machine. */
    public Supernode machine() {
        return machine;
    }

    /** The coherence domain of the cached path, or null. */
    public CoherentMemory coherent() {
        return coherent;
    }

    /** Runs every step and reports. */
    public EmbeddingResult run() {
        long hostNanos = 0;
        long modeledNanos = 0;
        double imbalanceSum = 0;
        int nodes = config.nodes();
        for (int step = 0; step < config.steps(); step++) {
            int[][] ids = batch(step);
            for (int t = 0; t < config.tables(); t++) {
                for (int id : ids[t]) {
                    tables.materialize(t, id);
                }
            }
            long start = System.nanoTime();
            StepTime time = lookup.step(ids);
            long stepNanos = time.stepNanos();
            long[] nodeNanos = time.perNode();
            if (training != null) {
                long[] update = training.step(ids);
                for (int n = 0; n < nodes; n++) {
                    nodeNanos[n] += update[n];
                }
                stepNanos += StepTime.max(update);
            }
            hostNanos += System.nanoTime() - start;
            long total = 0;
            for (long v : nodeNanos) {
                total += v;
            }
            modeledNanos += stepNanos;
            imbalanceSum += total == 0 ? 1 : StepTime.max(nodeNanos) / (total / (double) nodes);
            for (float[] table : outputs) {
                for (float v : table) {
                    digest = (digest ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
                }
            }
        }
        int steps = config.steps();
        // The cached path's messages are the coherence protocol's: requests, forwards, data, acks, writebacks.
        long sent = coherent != null ? coherent.totals().messages() : traffic.messages;
        long cacheBytes = path.rowCache() ? (long) config.cacheLinesPerNode() * EmbeddingConfig.cacheLineBytes(config.dim()) : 0;
        return new EmbeddingResult(path, cacheBytes, steps, config.lookupsPerStep(), hostNanos, modeledNanos / steps,
                traffic.idBytes / steps, traffic.rowBytes / steps, traffic.pooledBytes / steps, traffic.updateBytes / steps,
                sent / steps, traffic.cacheLookups == 0 ? Double.NaN : traffic.cacheHits / (double) traffic.cacheLookups,
                imbalanceSum / steps, digest);
    }

    /** Step {@code step}'s ids: per table, {@code bagSize} ids for every sample of the global batch. */
    private int[][] batch(int step) {
        int[][] ids = new int[config.tables()][config.globalBatch() * config.bagSize()];
        for (int t = 0; t < config.tables(); t++) {
            SplittableRandom random = new SplittableRandom(mix(config.seed(), step, t));
            for (int i = 0; i < ids[t].length; i++) {
                ids[t][i] = zipf[t].next(random);
            }
        }
        return ids;
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
