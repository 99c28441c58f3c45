package io.supernode.collectives.schedule;

import io.supernode.gas.fault.ConfigFault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Builds the schedule of an operation and algorithm. The reduction order each one fixes, and so the bits of
 * its result in floating point (every partial rounded to the element type):
 * <ul>
 *   <li>ring all-reduce: block k (of n near-equal blocks) starts at rank k and is reduced in ring order,
 *       {@code op(...op(op(x_k, x_k+1), x_k+2)..., x_k-1)}, ending at rank k - 1;</li>
 *   <li>ring reduce-scatter: block k starts at rank k + 1 and is reduced in ring order, ending at rank k,
 *       {@code op(...op(x_k+1, x_k+2)..., x_k)};</li>
 *   <li>ring reduce: a chain from rank root + 1 around to the root, {@code op(...op(x_root+1, x_root+2)...,
 *       x_root)};</li>
 *   <li>direct (one-shot), two-shot and in-switch (NVLS) all-reduce, direct reduce-scatter: the rank that ends
 *       with a block reduces every rank's copy of it in rank order, {@code op(...op(x_0, x_1)..., x_n-1)};</li>
 *   <li>hierarchical all-reduce over G domains of g ranks (rank q*g + l is local rank l of domain q): block b (of g)
 *       is first reduced inside every domain in ring order from local rank b, giving domain q's partial
 *       {@code y_q = op(...op(x_qg+b, x_qg+b+1)..., x_qg+b-1)}; piece p (of G) of that block is then reduced across
 *       domains in ring order from domain p, {@code op(...op(y_p, y_p+1)..., y_p-1)};</li>
 *   <li>double binary tree all-reduce: the first half of the buffer up the heap-shaped tree over ranks 0..n-1
 *       (children of v are 2v + 1 and 2v + 2), the second half up the same tree over ranks n-1..0; at every
 *       node {@code t_v = op(t_right, op(t_left, x_v))}, children's subtrees first, the left child before the
 *       right; the root's value is every rank's result;</li>
 *   <li>recursive halving-doubling all-reduce (n a power of two): {@code P_0(r) = x_r} and, at step k with
 *       {@code m = n / 2^(k+1)}, {@code P_k+1(r) = op(P_k(r xor m), P_k(r))}; block b's result is
 *       {@code P_log n(b)}.</li>
 * </ul>
 */
public final class Schedules {

    private Schedules() {
    }

    /**
     * The schedule of {@code op} by {@code algorithm} over {@code ranks} ranks; {@code count} as
     * {@link Schedule#count()} says.
     *
     * @throws ConfigFault when the algorithm does not implement the operation, or a number is out of range
     */
    public static Schedule build(Op op, Algorithm algorithm, int ranks, long count, int root) {
        return build(op, algorithm, ranks, 0, count, root);
    }

    /**
     * {@link #build(Op, Algorithm, int, long, int)} on a team of domains of {@code groupSize} consecutive ranks
     * (0: none), which only the hierarchical algorithm uses.
     *
     * @throws ConfigFault as that method does, and for a hierarchical schedule without whole domains
     */
    public static Schedule build(Op op, Algorithm algorithm, int ranks, int groupSize, long count, int root) {
        if (ranks < 1 || count < 0 || root < 0 || root >= ranks) {
            throw new ConfigFault(op.ncclName() + " needs ranks >= 1, count >= 0 and a root among the ranks, got "
                    + ranks + " ranks, count " + count + ", root " + root);
        }
        return switch (algorithm) {
            case RING -> switch (op) {
                case ALL_REDUCE -> ringAllReduce(ranks, count);
                case REDUCE_SCATTER -> ringReduceScatter(ranks, count);
                case ALL_GATHER -> ringAllGather(ranks, count);
                case BROADCAST -> ringBroadcast(ranks, count, root);
                case REDUCE -> ringReduce(ranks, count, root);
                case ALL_TO_ALL, BARRIER -> throw new ConfigFault(op.ncclName() + " has no ring schedule here; use direct");
            };
            case DIRECT -> switch (op) {
                case BARRIER -> disseminationBarrier(ranks);
                case ALL_REDUCE -> directAllReduce(ranks, count);
                case REDUCE_SCATTER -> directReduceScatter(ranks, count);
                case ALL_GATHER -> directAllGather(ranks, count);
                case ALL_TO_ALL -> allToAll(evenCounts(ranks, count));
                default -> throw new ConfigFault(op.ncclName() + " has no direct schedule here; use ring");
            };
            case TREE -> {
                if (op != Op.ALL_REDUCE) {
                    throw new ConfigFault("tree is an all-reduce here; " + op.ncclName() + " has no tree schedule");
                }
                yield treeAllReduce(ranks, count);
            }
            case RHD -> {
                if (op != Op.ALL_REDUCE) {
                    throw new ConfigFault("rhd is an all-reduce here; " + op.ncclName() + " has no rhd schedule");
                }
                if (Integer.bitCount(ranks) != 1) {
                    throw new ConfigFault("recursive halving-doubling needs a power-of-two team, got " + ranks + " ranks");
                }
                yield halvingDoublingAllReduce(ranks, count);
            }
            case TWO_SHOT, NVLS -> {
                if (op != Op.ALL_REDUCE) {
                    throw new ConfigFault(algorithm.name().toLowerCase(java.util.Locale.ROOT) + " is an all-reduce; "
                            + op.ncclName() + " has no such schedule");
                }
                yield twoShotAllReduce(ranks, count, algorithm);
            }
            case HIERARCHICAL -> {
                if (op != Op.ALL_REDUCE) {
                    throw new ConfigFault("hierarchical is an all-reduce; " + op.ncclName() + " has no hierarchical schedule");
                }
                if (groupSize < 2 || groupSize >= ranks || ranks % groupSize != 0) {
                    throw new ConfigFault("hierarchical all-reduce needs a team of at least two whole first-tier "
                            + "domains of at least two ranks each, in consecutive ranks; this team of " + ranks
                            + " ranks has none");
                }
                yield hierarchicalAllReduce(ranks / groupSize, groupSize, count);
            }
        };
    }

    /** Whether {@link #build} has a schedule of {@code op} by {@code algorithm}. */
    public static boolean implemented(Op op, Algorithm algorithm) {
        return switch (algorithm) {
            case RING -> op != Op.ALL_TO_ALL && op != Op.BARRIER;
            case DIRECT -> op == Op.ALL_REDUCE || op == Op.REDUCE_SCATTER || op == Op.ALL_GATHER || op == Op.ALL_TO_ALL
                    || op == Op.BARRIER;
            case TWO_SHOT, HIERARCHICAL, NVLS, TREE, RHD -> op == Op.ALL_REDUCE;
        };
    }

    /**
     * All-to-all with uneven counts: rank r sends {@code counts[r][j]} elements to rank j. Rank r's input
     * holds its blocks for ranks 0, 1, ... in order; rank j's output holds the blocks from ranks 0, 1, ... in
     * order, so both buffers are as long as the largest row or column sum.
     */
    public static Schedule allToAll(long[][] counts) {
        int n = counts.length;
        long[] inputOffsets = new long[n];
        long[] outputOffsets = new long[n];
        long input = 0;
        long output = 0;
        for (int r = 0; r < n; r++) {
            if (counts[r].length != n) {
                throw new ConfigFault("all-to-all counts must be " + n + " x " + n + ", row " + r + " has " + counts[r].length);
            }
            long row = 0;
            long column = 0;
            for (int j = 0; j < n; j++) {
                if (counts[r][j] < 0 || counts[j][r] < 0) {
                    throw new ConfigFault("all-to-all counts must be >= 0");
                }
                row += counts[r][j];
                column += counts[j][r];
            }
            input = Math.max(input, row);
            output = Math.max(output, column);
        }
        List<Transfer> local = new ArrayList<>();
        List<Transfer> remote = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            long sourceAt = 0;
            for (int j = 0; j < n; j++) {
                long targetAt = 0;
                for (int i = 0; i < r; i++) {
                    targetAt += counts[i][j];
                }
                if (counts[r][j] > 0) {
                    (r == j ? local : remote).add(new Transfer(r, j, Buffer.INPUT, sourceAt, Buffer.OUTPUT, targetAt,
                            counts[r][j], false));
                }
                sourceAt += counts[r][j];
            }
        }
        long count = n == 0 ? 0 : counts[0].length == 0 ? 0 : counts[0][0];
        return new Schedule(Op.ALL_TO_ALL, Algorithm.DIRECT, n, 0, count, input, output, 0, nonEmpty(local, remote));
    }

    private static long[][] evenCounts(int ranks, long count) {
        long[][] counts = new long[ranks][ranks];
        for (long[] row : counts) {
            Arrays.fill(row, count);
        }
        return counts;
    }

    /** First element of block {@code k} of {@code count} elements cut into {@code n} near-equal blocks. */
    static long blockStart(long count, int n, int k) {
        return count * k / n;
    }

    private static long blockLength(long count, int n, int k) {
        return blockStart(count, n, k + 1) - blockStart(count, n, k);
    }

    private static Schedule ringAllReduce(int n, long count) {
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.OUTPUT, r -> 0, count));
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int block = Math.floorMod(r - s, n);
                add(step, r, (r + 1) % n, Buffer.OUTPUT, blockStart(count, n, block), Buffer.OUTPUT,
                        blockLength(count, n, block), true);
            }
            steps.add(step);
        }
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int block = Math.floorMod(r + 1 - s, n);
                add(step, r, (r + 1) % n, Buffer.OUTPUT, blockStart(count, n, block), Buffer.OUTPUT,
                        blockLength(count, n, block), false);
            }
            steps.add(step);
        }
        return new Schedule(Op.ALL_REDUCE, Algorithm.RING, n, 0, count, count, count, 0, pruned(steps));
    }

    private static Schedule ringReduceScatter(int n, long count) {
        long total = count * n;
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.WORK, r -> 0, total));
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int block = Math.floorMod(r - s - 1, n);
                add(step, r, (r + 1) % n, Buffer.WORK, block * count, Buffer.WORK, count, true);
            }
            steps.add(step);
        }
        List<Transfer> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            add(out, r, r, Buffer.WORK, r * count, Buffer.OUTPUT, count, false, 0);
        }
        steps.add(out);
        return new Schedule(Op.REDUCE_SCATTER, Algorithm.RING, n, 0, count, total, count, total, pruned(steps));
    }

    private static Schedule ringAllGather(int n, long count) {
        List<List<Transfer>> steps = new ArrayList<>();
        List<Transfer> own = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            add(own, r, r, Buffer.INPUT, 0, Buffer.OUTPUT, count, false, r * count);
        }
        steps.add(own);
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int block = Math.floorMod(r - s, n);
                add(step, r, (r + 1) % n, Buffer.OUTPUT, block * count, Buffer.OUTPUT, count, false);
            }
            steps.add(step);
        }
        return new Schedule(Op.ALL_GATHER, Algorithm.RING, n, 0, count, count, count * n, 0, pruned(steps));
    }

    private static Schedule ringBroadcast(int n, long count, int root) {
        List<List<Transfer>> steps = new ArrayList<>();
        List<Transfer> own = new ArrayList<>();
        add(own, root, root, Buffer.INPUT, 0, Buffer.OUTPUT, count, false, 0);
        steps.add(own);
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            int from = (root + s) % n;
            add(step, from, (from + 1) % n, Buffer.OUTPUT, 0, Buffer.OUTPUT, count, false);
            steps.add(step);
        }
        return new Schedule(Op.BROADCAST, Algorithm.RING, n, root, count, count, count, 0, pruned(steps));
    }

    private static Schedule ringReduce(int n, long count, int root) {
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.WORK, r -> 0, count));
        for (int s = 0; s < n - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            int from = (root + 1 + s) % n;
            add(step, from, (from + 1) % n, Buffer.WORK, 0, Buffer.WORK, count, true);
            steps.add(step);
        }
        List<Transfer> out = new ArrayList<>();
        add(out, root, root, Buffer.WORK, 0, Buffer.OUTPUT, count, false, 0);
        steps.add(out);
        return new Schedule(Op.REDUCE, Algorithm.RING, n, root, count, count, count, count, pruned(steps));
    }

    private static Schedule directAllGather(int n, long count) {
        List<Transfer> own = new ArrayList<>();
        List<Transfer> puts = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                add(r == j ? own : puts, r, j, Buffer.INPUT, 0, Buffer.OUTPUT, count, false, r * count);
            }
        }
        return new Schedule(Op.ALL_GATHER, Algorithm.DIRECT, n, 0, count, count, count * n, 0, nonEmpty(own, puts));
    }

    private static Schedule directAllReduce(int n, long count) {
        List<Transfer> own = new ArrayList<>();
        List<Transfer> puts = new ArrayList<>();
        List<Transfer> reduce = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                add(r == j ? own : puts, r, j, Buffer.INPUT, 0, Buffer.WORK, count, false, r * count);
            }
            add(reduce, r, r, Buffer.WORK, 0, Buffer.OUTPUT, count, false, 0);
            for (int k = 1; k < n; k++) {
                add(reduce, r, r, Buffer.WORK, k * count, Buffer.OUTPUT, count, true, 0);
            }
        }
        List<List<Transfer>> steps = new ArrayList<>(nonEmpty(own, puts));
        steps.add(reduce);
        return new Schedule(Op.ALL_REDUCE, Algorithm.DIRECT, n, 0, count, count, count, count * n, pruned(steps));
    }

    /** Every rank puts block k of its input to rank k's work slot; rank k reduces the slots in rank order. */
    private static Schedule directReduceScatter(int n, long count) {
        List<Transfer> own = new ArrayList<>();
        List<Transfer> puts = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                add(r == k ? own : puts, r, k, Buffer.INPUT, k * count, Buffer.WORK, count, false, r * count);
            }
        }
        List<List<Transfer>> steps = new ArrayList<>(nonEmpty(own, puts));
        steps.add(reduceSlots(n, k -> count, k -> 0, count));
        return new Schedule(Op.REDUCE_SCATTER, Algorithm.DIRECT, n, 0, count, count * n, count, count * n, pruned(steps));
    }

    /**
     * A direct reduce-scatter of the n blocks of one buffer, then every reduced block put to every rank: the
     * two-shot all-reduce, and the bytes of an in-switch one ({@code algorithm}).
     */
    private static Schedule twoShotAllReduce(int n, long count, Algorithm algorithm) {
        long slot = n == 0 ? 0 : (count + n - 1) / n;
        List<Transfer> own = new ArrayList<>();
        List<Transfer> puts = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                add(r == k ? own : puts, r, k, Buffer.INPUT, blockStart(count, n, k), Buffer.WORK,
                        blockLength(count, n, k), false, r * slot);
            }
        }
        List<List<Transfer>> steps = new ArrayList<>(nonEmpty(own, puts));
        steps.add(reduceSlots(n, k -> blockLength(count, n, k), k -> blockStart(count, n, k), slot));
        List<Transfer> gather = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            for (int r = 0; r < n; r++) {
                if (r != k) {
                    add(gather, k, r, Buffer.OUTPUT, blockStart(count, n, k), Buffer.OUTPUT, blockLength(count, n, k), false);
                }
            }
        }
        steps.add(gather);
        return new Schedule(Op.ALL_REDUCE, algorithm, n, 0, count, count, count, slot * n, pruned(steps));
    }

    /** See the class comment: reduce-scatter in each domain, all-reduce of each block across domains, all-gather. */
    private static Schedule hierarchicalAllReduce(int groups, int g, long count) {
        int n = groups * g;
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.OUTPUT, r -> 0, count));
        // Inside every domain: after g - 1 steps local rank l holds block (l + 1) mod g reduced over its domain.
        for (int s = 0; s < g - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int l = r % g;
                int block = Math.floorMod(l - s, g);
                add(step, r, r - l + (l + 1) % g, Buffer.OUTPUT, blockStart(count, g, block), Buffer.OUTPUT,
                        blockLength(count, g, block), true);
            }
            steps.add(step);
        }
        // Across domains, a ring all-reduce of that block among the ranks of local index l, one per domain.
        for (int phase = 0; phase < 2; phase++) {
            for (int s = 0; s < groups - 1; s++) {
                List<Transfer> step = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    int l = r % g;
                    int q = r / g;
                    int block = (l + 1) % g;
                    long first = blockStart(count, g, block);
                    long length = blockLength(count, g, block);
                    int piece = Math.floorMod(phase == 0 ? q - s : q + 1 - s, groups);
                    add(step, r, ((q + 1) % groups) * g + l, Buffer.OUTPUT, first + blockStart(length, groups, piece),
                            Buffer.OUTPUT, blockLength(length, groups, piece), phase == 0);
                }
                steps.add(step);
            }
        }
        // Inside every domain, a ring all-gather of the g blocks.
        for (int s = 0; s < g - 1; s++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int l = r % g;
                int block = Math.floorMod(l + 1 - s, g);
                add(step, r, r - l + (l + 1) % g, Buffer.OUTPUT, blockStart(count, g, block), Buffer.OUTPUT,
                        blockLength(count, g, block), false);
            }
            steps.add(step);
        }
        return new Schedule(Op.ALL_REDUCE, Algorithm.HIERARCHICAL, n, 0, count, count, count, 0, pruned(steps));
    }

    /**
     * A dissemination barrier: in round k every rank r puts a one-byte flag to rank r + 2^k, the flag it received
     * in round k - 1 (its input's byte in round 0), so a round leaves only once the round before has arrived; after
     * ceil(log2 n) rounds every rank has heard, through some chain, from every rank. Each rank's output is the
     * last flag it received: rank r - (2^rounds - 1)'s input byte.
     */
    private static Schedule disseminationBarrier(int n) {
        int rounds = 32 - Integer.numberOfLeadingZeros(n - 1);
        List<List<Transfer>> steps = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                add(step, r, (r + (1 << k)) % n, k == 0 ? Buffer.INPUT : Buffer.WORK, k == 0 ? 0 : k - 1, Buffer.WORK,
                        1, false, k);
            }
            steps.add(step);
        }
        List<Transfer> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            add(out, r, r, rounds == 0 ? Buffer.INPUT : Buffer.WORK, Math.max(0, rounds - 1), Buffer.OUTPUT, 1, false, 0);
        }
        steps.add(out);
        return new Schedule(Op.BARRIER, Algorithm.DIRECT, n, 0, 1, 1, 1, Math.max(1, rounds), pruned(steps));
    }

    /** See the class comment: each half of the buffer up its tree, children one side at a time, then down. */
    private static Schedule treeAllReduce(int n, long count) {
        long half = count / 2;
        long[] first = {0, half};
        long[] length = {half, count - half};
        int depth = 0;
        while ((1 << (depth + 1)) - 1 < n) {
            depth++;
        }
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.OUTPUT, r -> 0, count));
        // Up: the deepest level first; a parent takes its left children in one step and its right in the next, so
        // that no two transfers of a step write the same elements.
        for (int level = depth; level >= 1; level--) {
            for (int side = 1; side <= 2; side++) {
                List<Transfer> step = new ArrayList<>();
                for (int tree = 0; tree < 2; tree++) {
                    for (int v = (1 << level) - 1; v < Math.min(n, (1 << (level + 1)) - 1); v++) {
                        if ((v - 1) % 2 == side - 1) {
                            add(step, rank(tree, v, n), rank(tree, (v - 1) / 2, n), Buffer.OUTPUT, first[tree], Buffer.OUTPUT,
                                    length[tree], true);
                        }
                    }
                }
                steps.add(step);
            }
        }
        // Down: the root's result to every level.
        for (int level = 1; level <= depth; level++) {
            List<Transfer> step = new ArrayList<>();
            for (int tree = 0; tree < 2; tree++) {
                for (int v = (1 << level) - 1; v < Math.min(n, (1 << (level + 1)) - 1); v++) {
                    add(step, rank(tree, (v - 1) / 2, n), rank(tree, v, n), Buffer.OUTPUT, first[tree], Buffer.OUTPUT,
                            length[tree], false);
                }
            }
            steps.add(step);
        }
        return new Schedule(Op.ALL_REDUCE, Algorithm.TREE, n, 0, count, count, count, 0, pruned(steps));
    }

    /** The rank at node {@code v} of the heap-shaped tree {@code tree}: the second tree mirrors the first. */
    public static int rank(int tree, int v, int n) {
        return tree == 0 ? v : n - 1 - v;
    }

    /** See the class comment: partners r and r xor m swap halves of what they hold, then swap results back. */
    private static Schedule halvingDoublingAllReduce(int n, long count) {
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(localCopies(n, Buffer.INPUT, Buffer.OUTPUT, r -> 0, count));
        for (int m = n / 2; m >= 1; m /= 2) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int partner = r ^ m;
                int base = r & ~(2 * m - 1);
                // The partner keeps the half its own bit m names; this rank sends it that half.
                int kept = base + ((partner & m) != 0 ? m : 0);
                long from = blockStart(count, n, kept);
                add(step, r, partner, Buffer.OUTPUT, from, Buffer.OUTPUT, blockStart(count, n, kept + m) - from, true);
            }
            steps.add(step);
        }
        for (int m = 1; m < n; m *= 2) {
            List<Transfer> step = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int base = r & ~(m - 1);
                long from = blockStart(count, n, base);
                add(step, r, r ^ m, Buffer.OUTPUT, from, Buffer.OUTPUT, blockStart(count, n, base + m) - from, false);
            }
            steps.add(step);
        }
        return new Schedule(Op.ALL_REDUCE, Algorithm.RHD, n, 0, count, count, count, 0, pruned(steps));
    }

    /**
     * At every rank k: slot 0 of its work buffer copied to its output at {@code at(k)}, then slots 1..n-1 reduced
     * into it in rank order; each slot {@code length(k)} elements, {@code slot} apart.
     */
    private static List<Transfer> reduceSlots(int n, IntToLongFunction length, IntToLongFunction at, long slot) {
        List<Transfer> reduce = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            add(reduce, k, k, Buffer.WORK, 0, Buffer.OUTPUT, length.applyAsLong(k), false, at.applyAsLong(k));
            for (int r = 1; r < n; r++) {
                add(reduce, k, k, Buffer.WORK, r * slot, Buffer.OUTPUT, length.applyAsLong(k), true, at.applyAsLong(k));
            }
        }
        return reduce;
    }

    private static List<Transfer> localCopies(int n, Buffer from, Buffer to, IntToLongFunction at,
                                              long elements) {
        List<Transfer> step = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            add(step, r, r, from, at.applyAsLong(r), to, elements, false, at.applyAsLong(r));
        }
        return step;
    }

    /** A transfer to the same element of the receiver's buffer, if it moves anything. */
    private static void add(List<Transfer> step, int from, int to, Buffer source, long element, Buffer target,
                            long elements, boolean reduce) {
        add(step, from, to, source, element, target, elements, reduce, element);
    }

    private static void add(List<Transfer> step, int from, int to, Buffer source, long sourceElement, Buffer target,
                            long elements, boolean reduce, long targetElement) {
        if (elements > 0) {
            step.add(new Transfer(from, to, source, sourceElement, target, targetElement, elements, reduce));
        }
    }

    private static List<List<Transfer>> nonEmpty(List<Transfer> first, List<Transfer> second) {
        List<List<Transfer>> steps = new ArrayList<>();
        steps.add(first);
        steps.add(second);
        return pruned(steps);
    }

    private static List<List<Transfer>> pruned(List<List<Transfer>> steps) {
        return steps.stream().filter(s -> !s.isEmpty()).toList();
    }
}
