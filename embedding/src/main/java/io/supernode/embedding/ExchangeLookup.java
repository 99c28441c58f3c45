package io.supernode.embedding;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.TransferCost;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * {@link LookupStrategy#EXCHANGE}, as DLRM and TorchRec look up sharded tables: each node sends the ids of
 * its bags to the rows' owners, which pool what they hold of each bag and send the partial sums back; the
 * node adds them in shard order, the gather's canonical order, so both strategies pool bit-identical
 * outputs. Every transfer is an offer by the sender and a read by the receiver of the sender's buffer
 * through their paths, so on send/receive it is a message and on load/store paths a remote read.
 *
 * <p>Modeled time is bulk-synchronous: the id phase costs each sender its transfers in turn (the path's
 * {@link DataPath#transferCost}), owners pool at local memory speed, then the return phase; each phase ends
 * when its slowest node is done.
 */
final class ExchangeLookup implements Lookup {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final EmbeddingConfig config;
    private final EmbeddingTables tables;
    private final DataPath[] paths;
    private final Topology topology;
    private final FabricModel fabric;
    private final Traffic traffic;
    private final float[][] outputs;
    private final int rowBytes;
    private final NodeBuffer[] sendBuffers;
    private final NodeBuffer[] replyBuffers;
    private final MemorySegment[] receiveBuffers;
    /** Per node: where a row the path hands out by copy lands. */
    private final MemorySegment[] scratch;
    private final long[] localBytes;
    private final float[] acc;

    ExchangeLookup(EmbeddingConfig config, EmbeddingTables tables, DataPath[] paths, NodeBuffer[] sendBuffers,
                   NodeBuffer[] receiveBuffers, NodeBuffer[] replyBuffers, Topology topology, FabricModel fabric,
                   Traffic traffic, float[][] outputs) {
        this.config = config;
        this.tables = tables;
        this.paths = paths;
        this.topology = topology;
        this.fabric = fabric;
        this.traffic = traffic;
        this.outputs = outputs;
        this.rowBytes = config.rowBytes();
        this.sendBuffers = sendBuffers;
        this.replyBuffers = replyBuffers;
        int nodes = config.nodes();
        this.receiveBuffers = new MemorySegment[nodes];
        this.scratch = new MemorySegment[nodes];
        for (int n = 0; n < nodes; n++) {
            this.receiveBuffers[n] = receiveBuffers[n].bytes();
            this.scratch[n] = MemorySegment.ofArray(new long[(rowBytes + 7) / 8]);
        }
        this.localBytes = new long[nodes];
        this.acc = new float[config.dim()];
    }

    @Override
    public StepTime step(int[][] ids) {
        int nodes = config.nodes();
        Arrays.fill(localBytes, 0);
        long[] idPhase = new long[nodes];
        long[] returnPhase = new long[nodes];
        int bag = config.bagSize();
        int dim = config.dim();
        int per = config.samplesPerNode();
        for (int t = 0; t < config.tables(); t++) {
            int shardCount = tables.shardCount(t);
            for (int n = 0; n < nodes; n++) {
                // Partial sums are added to zero in shard order, as the gather adds them.
                Arrays.fill(outputs[t], n * per * dim, (n + 1) * per * dim, 0f);
                for (int s = 0; s < shardCount; s++) {
                    int owner = tables.shardOwner(t, s);
                    // 1. n tells the owner which of its ids it holds: per bag a count, then the ids.
                    MemorySegment out = sendBuffers[n].bytes();
                    long idsAt = (long) per * Integer.BYTES;
                    long w = idsAt;
                    for (int b = 0; b < per; b++) {
                        int from = (n * per + b) * bag;
                        int count = 0;
                        for (int j = 0; j < bag; j++) {
                            int row = ids[t][from + j];
                            if (shardCount == 1 || tables.shardOf(row) == s) {
                                out.set(LONG, w, row);
                                w += Long.BYTES;
                                count++;
                            }
                        }
                        out.set(INT, (long) b * Integer.BYTES, count);
                    }
                    MemorySegment request = deliver(n, owner, sendBuffers[n], w, idPhase, true);
                    // 2. The owner pools what it holds of each bag and sends the partial sums back.
                    long r = poolAtOwner(owner, t, request, idsAt, per);
                    MemorySegment partials = deliver(owner, n, replyBuffers[owner], r, returnPhase, false);
                    // 3. n adds the partial sums in shard order.
                    long p = 0;
                    for (int b = 0; b < per; b++) {
                        if (request.get(INT, (long) b * Integer.BYTES) == 0) {
                            continue;
                        }
                        int at = (n * per + b) * dim;
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
        return new StepTime(StepTime.max(idPhase) + gatherMax + StepTime.max(returnPhase), nanos);
    }

    /**
     * The owner's side: pools, per bag of {@code request}, the rows it holds (read through its own path,
     * from its own memory) into its reply buffer; returns the reply's length.
     */
    private long poolAtOwner(int owner, int table, MemorySegment request, long idsAt, int per) {
        int dim = config.dim();
        MemorySegment reply = replyBuffers[owner].bytes();
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
                read += Long.BYTES;
                MemorySegment data = paths[owner].readable(tables.address(table, row), rowBytes, scratch[owner]);
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
        return r;
    }

    /**
     * Moves the first {@code length} bytes of {@code from}'s {@code buffer} to {@code to}: {@code from} offers
     * them and {@code to} reads them through its path (nothing moves when they are the same node). Charges
     * the sender's phase and counts the bytes as ids or pooled vectors; returns where the bytes are now.
     */
    private MemorySegment deliver(int from, int to, NodeBuffer buffer, long length, long[] phase, boolean ids) {
        if (from == to) {
            return buffer.bytes();
        }
        paths[from].offer(to, buffer.bytes(), 0, length);
        MemorySegment landed = paths[to].readable(buffer.address(), length, receiveBuffers[to]);
        TransferCost cost = paths[from].transferCost(topology.routeClass(from, to), length);
        phase[from] += cost.modeledNanos();
        traffic.messages += cost.messages();
        if (ids) {
            traffic.idBytes += cost.wireBytes();
        } else {
            traffic.pooledBytes += cost.wireBytes();
        }
        return landed;
    }
}
