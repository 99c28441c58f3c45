package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Schedules;

/**
 * What every rank's output must hold, computed straight from the inputs in the order each algorithm
 * reduces (see {@link io.supernode.collectives.schedule.Schedules}), on the host and without the schedule:
 * the check a run's bytes are held to, element by element and bit for bit.
 */
public final class Reference {

    private final Op op;
    private final Algorithm algorithm;
    private final int ranks;
    /** Ranks per first-tier domain of a hierarchical schedule (0 otherwise). */
    private final int groupSize;
    private final long count;
    private final int root;
    private final DataType type;
    private final ReduceOp redop;
    private final long seed;

    /** The reference of one collective; {@code count} as the schedule's. */
    public Reference(Op op, Algorithm algorithm, int ranks, long count, int root, DataType type, ReduceOp redop,
                     long seed) {
        this(op, algorithm, ranks, 0, count, root, type, redop, seed);
    }

    /** The reference of a collective on a team of domains of {@code groupSize} consecutive ranks (0: none). */
    public Reference(Op op, Algorithm algorithm, int ranks, int groupSize, long count, int root, DataType type,
                     ReduceOp redop, long seed) {
        this.op = op;
        this.algorithm = algorithm;
        this.ranks = ranks;
        this.groupSize = groupSize;
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
            case BARRIER -> 1;
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
            case ALL_REDUCE -> switch (algorithm) {
                case RING -> inOrder(i, block(i, count, ranks));
                case HIERARCHICAL -> hierarchical(i);
                case TREE -> i < count / 2 ? tree(0, 0, i) : tree(1, 0, i);
                case RHD -> halvingDoubling(block(i, count, ranks), Integer.numberOfTrailingZeros(ranks), i);
                default -> inOrder(i, 0);
            };
            case REDUCE_SCATTER -> algorithm == Algorithm.RING ? inOrder(rank * count + i, (rank + 1) % ranks)
                    : inOrder(rank * count + i, 0);
            case ALL_GATHER -> input((int) (i / count), i % count);
            case ALL_TO_ALL -> input((int) (i / count), rank * count + i % count);
            case BROADCAST -> input(root, i);
            case REDUCE -> rank == root ? inOrder(i, (root + 1) % ranks) : Float.NaN;
            case BARRIER -> input(Math.floorMod(rank - ((1 << (32 - Integer.numberOfLeadingZeros(ranks - 1))) - 1), ranks), 0);
        };
    }

    /** Block k of {@code elements} elements cut into n near-equal blocks holds element i. */
    private static int block(long i, long elements, int n) {
        int k = (int) (i * n / elements);
        while ((long) (k + 1) * elements / n <= i) {
            k++;
        }
        while ((long) k * elements / n > i) {
            k--;
        }
        return k;
    }

    /** Element i of a hierarchical all-reduce: each domain's partial in ring order, then across domains. */
    private float hierarchical(long i) {
        int g = groupSize;
        int groups = ranks / g;
        int b = block(i, count, g);
        long first = count * b / g;
        long length = count * (b + 1) / g - first;
        int p = block(i - first, length, groups);
        float acc = domainPartial(p, b, i);
        for (int j = 1; j < groups; j++) {
            acc = type.round(redop.apply(domainPartial((p + j) % groups, b, i), acc));
        }
        return acc;
    }

    /** The subtree at heap node {@code v} of tree {@code t}: {@code op(right, op(left, x_v))}. */
    private float tree(int t, int v, long i) {
        float acc = input(Schedules.rank(t, v, ranks), i);
        for (int child = 2 * v + 1; child <= 2 * v + 2 && child < ranks; child++) {
            acc = type.round(redop.apply(tree(t, child, i), acc));
        }
        return acc;
    }

    /** {@code P_k(r)} of recursive halving (see {@code Schedules}), with masks n/2, n/4, ... 1. */
    private float halvingDoubling(int r, int k, long i) {
        if (k == 0) {
            return input(r, i);
        }
        int m = ranks >> k;
        return type.round(redop.apply(halvingDoubling(r ^ m, k - 1, i), halvingDoubling(r, k - 1, i)));
    }

    private float domainPartial(int domain, int firstLocal, long i) {
        int g = groupSize;
        float acc = input(domain * g + firstLocal, i);
        for (int j = 1; j < g; j++) {
            acc = type.round(redop.apply(input(domain * g + (firstLocal + j) % g, i), acc));
        }
        return acc;
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
