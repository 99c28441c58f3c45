package io.supernode.kvcache.serve;

import io.supernode.kvcache.tier.TierUse;

import java.util.Arrays;
import java.util.List;

/**
 * One replay's figures, grouped as the reports read them: what was reused, what crossed the fabric,
 * how the pool's contents changed, and the modeled (virtual) times, with the host time kept apart.
 *
 * @param options   the setting it ran with
 * @param source    the trace or generator
 * @param requests  requests served
 * @param reuse     prompt blocks and tokens, and which of them were reused
 * @param traffic   what moved between nodes
 * @param churn     blocks copied, left uncached and evicted
 * @param modeled   modeled times to first token, end to end and of the whole replay
 * @param tiers     what each memory tier held and served, HBM first
 * @param outputTokens output tokens generated
 * @param hostNanos host CPU time the replay took on its thread, user and system (the wall clock where the JVM cannot
 *                  tell)
 * @param digests   every request's decode digest, in trace order (zeros without payload)
 */
public record ReplayResult(ReplayOptions options, String source, int requests, BlockReuse reuse,
                           FabricTraffic traffic, PoolChurn churn, ModeledTimes modeled, List<TierUse> tiers,
                           long outputTokens, long hostNanos, long[] digests) {

    /**
     * Prompt blocks and tokens, and which of them were reused rather than prefilled.
     *
     * @param blocks       prompt blocks
     * @param localHits    blocks reused from the serving node's HBM
     * @param remoteHits   blocks reused from other nodes' HBM
     * @param lowerTierHits blocks reused from a DRAM or SSD tier
     * @param costRejected pooled blocks recomputed because fetching was modeled dearer
     * @param inputTokens  prompt tokens
     * @param hitTokens    prompt tokens reused (prefill compute saved)
     */
    public record BlockReuse(long blocks, long localHits, long remoteHits, long lowerTierHits, long costRejected,
                             long inputTokens, long hitTokens) {

        /** Blocks reused, of all prompt blocks. */
        public double blockHitRate() {
            return blocks == 0 ? 0 : (localHits + remoteHits + lowerTierHits) / (double) blocks;
        }

        /** Tokens reused, of all prompt tokens: the prefill compute saved. */
        public double tokenHitRate() {
            return inputTokens == 0 ? 0 : hitTokens / (double) inputTokens;
        }
    }

    /**
     * What moved between nodes, and between nodes and their hosts, per plane.
     *
     * @param scaleUpBytes  modeled bytes loaded and stored over the scale-up fabric (with the scale-out bytes, also
     *                      demotions to other nodes' tiers, which no request's own traffic counts)
     * @param scaleOutBytes modeled bytes sent as messages (the copy plane, or RDMA between stacked servers)
     * @param hostLinkBytes modeled KV bytes between the accelerators and their own host's DRAM and drives
     * @param messages      modeled messages
     * @param payloadBytes  real payload bytes moved between nodes
     */
    public record FabricTraffic(long scaleUpBytes, long scaleOutBytes, long hostLinkBytes, long messages,
                                long payloadBytes) {

        /** Modeled bytes between nodes, on either plane. */
        public long fabricBytes() {
            return scaleUpBytes + scaleOutBytes;
        }
    }

    /**
     * How the pool's contents changed beyond storing computed blocks, and why.
     *
     * @param replicas  blocks copied: hot ones, and the prefixes of diverted requests
     * @param notCached computed blocks no node had room for
     * @param evictions blocks evicted
     * @param diverted  requests the affinity router sent away from their prefix's holder, which was too busy
     */
    public record PoolChurn(long replicas, long notCached, long evictions, long diverted) {
    }

    /**
     * Modeled (virtual) times.
     *
     * @param ttftNanos         time to first token of every request, ascending
     * @param tbtNanos          time between tokens, ascending: every gap between two output tokens under continuous
     *                          batching; without batching, each request's decode step
     * @param kvTransferNanos   under prefill/decode disaggregation, the KV transfer of every request that decodes from
     *                          its prefill node to its decode node, ascending (empty otherwise); it is part of the
     *                          request's TTFT
     * @param meanEndToEndNanos mean of time to first token plus every decode step
     * @param makespanNanos     time from the first arrival to the last prefill's end (without batching) or to the last
     *                          token (continuous batching)
     */
    public record ModeledTimes(long[] ttftNanos, long[] tbtNanos, long[] kvTransferNanos, long meanEndToEndNanos,
                               long makespanNanos) {

        /** The {@code quantile} (0..1] of time to first token. */
        public long ttftQuantileNanos(double quantile) {
            return quantile(ttftNanos, quantile);
        }

        /** The {@code quantile} (0..1] of KV transfer time under disaggregation (0 without). */
        public long kvTransferQuantileNanos(double quantile) {
            return quantile(kvTransferNanos, quantile);
        }

        /** The {@code quantile} (0..1] of time between tokens. */
        public long tbtQuantileNanos(double quantile) {
            return quantile(tbtNanos, quantile);
        }

        /** Share of requests whose first token came within {@code limitNanos}: TTFT SLO attainment. */
        public double ttftAttainment(long limitNanos) {
            return within(ttftNanos, limitNanos);
        }

        /** Share of gaps between tokens within {@code limitNanos}: TBT SLO attainment. */
        public double tbtAttainment(long limitNanos) {
            return within(tbtNanos, limitNanos);
        }

        private static double within(long[] ascending, long limitNanos) {
            if (ascending.length == 0) {
                return 1;
            }
            int index = Arrays.binarySearch(ascending, limitNanos);
            int count = index >= 0 ? index + 1 : -index - 1;
            while (count < ascending.length && ascending[count] <= limitNanos) {
                count++;
            }
            return count / (double) ascending.length;
        }

        private static long quantile(long[] ascending, double quantile) {
            if (ascending.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(quantile * ascending.length);
            return ascending[Math.max(0, Math.min(ascending.length - 1, rank - 1))];
        }

        /** Mean time to first token. */
        public long meanTtftNanos() {
            return ttftNanos.length == 0 ? 0 : Math.round(Arrays.stream(ttftNanos).average().orElse(0));
        }
    }

    /** Requests per modeled second. */
    public double requestsPerSecond() {
        return modeled.makespanNanos() == 0 ? 0 : requests / (modeled.makespanNanos() / 1e9);
    }

    /** Prompt tokens per modeled second. */
    public double inputTokensPerSecond() {
        return modeled.makespanNanos() == 0 ? 0 : reuse.inputTokens() / (modeled.makespanNanos() / 1e9);
    }

    /** Prompt tokens per modeled second per accelerator, cached ones included: the prefill throughput users see. */
    public double inputTokensPerSecondPerAccelerator() {
        return inputTokensPerSecond() / accelerators();
    }

    /**
     * Output tokens per modeled second per accelerator, under continuous batching (0 without, where decode does not
     * occupy the nodes).
     */
    public double outputTokensPerSecondPerAccelerator() {
        return options.tokenBudget() == 0 || modeled.makespanNanos() == 0 ? 0
                : outputTokens / (modeled.makespanNanos() / 1e9) / accelerators();
    }

    private int accelerators() {
        return options.nodes() * options.profile().cost().accelerators();
    }

    /** One digest over every request's decode output. */
    public long outputDigest() {
        return Arrays.hashCode(digests) * 0x9E37_79B9L + digests.length;
    }

    /** The first request whose decode output differs from {@code other}'s, or -1 when every output agrees. */
    public int firstDifference(ReplayResult other) {
        int n = Math.min(digests.length, other.digests.length);
        for (int i = 0; i < n; i++) {
            if (digests[i] != other.digests[i]) {
                return i;
            }
        }
        return digests.length == other.digests.length ? -1 : n;
    }
}
