package io.supernode.collectives.moe;

/**
 * The chunks of one dispatch and its combine, at the full token count, built from the routing as DeepEP's kernels
 * batch them, and the per-rank counts DeepEP's bandwidths are defined by.
 *
 * <ul>
 *   <li>Normal mode, one domain (or a machine whose load/store path reaches every rank): channel {@code c} of a rank
 *   handles its tokens {@code [c T / C, (c+1) T / C)}; each token goes once to every rank holding any of its experts,
 *   in chunks of up to {@link #NVL_CHUNK_TOKENS} tokens per destination. Combine sends the same chunks back, reduced
 *   where they land.</li>
 *   <li>Normal mode on stacked servers, for teams of whole servers: a token goes once to every server holding any of
 *   its experts, to the rank there with the sender's local index (its own server's share into its own buffer), in
 *   chunks of up to {@link #RDMA_CHUNK_TOKENS}; that forwarder passes each chunk's tokens to the ranks of its server
 *   that need them, once the chunk has arrived. Combine reverses it: ranks return their partial sums to the
 *   forwarder, which reduces a chunk once every part of it is in and sends it home, where it is reduced again.</li>
 *   <li>Low-latency mode: one message per token and expert, straight to the expert's rank (token {@code t} on channel
 *   {@code t mod C}); combine returns one message per token and expert.</li>
 * </ul>
 */
final class MoeTraffic {

    /**
     * Tokens per chunk a rank sends over the scale-up link (C: DeepEP's intranode test Config, 6 to 8 tokens per NVLink
     * chunk; 8 used).
     */
    static final int NVL_CHUNK_TOKENS = 8;
    /**
     * Tokens per chunk between servers (C: DeepEP's internode test Config, 16 tokens per RDMA chunk); the forwarder
     * passes on each such chunk's tokens for a rank as one chunk of up to as many tokens.
     */
    static final int RDMA_CHUNK_TOKENS = 16;

    final ChunkGraph dispatch = new ChunkGraph();
    final ChunkGraph combine = new ChunkGraph();
    /** Per rank, the tokens it receives, once per rank, its own included (DeepEP's NVLink bytes count these). */
    final long[] receivedTokens;
    /** Per rank, its tokens times the groups each goes to, its own included (DeepEP's RDMA bytes count these). */
    final long[] tokenGroups;
    /** Per rank, its token-expert pairs (DeepEP's low-latency bytes count these). */
    final long[] pairs;

    private final RoutingTable table;
    private final int channels;
    private final long dispatchBytes;
    private final long combineBytes;

    private MoeTraffic(RoutingTable table, int channels, long dispatchBytes, long combineBytes) {
        this.table = table;
        this.channels = channels;
        this.dispatchBytes = dispatchBytes;
        this.combineBytes = combineBytes;
        receivedTokens = new long[table.ranks()];
        tokenGroups = new long[table.ranks()];
        pairs = new long[table.ranks()];
    }

    /**
     * The traffic of {@code mode} over {@code table}'s tokens on {@code channels} channels per rank; {@code hierarchical}
     * routes normal mode through a forwarder per server (groups of the table).
     */
    static MoeTraffic of(RoutingTable table, MoeMode mode, boolean hierarchical, TokenMessage message, int channels) {
        MoeTraffic traffic = new MoeTraffic(table, channels, message.bytes(),
                TokenMessage.combineBytes(message.hidden()));
        traffic.count();
        if (mode == MoeMode.LOW_LATENCY) {
            traffic.direct();
        } else if (hierarchical) {
            traffic.forwarded();
        } else {
            traffic.batched();
        }
        return traffic;
    }

    /** Fills the counters. */
    private void count() {
        int ranks = table.ranks();
        int topK = table.topK();
        int[] distinct = new int[topK];
        for (int r = 0; r < ranks; r++) {
            pairs[r] = (long) table.tokens() * topK;
            for (int t = 0; t < table.tokens(); t++) {
                int n = table.ranksOf(r, t, distinct);
                for (int i = 0; i < n; i++) {
                    receivedTokens[distinct[i]]++;
                }
                tokenGroups[r] += distinctGroups(distinct, n);
            }
        }
    }

    /** Normal mode in one domain: chunks per destination rank. */
    private void batched() {
        int ranks = table.ranks();
        int[] open = new int[ranks];
        boolean[] listed = new boolean[ranks];
        int[] touched = new int[ranks];
        int[] distinct = new int[table.topK()];
        for (int r = 0; r < ranks; r++) {
            for (int c = 0; c < channels; c++) {
                int touchedCount = 0;
                for (int t = first(c); t < first(c + 1); t++) {
                    int n = table.ranksOf(r, t, distinct);
                    for (int i = 0; i < n; i++) {
                        int d = distinct[i];
                        if (!listed[d]) {
                            listed[d] = true;
                            touched[touchedCount++] = d;
                        }
                        if (++open[d] == NVL_CHUNK_TOKENS) {
                            emitBatch(r, d, c, t - first(c), open[d]);
                            open[d] = 0;
                        }
                    }
                }
                for (int i = 0; i < touchedCount; i++) {
                    int d = touched[i];
                    if (open[d] > 0) {
                        emitBatch(r, d, c, first(c + 1) - first(c), open[d]);
                    }
                    open[d] = 0;
                    listed[d] = false;
                }
            }
        }
    }

    /** One chunk each way: the tokens to {@code d}, and their partial sums back. */
    private void emitBatch(int r, int d, int c, int position, int tokens) {
        dispatch.add(r, d, c, position, tokens * dispatchBytes, false);
        combine.add(d, r, c, position, tokens * combineBytes, true);
    }

    /** Normal mode on stacked servers: a chunk per destination server, forwarded inside it. */
    private void forwarded() {
        int ranks = table.ranks();
        int perGroup = table.ranksPerGroup();
        int groups = ranks / perGroup;
        int[] openGroup = new int[groups];
        int[] openRank = new int[ranks];
        int[] distinct = new int[table.topK()];
        for (int r = 0; r < ranks; r++) {
            int local = r % perGroup;
            for (int c = 0; c < channels; c++) {
                for (int t = first(c); t < first(c + 1); t++) {
                    int n = table.ranksOf(r, t, distinct);
                    int lastGroup = -1;
                    // Distinct ranks come in ascending order, so a group's ranks are consecutive.
                    for (int i = 0; i < n; i++) {
                        int g = table.groupOf(distinct[i]);
                        openRank[distinct[i]]++;
                        if (g != lastGroup) {
                            openGroup[g]++;
                            lastGroup = g;
                        }
                    }
                    lastGroup = -1;
                    for (int i = 0; i < n; i++) {
                        int g = table.groupOf(distinct[i]);
                        if (g != lastGroup && openGroup[g] == RDMA_CHUNK_TOKENS) {
                            emitForwarded(r, g * perGroup + local, g, c, t - first(c), openGroup, openRank);
                        }
                        lastGroup = g;
                    }
                }
                for (int g = 0; g < groups; g++) {
                    if (openGroup[g] > 0) {
                        emitForwarded(r, g * perGroup + local, g, c, first(c + 1) - first(c), openGroup, openRank);
                    }
                }
            }
        }
    }

    private void emitForwarded(int r, int forwarder, int group, int c, int position, int[] openGroup, int[] openRank) {
        int perGroup = table.ranksPerGroup();
        int toServer = dispatch.add(r, forwarder, c, position, openGroup[group] * dispatchBytes, false);
        int home = combine.add(forwarder, r, c, position, openGroup[group] * combineBytes, true);
        for (int d = group * perGroup; d < (group + 1) * perGroup; d++) {
            if (openRank[d] > 0) {
                dispatch.waitFor(dispatch.add(forwarder, d, c, position, openRank[d] * dispatchBytes, false), toServer);
                combine.waitFor(home, combine.add(d, forwarder, c, position, openRank[d] * combineBytes, true));
                openRank[d] = 0;
            }
        }
        openGroup[group] = 0;
    }

    /** Low-latency mode: a message per token and expert. */
    private void direct() {
        long llDispatch = dispatchBytes;
        for (int r = 0; r < table.ranks(); r++) {
            for (int t = 0; t < table.tokens(); t++) {
                for (int k = 0; k < table.topK(); k++) {
                    int d = table.rankOf(table.expert(r, t, k));
                    dispatch.add(r, d, t % channels, t, llDispatch, false);
                    combine.add(d, r, t % channels, t, combineBytes, true);
                }
            }
        }
    }

    /** The first token of channel {@code c}. */
    private int first(int c) {
        return (int) ((long) table.tokens() * c / channels);
    }

    /** Distinct groups among {@code n} ascending ranks. */
    private int distinctGroups(int[] ranks, int n) {
        int groups = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            int g = table.groupOf(ranks[i]);
            if (g != last) {
                groups++;
                last = g;
            }
        }
        return groups;
    }
}
