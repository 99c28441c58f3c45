package io.supernode.embedding;

import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.function.Function;

/**
 * The tables and how they are sharded: which node and region hold each row, at which global address, and
 * the rows' seeded initial values, written into home memory the first time a batch names them.
 */
final class EmbeddingTables {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int MATERIALIZE_BYTES = 4096;

    private final EmbeddingConfig config;
    private final Supernode machine;
    private final int nodes;
    private final int rowBytes;
    private final Region[][] shards;
    private final BitSet[] materialized;

    /** Maps every shard of every table through {@code map} (a coherence domain's, or the machine's). */
    EmbeddingTables(EmbeddingConfig config, Supernode machine, Function<RegionSpec, Region> map) {
        this.config = config;
        this.machine = machine;
        this.nodes = config.nodes();
        this.rowBytes = config.rowBytes();
        this.shards = new Region[config.tables()][];
        this.materialized = new BitSet[config.tables()];
        for (int t = 0; t < config.tables(); t++) {
            int count = config.sharding() == Sharding.TABLE_WISE ? 1 : nodes;
            shards[t] = new Region[count];
            for (int s = 0; s < count; s++) {
                long bytes = Math.max(rowBytes, (long) shardRows(s) * rowBytes);
                shards[t][s] = map.apply(RegionSpec.of("emb-t" + t + "-s" + s, bytes, Placement.onNode(shardOwner(t, s))));
            }
            materialized[t] = new BitSet();
        }
    }

    /** Shards of {@code table}: one when table-wise, one per node otherwise. */
    int shardCount(int table) {
        return shards[table].length;
    }

    /** The region of shard {@code shard} of {@code table}. */
    Region shard(int table, int shard) {
        return shards[table][shard];
    }

    /** The node holding shard {@code shard} of {@code table}. */
    int shardOwner(int table, int shard) {
        return config.sharding() == Sharding.TABLE_WISE ? table % nodes : shard;
    }

    /** Rows in shard {@code shard}. */
    int shardRows(int shard) {
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
    long localIndex(int row) {
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
    void materialize(int table, int row) {
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
        long h = EmbeddingWorkload.mix(config.seed(), table, ((long) row << 12) | d);
        return (h >>> 40) / (float) (1 << 24) - 0.5f;
    }
}
