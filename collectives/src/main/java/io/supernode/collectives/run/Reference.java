package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;

/**
 * What every rank's output must hold, computed straight from the inputs in the order each algorithm
 * reduces (see {@link io.supernode.collectives.schedule.Schedules}), on the host and without the schedule:
 * the check a run's bytes are held to, element by element and bit for bit.
 */
public final class Reference {

    private final Op op;
    private final Algorithm algorithm;
    private final int ranks;
    private final long count;
    private final int root;
    private final DataType type;
    private final ReduceOp redop;
    private final long seed;

    /** The reference of one collective; {@code count} as the schedule's. */
    public Reference(Op op, Algorithm algorithm, int ranks, long count, int root, DataType type, ReduceOp redop,
                     long seed) {
        this.op = op;
        this.algorithm = algorithm;
        this.ranks = ranks;
        this.count = count;
        this.root = root;
        this.type = type;
        this.redop = redop;
        this.seed = seed;
    }

    /** Elements of a rank's output. */
    public long outputElements() {
        return switch (op) {
            case ALL_GATHER, ALL_TO_ALL -> count * ranks;
            default -> count;
        };
    }

    /** Whether every rank's output must be the same (all-reduce, broadcast), so it is computed once per element. */
    public boolean sameOnEveryRank() {
        return op == Op.ALL_REDUCE || op == Op.BROADCAST;
    }

    /**
     * Element {@code i} of rank {@code rank}'s output, or NaN where the operation leaves the output undefined
     * (a reduce's non-root ranks).
     */
    public float expected(int rank, long i) {
        return switch (op) {
            case ALL_REDUCE -> algorithm == Algorithm.RING ? inOrder(i, block(i)) : inOrder(i, 0);
            case REDUCE_SCATTER -> algorithm == Algorithm.RING ? inOrder(rank * count + i, (rank + 1) % ranks)
                    : inOrder(rank * count + i, 0);
            case ALL_GATHER -> input((int) (i / count), i % count);
            case ALL_TO_ALL -> input((int) (i / count), rank * count + i % count);
            case BROADCAST -> input(root, i);
            case REDUCE -> rank == root ? inOrder(i, (root + 1) % ranks) : Float.NaN;
        };
    }

    /** Block k of count elements cut into n near-equal blocks holds element i. */
    private int block(long i) {
        int k = (int) (i * ranks / count);
        while ((long) (k + 1) * count / ranks <= i) {
            k++;
        }
        while ((long) k * count / ranks > i) {
            k--;
        }
        return k;
    }

    /** {@code op(...op(x_first, x_first+1)..., x_first-1)} at element {@code i}, rounded after every step. */
    private float inOrder(long i, int first) {
        float acc = input(first, i);
        for (int j = 1; j < ranks; j++) {
            acc = type.round(redop.apply(input((first + j) % ranks, i), acc));
        }
        return acc;
    }

    private float input(int rank, long i) {
        return Inputs.value(type, seed, rank, i);
    }
}
