package io.supernode.embedding;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.config.OptionNames;

import java.util.Locale;

/**
 * An embedding-table workload: the tables, how they are sharded, the batches looked up in them, and the
 * machine and path they run on.
 *
 * @param nodes             accelerators, each with an equal share of the global batch
 * @param tables            embedding tables
 * @param rowsPerTable      rows in each table
 * @param dim               floats per row: a power of two from 1 to 1,024 (rows then never straddle a page)
 * @param globalBatch       samples per step, split evenly over the nodes
 * @param bagSize           ids per bag (one bag per sample and table)
 * @param zipfExponent      skew of id popularity (larger: hotter head); ranks are permuted onto random rows
 * @param sharding          how rows are spread over the nodes
 * @param pooling           sum or mean
 * @param dedup             unified paths fetch each distinct row once per node, table and step
 * @param cacheLinesPerNode lines of the coherent row cache per node (unified-cached path)
 * @param training          whether each step also writes every touched row once
 * @param optimizer         how training turns gradients into rows: sparse SGD or row-wise Adagrad
 * @param learningRate      the optimizer's step
 * @param steps             steps to run
 * @param pair              the load/store fabric and the copy stack compared on it
 * @param seed              seeds the ids and the rows' initial values
 */
public record EmbeddingConfig(int nodes, int tables, int rowsPerTable, int dim, int globalBatch, int bagSize,
                              double zipfExponent, Sharding sharding, Pooling pooling, boolean dedup,
                              int cacheLinesPerNode, boolean training, Optimizer optimizer, float learningRate,
                              int steps, FabricPair pair, long seed) {

    /**
     * The default workload: 8 nodes, 8 tables of 1M rows x 64 floats, a global batch of 2,048, 20
     * lookups per bag, Zipf 1.1, table-wise, sum pooling, a 4 MiB row cache per node, inference (SGD with a
     * step of 0.05 when training), 3 steps.
     * Rows are written on first use, so the 2 GiB of tables cost only what the batches touch.
     */
    public static final EmbeddingConfig DEFAULT = new EmbeddingConfig(8, 8, 1_000_000, 64, 2048, 20, 1.1,
            Sharding.TABLE_WISE, Pooling.SUM, false, 32_768, false, Optimizer.SGD, 0.05f, 3, FabricPair.UB_VS_ROCE, 42);

    /**
     * The workload JMH's {@code EmbeddingGatherBenchmark} runs and the report times beside it, small enough
     * for JMH to repeat: 4 nodes, 4 tables of 100,000 rows x 64 floats, a global batch of 256 bags of 20
     * (20,480 lookups per step), Zipf 1.1, the default 4 MiB row cache, one step per run.
     */
    public static final EmbeddingConfig GATHER_BENCHMARK = DEFAULT.withRows(100_000).withShape(4, 4, 256, 20, 1)
            .withMachine(64, FabricPair.UB_VS_ROCE, 42).withZipf(1.1);

    /**
     * Validates the workload against the documented ranges (the constants below); every message names the
     * field, and nothing is allocated before the whole workload is known to fit.
     */
    public EmbeddingConfig {
        if (sharding == null || pooling == null || optimizer == null || pair == null) {
            throw new ConfigFault("an embedding workload needs a sharding, a pooling, an optimizer and a fabric pair");
        }
        within("nodes", nodes, MAX_NODES);
        within("tables", tables, MAX_TABLES);
        within("rows per table", rowsPerTable, Integer.MAX_VALUE);
        within("global batch", globalBatch, Integer.MAX_VALUE);
        within("bag size", bagSize, Integer.MAX_VALUE);
        within("cache lines per node", cacheLinesPerNode, MAX_CACHE_LINES_PER_NODE);
        within("steps", steps, MAX_STEPS);
        if (dim < 1 || dim > 1024 || Integer.bitCount(dim) != 1) {
            throw new ConfigFault("embedding dim must be a power of two from 1 to 1024, got " + dim);
        }
        long tableBytes = (long) tables * rowsPerTable * dim * Float.BYTES;
        if (tableBytes > MAX_TABLE_BYTES) {
            throw new ConfigFault("embedding tables of " + ByteSize.format(tableBytes) + " (tables x rows x dim x 4 B) "
                    + "exceed the " + ByteSize.format(MAX_TABLE_BYTES) + " an emulated run holds");
        }
        long lookups = (long) globalBatch * bagSize * tables;
        if (lookups > MAX_LOOKUPS_PER_STEP) {
            throw new ConfigFault("embedding step of " + lookups + " lookups (batch x bag x tables) exceeds "
                    + MAX_LOOKUPS_PER_STEP);
        }
        long outputFloats = (long) globalBatch * dim * tables;
        if (outputFloats > MAX_OUTPUT_FLOATS) {
            throw new ConfigFault("embedding step of " + outputFloats + " output floats (batch x dim x tables) exceeds "
                    + MAX_OUTPUT_FLOATS);
        }
        if (globalBatch % nodes != 0) {
            throw new ConfigFault("global batch " + globalBatch + " does not split evenly over " + nodes + " nodes");
        }
        if (sharding != Sharding.TABLE_WISE && rowsPerTable < nodes) {
            throw new ConfigFault(rowsPerTable + " rows cannot be sharded row-wise over " + nodes + " nodes");
        }
        if (!(zipfExponent > 0) || !(zipfExponent <= MAX_ZIPF_EXPONENT)) {
            throw new ConfigFault("Zipf exponent must be above 0 and at most " + MAX_ZIPF_EXPONENT + ", got "
                    + zipfExponent);
        }
        if (!(learningRate > 0) || !(learningRate <= MAX_LEARNING_RATE)) {
            throw new ConfigFault("learning rate must be above 0 and at most " + MAX_LEARNING_RATE + ", got "
                    + learningRate);
        }
    }

    /** The most nodes (A: each boots at least 16 GiB of reserved, untouched memory). */
    public static final int MAX_NODES = 1024;
    /** The most tables (A). */
    public static final int MAX_TABLES = 1024;
    /** The most steps (A). */
    public static final int MAX_STEPS = 100_000;
    /** The largest row cache per node, in lines (A: 128 MiB of 128-byte lines). */
    public static final int MAX_CACHE_LINES_PER_NODE = 1 << 20;
    /**
     * The most bytes of tables (tables x rows x row bytes): 64 GiB (A: their page tables then take at most
     * 128 MiB of heap; rows are written on first use, so only touched rows take host memory).
     */
    public static final long MAX_TABLE_BYTES = 64L << 30;
    /** The most lookups per step, batch x bag x tables (A: their ids take at most 128 MiB of heap). */
    public static final long MAX_LOOKUPS_PER_STEP = 1L << 25;
    /** The most pooled floats per step, batch x dim x tables (A: at most 512 MiB of heap). */
    public static final long MAX_OUTPUT_FLOATS = 1L << 27;
    /** The largest Zipf exponent (A: at 100 the hottest row takes every draw). */
    public static final double MAX_ZIPF_EXPONENT = 100;
    /** The largest learning rate (A). */
    public static final float MAX_LEARNING_RATE = 1_000;

    private static void within(String what, int value, int max) {
        if (value < 1 || value > max) {
            throw new ConfigFault(what + " must be 1.." + max + ", got " + value);
        }
    }

    /** Bytes per row. */
    public int rowBytes() {
        return dim * Float.BYTES;
    }

    /** The row cache's line: a row, at most 128 bytes (an accelerator L2 line), at least the 16 a line needs. */
    public static int cacheLineBytes(int dim) {
        return Math.max(16, Math.min(128, dim * Float.BYTES));
    }

    /** Samples each node looks up per step. */
    public int samplesPerNode() {
        return globalBatch / nodes;
    }

    /** Row lookups per step over all tables. */
    public long lookupsPerStep() {
        return (long) globalBatch * bagSize * tables;
    }

    /** A builder holding this workload's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** This workload with other rows per table. */
    public EmbeddingConfig withRows(int rows) {
        return toBuilder().rowsPerTable(rows).build();
    }



    /** This workload with another row cache size. */
    public EmbeddingConfig withCacheLines(int lines) {
        return toBuilder().cacheLinesPerNode(lines).build();
    }


    /** This workload with another Zipf exponent. */
    public EmbeddingConfig withZipf(double exponent) {
        return toBuilder().zipfExponent(exponent).build();
    }

    /** This workload with another shape: nodes, tables, batch, bag size, steps. */
    public EmbeddingConfig withShape(int nodeCount, int tableCount, int batch, int bag, int stepCount) {
        return toBuilder().nodes(nodeCount).tables(tableCount).globalBatch(batch).bagSize(bag).steps(stepCount).build();
    }

    /** This workload with another dim, fabric pair and seed. */
    public EmbeddingConfig withMachine(int rowDim, FabricPair fabric, long newSeed) {
        return toBuilder().dim(rowDim).pair(fabric).seed(newSeed).build();
    }

    /** One line saying what runs: the tables, the batch, the skew and the options in force. */
    public String describe() {
        return String.format(Locale.ROOT, "%d nodes, %d tables x %,d rows x %d floats (%s), batch %d x bag %d, Zipf %.2f, %s, %s%s%s",
                nodes, tables, rowsPerTable, dim, ByteSize.format((long) tables * rowsPerTable * rowBytes()), globalBatch,
                bagSize, zipfExponent, OptionNames.label(sharding), OptionNames.label(pooling), dedup ? ", dedup" : "",
                training ? ", training (" + OptionNames.label(optimizer) + ")" : "");
    }

    /**
     * A workload built field by field, each setter named as the field; {@link #build} checks it as the
     * record's constructor does. Start from {@link #DEFAULT}{@code .toBuilder()} or any workload's.
     */
    public static final class Builder {

        private int nodes;
        private int tables;
        private int rowsPerTable;
        private int dim;
        private int globalBatch;
        private int bagSize;
        private double zipfExponent;
        private Sharding sharding;
        private Pooling pooling;
        private boolean dedup;
        private int cacheLinesPerNode;
        private boolean training;
        private Optimizer optimizer;
        private float learningRate;
        private int steps;
        private FabricPair pair;
        private long seed;

        private Builder(EmbeddingConfig from) {
            this.nodes = from.nodes;
            this.tables = from.tables;
            this.rowsPerTable = from.rowsPerTable;
            this.dim = from.dim;
            this.globalBatch = from.globalBatch;
            this.bagSize = from.bagSize;
            this.zipfExponent = from.zipfExponent;
            this.sharding = from.sharding;
            this.pooling = from.pooling;
            this.dedup = from.dedup;
            this.cacheLinesPerNode = from.cacheLinesPerNode;
            this.training = from.training;
            this.optimizer = from.optimizer;
            this.learningRate = from.learningRate;
            this.steps = from.steps;
            this.pair = from.pair;
            this.seed = from.seed;
        }

        /** Sets nodes: accelerators. */
        public Builder nodes(int value) {
            this.nodes = value;
            return this;
        }

        /** Sets tables: embedding tables. */
        public Builder tables(int value) {
            this.tables = value;
            return this;
        }

        /** Sets rowsPerTable: rows in each table. */
        public Builder rowsPerTable(int value) {
            this.rowsPerTable = value;
            return this;
        }

        /** Sets dim: floats per row. */
        public Builder dim(int value) {
            this.dim = value;
            return this;
        }

        /** Sets globalBatch: samples per step. */
        public Builder globalBatch(int value) {
            this.globalBatch = value;
            return this;
        }

        /** Sets bagSize: ids per bag. */
        public Builder bagSize(int value) {
            this.bagSize = value;
            return this;
        }

        /** Sets zipfExponent: skew of id popularity. */
        public Builder zipfExponent(double value) {
            this.zipfExponent = value;
            return this;
        }

        /** Sets sharding: how rows are spread over the nodes. */
        public Builder sharding(Sharding value) {
            this.sharding = value;
            return this;
        }

        /** Sets pooling: sum or mean. */
        public Builder pooling(Pooling value) {
            this.pooling = value;
            return this;
        }

        /** Sets dedup: whether unified paths read each distinct row once per node, table and step. */
        public Builder dedup(boolean value) {
            this.dedup = value;
            return this;
        }

        /** Sets cacheLinesPerNode: lines of the coherent row cache per node. */
        public Builder cacheLinesPerNode(int value) {
            this.cacheLinesPerNode = value;
            return this;
        }

        /** Sets training: whether each step also writes every touched row. */
        public Builder training(boolean value) {
            this.training = value;
            return this;
        }

        /** Sets optimizer: how training turns gradients into rows. */
        public Builder optimizer(Optimizer value) {
            this.optimizer = value;
            return this;
        }

        /** Sets learningRate: the optimizer's step. */
        public Builder learningRate(float value) {
            this.learningRate = value;
            return this;
        }

        /** Sets steps: steps to run. */
        public Builder steps(int value) {
            this.steps = value;
            return this;
        }

        /** Sets pair: the load/store fabric and the copy stack compared on it. */
        public Builder pair(FabricPair value) {
            this.pair = value;
            return this;
        }

        /** Sets seed: seeds the ids and the rows' initial values. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * The workload.
         *
         * @throws ConfigFault naming the field that is out of range
         */
        public EmbeddingConfig build() {
            return new EmbeddingConfig(nodes, tables, rowsPerTable, dim, globalBatch, bagSize, zipfExponent, sharding, pooling, dedup, cacheLinesPerNode, training, optimizer, learningRate, steps, pair, seed);
        }
    }
}
