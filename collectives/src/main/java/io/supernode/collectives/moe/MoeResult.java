package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;

/**
 * One expert-parallel dispatch and combine: modeled times and bandwidths at the full token count, and the check of the
 * bytes moved for real.
 *
 * @param spec          what ran
 * @param transport     the path
 * @param ranks         expert-parallel ranks
 * @param hierarchical  whether normal mode went through a forwarder per server (stacked servers)
 * @param dispatch      the dispatch phase
 * @param combine       the combine phase
 * @param realTokens    tokens per rank moved and computed for real (the first of each rank's)
 * @param wrong         combined channels of those tokens that differ bit for bit from the single-node reference
 * @param fabricBytes   bytes the real run moved between nodes
 * @param hostNanos     host time of the real run (not modeled time)
 */
public record MoeResult(MoeSpec spec, Transport transport, int ranks, boolean hierarchical, MoePhase dispatch,
                        MoePhase combine, int realTokens, long wrong, long fabricBytes, long hostNanos) {

    /** Whether fewer tokens moved for real than the fabric was charged for. */
    public boolean capped() {
        return realTokens < spec.tokensPerRank();
    }

    /**
     * What a phase's bandwidth counts, as DeepEP's tests define it: normal mode in one domain, the tokens a rank
     * receives, once per rank, its own included ("NVL" bandwidth); normal mode across stacked servers, a rank's tokens
     * times the servers each goes to, its own server included ("RDMA" bandwidth); low-latency mode, a rank's token-expert
     * pairs. Dispatch counts the token's data and scales (plus 16 bytes of header in low-latency mode), combine 2 bytes
     * per channel.
     */
    public String bandwidthDefinition() {
        if (spec.mode() == MoeMode.LOW_LATENCY) {
            return "token-expert pairs per rank";
        }
        return hierarchical ? "tokens x servers per rank, own server included (RDMA)"
                : "tokens received per rank, own included (NVL)";
    }
}
