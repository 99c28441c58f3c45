package io.supernode.collectives.moe;

import io.supernode.gas.fault.ConfigFault;

import java.util.SplittableRandom;

/**
 * Every token's top-k experts and gate weights, for every rank: token {@code t} of rank {@code r} picks experts
 * {@code expert(r, t, 0..k-1)} in the order drawn (the gate's top-k order), with weights that are positive and sum to
 * about 1. A token's choice is a function of the seed, its rank and its index only, so the first tokens of a run are
 * the same whatever the token count. Expert {@code e} lives on rank {@code e / (experts / ranks)}; rank {@code r} is in
 * group {@code r / ranksPerGroup}.
 */
public final class RoutingTable {

    /** The most token-expert pairs a table holds (A: 64 Mi pairs take 512 MiB of host memory). */
    public static final long MAX_PAIRS = 1L << 26;
    /** Rejected draws after which a token's remaining experts are drawn by a scan instead. */
    private static final int MAX_REJECTIONS = 64;

    private final int ranks;
    private final int tokens;
    private final int experts;
    private final int topK;
    private final int ranksPerGroup;
    private final int[] expert;
    private final float[] weight;

    private RoutingTable(int ranks, int tokens, int experts, int topK, int ranksPerGroup) {
        this.ranks = ranks;
        this.tokens = tokens;
        this.experts = experts;
        this.topK = topK;
        this.ranksPerGroup = ranksPerGroup;
        this.expert = new int[ranks * tokens * topK];
        this.weight = new float[expert.length];
    }

    /**
     * Draws the table.
     *
     * @throws ConfigFault when the experts do not spread evenly over the ranks, the groups do not divide the ranks,
     *         a token cannot find k experts within its groups, or the table would exceed {@link #MAX_PAIRS}
     */
    public static RoutingTable draw(Routing routing, int ranks, int tokens, int experts, int topK, int ranksPerGroup,
                                    long seed) {
        if (ranks < 1 || tokens < 1 || experts < 1 || topK < 1) {
            throw new ConfigFault("routing needs ranks, tokens, experts and top-k >= 1");
        }
        if (experts % ranks != 0) {
            throw new ConfigFault(experts + " experts do not spread evenly over " + ranks + " ranks");
        }
        if (topK > experts) {
            throw new ConfigFault("top-" + topK + " of " + experts + " experts");
        }
        if (ranksPerGroup < 1 || ranks % ranksPerGroup != 0) {
            throw new ConfigFault("groups of " + ranksPerGroup + " ranks do not divide " + ranks + " ranks");
        }
        if ((long) ranks * tokens * topK > MAX_PAIRS) {
            throw new ConfigFault((long) ranks * tokens * topK + " token-expert pairs, more than " + MAX_PAIRS);
        }
        RoutingTable table = new RoutingTable(ranks, tokens, experts, topK, ranksPerGroup);
        Sampler sampler = new Sampler(routing, ranks, experts, topK, ranksPerGroup, seed);
        for (int r = 0; r < ranks; r++) {
            for (int t = 0; t < tokens; t++) {
                sampler.draw(new SplittableRandom(mix(seed, r, t)), table.expert, table.weight, table.index(r, t, 0));
            }
        }
        return table;
    }

    private static long mix(long seed, int rank, int token) {
        long z = seed * 0x9E3779B97F4A7C15L + rank * 0xC2B2AE3D27D4EB4FL + token * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        return z ^ (z >>> 33);
    }

    private int index(int rank, int token, int k) {
        return (rank * tokens + token) * topK + k;
    }

    /** Ranks. */
    public int ranks() {
        return ranks;
    }

    /** Tokens per rank. */
    public int tokens() {
        return tokens;
    }

    /** Routed experts. */
    public int experts() {
        return experts;
    }

    /** Experts per token. */
    public int topK() {
        return topK;
    }

    /** Ranks per group (a first-tier domain). */
    public int ranksPerGroup() {
        return ranksPerGroup;
    }

    /** The k-th expert of token {@code token} of rank {@code rank}. */
    public int expert(int rank, int token, int k) {
        return expert[index(rank, token, k)];
    }

    /** The gate weight of that expert. */
    public float weight(int rank, int token, int k) {
        return weight[index(rank, token, k)];
    }

    /** The rank expert {@code e} lives on. */
    public int rankOf(int e) {
        return e / (experts / ranks);
    }

    /** The group rank {@code rank} is in. */
    public int groupOf(int rank) {
        return rank / ranksPerGroup;
    }

    /**
     * The ranks holding token {@code token} of rank {@code rank}'s experts, each once, ascending, written into
     * {@code out} (at least top-k long); returns how many.
     */
    public int ranksOf(int rank, int token, int[] out) {
        int n = 0;
        for (int k = 0; k < topK; k++) {
            int d = rankOf(expert(rank, token, k));
            int i = n;
            while (i > 0 && out[i - 1] > d) {
                i--;
            }
            if (i > 0 && out[i - 1] == d) {
                continue;
            }
            System.arraycopy(out, i, out, i + 1, n - i);
            out[i] = d;
            n++;
        }
        return n;
    }

    /** {@link #ranksOf(int, int, int[])} as a new array. */
    public int[] ranksOf(int rank, int token) {
        int[] out = new int[topK];
        return java.util.Arrays.copyOf(out, ranksOf(rank, token, out));
    }

    /** The groups holding token {@code token} of rank {@code rank}'s experts, each once, ascending. */
    public int[] groupsOf(int rank, int token) {
        int[] ranks = ranksOf(rank, token);
        int[] groups = new int[ranks.length];
        int n = 0;
        for (int d : ranks) {
            int g = groupOf(d);
            if (n == 0 || groups[n - 1] != g) {
                groups[n++] = g;
            }
        }
        return java.util.Arrays.copyOf(groups, n);
    }

    /** Draws one token's experts and weights. */
    private static final class Sampler {
        private final int experts;
        private final int topK;
        private final int expertsPerGroup;
        private final int groups;
        private final int maxGroups;
        /** Per expert, its popularity summed with every expert's before it in its group. */
        private final double[] cumulative;
        private final double[] groupPopularity;
        private final int[] chosenGroups;
        private final boolean[] taken;

        Sampler(Routing routing, int ranks, int experts, int topK, int ranksPerGroup, long seed) {
            this.experts = experts;
            this.topK = topK;
            this.groups = ranks / ranksPerGroup;
            this.expertsPerGroup = experts / groups;
            this.maxGroups = routing instanceof Routing.GroupLimited g ? Math.min(g.maxGroups(), groups) : groups;
            if ((long) maxGroups * expertsPerGroup < topK) {
                throw new ConfigFault(routing.label() + " leaves " + (long) maxGroups * expertsPerGroup
                        + " experts for a top-" + topK);
            }
            double[] popularity = new double[experts];
            java.util.Arrays.fill(popularity, 1.0);
            if (routing instanceof Routing.Zipf z) {
                int[] order = new int[experts];
                for (int e = 0; e < experts; e++) {
                    order[e] = e;
                }
                SplittableRandom shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
                for (int i = experts - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                for (int i = 0; i < experts; i++) {
                    popularity[order[i]] = Math.pow(i + 1, -z.exponent());
                }
            }
            cumulative = new double[experts];
            groupPopularity = new double[groups];
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int e = g * expertsPerGroup; e < (g + 1) * expertsPerGroup; e++) {
                    sum += popularity[e];
                    cumulative[e] = sum;
                }
                groupPopularity[g] = sum;
            }
            chosenGroups = new int[maxGroups];
            taken = new boolean[Math.max(groups, experts)];
        }

        void draw(SplittableRandom random, int[] expertOut, float[] weightOut, int at) {
            int allowed = pickGroups(random);
            double total = 0;
            for (int i = 0; i < allowed; i++) {
                total += groupPopularity[chosenGroups[i]];
            }
            double weightSum = 0;
            float[] raw = new float[topK];
            for (int k = 0; k < topK; k++) {
                int e = -1;
                for (int attempt = 0; attempt < MAX_REJECTIONS && e < 0; attempt++) {
                    int candidate = pick(random.nextDouble() * total, allowed);
                    e = taken[candidate] ? -1 : candidate;
                }
                if (e < 0) {
                    e = scan(random.nextDouble(), allowed);
                }
                taken[e] = true;
                expertOut[at + k] = e;
                raw[k] = 0.5f + (float) random.nextDouble();
                weightSum += raw[k];
            }
            for (int k = 0; k < topK; k++) {
                weightOut[at + k] = (float) (raw[k] / weightSum);
                // Only the drawn experts were marked: clearing them leaves the table clean for the next token.
                taken[expertOut[at + k]] = false;
            }
        }

        /** Chooses the token's groups (all of them without a limit); returns how many. */
        private int pickGroups(SplittableRandom random) {
            if (maxGroups == groups) {
                for (int g = 0; g < groups; g++) {
                    chosenGroups[g] = g;
                }
                return groups;
            }
            double total = 0;
            for (double p : groupPopularity) {
                total += p;
            }
            for (int i = 0; i < maxGroups; i++) {
                int g;
                do {
                    double u = random.nextDouble() * total;
                    g = 0;
                    while (g < groups - 1 && u >= groupPopularity[g]) {
                        u -= groupPopularity[g];
                        g++;
                    }
                } while (taken[g]);
                taken[g] = true;
                chosenGroups[i] = g;
            }
            java.util.Arrays.sort(chosenGroups, 0, maxGroups);
            for (int i = 0; i < maxGroups; i++) {
                taken[chosenGroups[i]] = false;
            }
            return maxGroups;
        }

        /** The expert at popularity mass {@code u} over the chosen groups. */
        private int pick(double u, int allowed) {
            int i = 0;
            while (i < allowed - 1 && u >= groupPopularity[chosenGroups[i]]) {
                u -= groupPopularity[chosenGroups[i]];
                i++;
            }
            int first = chosenGroups[i] * expertsPerGroup;
            int low = first;
            int high = first + expertsPerGroup - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (cumulative[mid] > u) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }

        /** The untaken expert at share {@code share} of the untaken popularity, by a scan. */
        private int scan(double share, int allowed) {
            double free = 0;
            for (int i = 0; i < allowed; i++) {
                int first = chosenGroups[i] * expertsPerGroup;
                for (int e = first; e < first + expertsPerGroup; e++) {
                    free += taken[e] ? 0 : popularity(e);
                }
            }
            double u = share * free;
            int last = -1;
            for (int i = 0; i < allowed; i++) {
                int first = chosenGroups[i] * expertsPerGroup;
                for (int e = first; e < first + expertsPerGroup; e++) {
                    if (!taken[e]) {
                        last = e;
                        u -= popularity(e);
                        if (u < 0) {
                            return e;
                        }
                    }
                }
            }
            return last;
        }

        private double popularity(int e) {
            return e % expertsPerGroup == 0 ? cumulative[e] : cumulative[e] - cumulative[e - 1];
        }
    }
}
