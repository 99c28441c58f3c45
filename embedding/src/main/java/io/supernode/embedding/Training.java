package io.supernode.embedding;

import io.supernode.gas.Supernode;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.path.DataPath;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One optimizer step with the loss {@code 0.005 * |pooled|^2}: every occurrence of a row adds its bag's
 * gradient (0.01 x pooled, over the bag size for mean pooling), summed in sample order on the host; the
 * row's owner applies the optimizer (sparse SGD, or row-wise Adagrad with one float of state per row in
 * its own memory) and writes the row once, through its path. The push of each gradient to the row's owner
 * is charged as the path writes it (a row and an id per contributing node), not moved.
 */
final class Training {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final float ADAGRAD_EPSILON = 1e-8f;
    private static final long ID_BYTES = Long.BYTES;

    private final EmbeddingConfig config;
    private final EmbeddingTables tables;
    private final DataPath[] paths;
    private final Supernode machine;
    private final FabricModel fabric;
    private final Traffic traffic;
    private final float[][] outputs;
    private final int rowBytes;
    /** Row-wise Adagrad's state: one float per row, in a plain region beside each shard; null otherwise. */
    private final Region[][] optimizerState;
    private final MemorySegment row;

    Training(EmbeddingConfig config, EmbeddingTables tables, DataPath[] paths, Supernode machine, Traffic traffic,
             float[][] outputs) {
        this.config = config;
        this.tables = tables;
        this.paths = paths;
        this.machine = machine;
        this.fabric = machine.fabric();
        this.traffic = traffic;
        this.outputs = outputs;
        this.rowBytes = config.rowBytes();
        this.row = MemorySegment.ofArray(new float[config.dim()]);
        this.optimizerState = config.optimizer() == Optimizer.ROWWISE_ADAGRAD ? new Region[config.tables()][] : null;
        for (int t = 0; optimizerState != null && t < config.tables(); t++) {
            optimizerState[t] = new Region[tables.shardCount(t)];
            for (int s = 0; s < optimizerState[t].length; s++) {
                // Fresh node memory reads as zero: every row's Adagrad sum starts at 0 without being written.
                optimizerState[t][s] = machine.map(RegionSpec.of("emb-adagrad-t" + t + "-s" + s,
                        Math.max(Float.BYTES, (long) tables.shardRows(s) * Float.BYTES), tables.shard(t, s).placement()));
            }
        }
    }

    /** Applies step's gradients; returns each node's modeled update time. */
    long[] step(int[][] ids) {
        int nodes = config.nodes();
        long[] pushBytes = new long[nodes];
        long[] writeBytes = new long[nodes];
        int dim = config.dim();
        int bag = config.bagSize();
        for (int t = 0; t < config.tables(); t++) {
            IntObjectHashMap<float[]> grads = new IntObjectHashMap<>();
            IntObjectHashMap<IntHashSet> contributors = new IntObjectHashMap<>();
            for (int sample = 0; sample < config.globalBatch(); sample++) {
                int node = sample / config.samplesPerNode();
                for (int j = 0; j < bag; j++) {
                    int id = ids[t][sample * bag + j];
                    float[] g = grads.getIfAbsentPut(id, () -> new float[dim]);
                    for (int d = 0; d < dim; d++) {
                        float upstream = 0.01f * outputs[t][sample * dim + d];
                        g[d] += config.pooling() == Pooling.MEAN ? upstream / bag : upstream;
                    }
                    contributors.getIfAbsentPut(id, IntHashSet::new).add(node);
                }
            }
            int table = t;
            grads.forEachKeyValue((id, g) -> {
                int owner = tables.ownerOf(table, id);
                contributors.get(id).forEach(node -> {
                    if (node != owner) {
                        pushBytes[node] += rowBytes + ID_BYTES;
                        traffic.updateBytes += rowBytes + ID_BYTES;
                        traffic.messages += paths[node].writeCost(RouteClass.SAME_GROUP, rowBytes + ID_BYTES).messages();
                    }
                });
                long address = tables.address(table, id);
                DataPath own = paths[owner];
                own.read(address, row, 0, rowBytes);
                float step = stepSize(owner, table, id, g);
                for (int d = 0; d < dim; d++) {
                    long at = (long) d * Float.BYTES;
                    row.set(FLOAT, at, row.get(FLOAT, at) - step * g[d]);
                }
                own.write(row, 0, address, rowBytes);
                writeBytes[owner] += rowBytes + (optimizerState == null ? 0 : Float.BYTES);
            });
        }
        long[] nanos = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            long push = pushBytes[n] == 0 ? 0 : paths[n].writeCost(RouteClass.SAME_GROUP, pushBytes[n]).modeledNanos();
            nanos[n] = push + fabric.writeNanos(RouteClass.LOCAL, writeBytes[n]);
        }
        return nanos;
    }

    /** The multiplier of {@code g}: the learning rate, or Adagrad's rate over the row's accumulated gradient norm. */
    private float stepSize(int owner, int table, int id, float[] g) {
        if (optimizerState == null) {
            return config.learningRate();
        }
        float meanSquare = 0;
        for (float v : g) {
            meanSquare += v * v;
        }
        meanSquare /= g.length;
        long address = optimizerState[table][tables.shardOf(id)].address(tables.localIndex(id) * Float.BYTES);
        // The state is the owner's private memory, never shared: it is updated in place.
        MemorySegment state = machine.node(owner).view(address, Float.BYTES);
        float sumOfSquares = state.get(FLOAT, 0) + meanSquare;
        state.set(FLOAT, 0, sumOfSquares);
        return config.learningRate() / ((float) Math.sqrt(sumOfSquares) + ADAGRAD_EPSILON);
    }
}
