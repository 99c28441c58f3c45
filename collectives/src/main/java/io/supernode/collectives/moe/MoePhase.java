package io.supernode.collectives.moe;

/**
 * One phase (dispatch or combine) of an expert-parallel run, as DeepEP reports it, at the full token count.
 *
 * @param meanNanos            modeled time of a rank's kernel, mean over ranks (DeepEP's figure)
 * @param maxNanos             the slowest rank's modeled time
 * @param countedBytesPerRank  bytes per rank by DeepEP's definition ({@link MoeResult#bandwidthDefinition()})
 * @param gbPerSecond          DeepEP's bandwidth per rank: a rank's counted bytes over its time, mean over ranks
 * @param localBytes           bytes ranks copied in their own memory
 * @param sameGroupBytes       bytes between ranks of one first-tier group (a server's or board's scale-up link)
 * @param crossGroupBytes      bytes between groups (the scale-out network between stacked servers, the second
 *                             tier of a supernode)
 * @param messages             puts (unified path) or messages (copy path) between ranks
 */
public record MoePhase(long meanNanos, long maxNanos, double countedBytesPerRank, double gbPerSecond, long localBytes,
                       long sameGroupBytes, long crossGroupBytes, long messages) {
}
