package io.supernode.embedding;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.path.DataPath;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * {@link LookupStrategy#GATHER}: each node reads every row its bags name through its path, from wherever
 * the row lives, and pools them in one canonical order (rows of the same shard in bag order, then shards
 * in id order), the order the exchange's row-wise owners must use too, so every path pools bit-identical
 * outputs.
 *
 * <p>Modeled time: a gather issues all its reads at once, so it costs the slowest route's round trip
 * plus every byte at its route's rate. A read the path serves locally (the node's own memory, or its row
 * cache) counts a row of local bytes; any other counts the bytes the path moved over the fabric.
 */
final class GatherLookup implements Lookup {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final EmbeddingConfig config;
    private final EmbeddingTables tables;
    private final DataPath[] paths;
    private final Topology topology;
    private final FabricModel fabric;
    private final Traffic traffic;
    private final float[][] outputs;
    private final boolean countCache;
    private final int rowBytes;
    /** Per node: one bag's rows, in bag order. */
    private final MemorySegment[] rowBuffers;
    /** Per node: where a row the path hands out by copy lands. */
    private final MemorySegment[] scratch;
    /**
     * Per node, with de-duplication (null without): every distinct row read in this table and step, in
     * first-read order.
     */
    private final MemorySegment[] distinctRows;
    private final long[][] bytesByRoute;
    /**
     * Per node and route class, the messages one remote row read takes on the node's path: none on load/store, a
     * request and a reply where the path reads by RDMA (another of stacked servers); looked up, not priced per row.
     */
    private final int[][] messagesPerRead;
    private final float[] acc;
    private final float[] sum;

    GatherLookup(EmbeddingConfig config, EmbeddingTables tables, DataPath[] paths, NodeBuffer[] rowBuffers,
                 NodeBuffer[] distinctRows, Topology topology, FabricModel fabric, Traffic traffic, float[][] outputs,
                 boolean countCache) {
        this.config = config;
        this.tables = tables;
        this.paths = paths;
        this.topology = topology;
        this.fabric = fabric;
        this.traffic = traffic;
        this.outputs = outputs;
        this.countCache = countCache;
        this.rowBytes = config.rowBytes();
        int nodes = config.nodes();
        this.rowBuffers = new MemorySegment[nodes];
        this.scratch = new MemorySegment[nodes];
        this.distinctRows = new MemorySegment[nodes];
        for (int n = 0; n < nodes; n++) {
            this.rowBuffers[n] = rowBuffers[n].bytes();
            this.scratch[n] = MemorySegment.ofArray(new long[(rowBytes + 7) / 8]);
            this.distinctRows[n] = distinctRows == null ? null : distinctRows[n].bytes();
        }
        this.bytesByRoute = new long[nodes][RouteClass.values().length];
        this.messagesPerRead = new int[nodes][RouteClass.values().length];
        for (int n = 0; n < nodes; n++) {
            for (RouteClass rc : RouteClass.values()) {
                messagesPerRead[n][rc.ordinal()] = rc == RouteClass.LOCAL ? 0 : paths[n].transferCost(rc, rowBytes).messages();
            }
        }
        this.acc = new float[config.dim()];
        this.sum = new float[config.dim()];
    }

    @Override
    public StepTime step(int[][] ids) {
        for (long[] g : bytesByRoute) {
            Arrays.fill(g, 0);
        }
        int bag = config.bagSize();
        int dim = config.dim();
        int nodes = config.nodes();
        for (int n = 0; n < nodes; n++) {
            MemorySegment rows = rowBuffers[n];
            for (int t = 0; t < config.tables(); t++) {
                IntIntHashMap slots = distinctRows[n] != null ? new IntIntHashMap() : null;
                for (int sample = n * config.samplesPerNode(); sample < (n + 1) * config.samplesPerNode(); sample++) {
                    int from = sample * bag;
                    for (int j = 0; j < bag; j++) {
                        readRow(n, t, ids[t][from + j], rows, (long) j * rowBytes, slots);
                    }
                    pool(t, ids[t], from, rows, outputs[t], sample * dim);
                }
            }
        }
        long[] nanos = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            nanos[n] = gatherNanos(bytesByRoute[n]);
        }
        return new StepTime(StepTime.max(nanos), nanos);
    }

    /**
     * Brings {@code row} into {@code into} at {@code offset} as node {@code n} sees it, through its path;
     * with de-duplication ({@code slots} not null) a row read before in this table and step comes from the
     * node's own copy instead.
     */
    private void readRow(int n, int table, int row, MemorySegment into, long offset, IntIntHashMap slots) {
        if (slots != null) {
            int slot = slots.getIfAbsent(row, -1);
            if (slot >= 0) {
                MemorySegment.copy(distinctRows[n], (long) slot * rowBytes, into, offset, rowBytes);
                bytesByRoute[n][RouteClass.LOCAL.ordinal()] += rowBytes;
                return;
            }
        }
        DataPath path = paths[n];
        long address = tables.address(table, row);
        boolean local = path.servesLocally(address, rowBytes);
        long before = local ? 0 : path.fabricBytes();
        MemorySegment.copy(path.readable(address, rowBytes, scratch[n]), 0, into, offset, rowBytes);
        long moved = local ? 0 : path.fabricBytes() - before;
        if (countCache) {
            traffic.cacheLookups++;
            traffic.cacheHits += local ? 1 : 0;
        }
        RouteClass route = local ? RouteClass.LOCAL : topology.routeClass(n, tables.ownerOf(table, row));
        bytesByRoute[n][route.ordinal()] += local ? rowBytes : moved;
        traffic.rowBytes += moved;
        traffic.messages += messagesPerRead[n][route.ordinal()];
        if (slots != null) {
            int slot = slots.size();
            slots.put(row, slot);
            MemorySegment.copy(into, offset, distinctRows[n], (long) slot * rowBytes, rowBytes);
        }
    }

    /** A gather with every read in flight at once: the slowest route's round trip plus every byte at its route's rate. */
    private long gatherNanos(long[] bytes) {
        long latency = 0;
        long stream = 0;
        for (RouteClass rc : RouteClass.values()) {
            long b = bytes[rc.ordinal()];
            if (b > 0) {
                long base = fabric.readNanos(rc, 0);
                latency = Math.max(latency, base);
                stream += fabric.readNanos(rc, b) - base;
            }
        }
        return latency + stream;
    }

    /** Pools the bag at {@code ids[from..from+bag)} whose rows are in {@code rows} in bag order, canonically. */
    private void pool(int table, int[] ids, int from, MemorySegment rows, float[] out, int outOffset) {
        int dim = config.dim();
        Arrays.fill(sum, 0f);
        int shardCount = tables.shardCount(table);
        for (int s = 0; s < shardCount; s++) {
            boolean any = false;
            Arrays.fill(acc, 0f);
            for (int j = 0; j < config.bagSize(); j++) {
                if (shardCount == 1 || tables.shardOf(ids[from + j]) == s) {
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
        for (int d = 0; d < dim; d++) {
            out[outOffset + d] = config.pooling() == Pooling.MEAN ? sum[d] / config.bagSize() : sum[d];
        }
    }
}
