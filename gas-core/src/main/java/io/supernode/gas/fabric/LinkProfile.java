package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;

/**
 * LogGP-style parameters of one kind of link (Alexandrov et al., 1995): latency L, overhead o kept
 * separately for the load/store path and the message path, gap g between operations, and the
 * per-byte gap G as bandwidth. Latencies are one way; a read is a round trip.
 *
 * @param name                       profile name, e.g. {@code UB}
 * @param loadStore                  whether nodes can load and store across this link (UB, NVLink, CXL
 *                                   can; RoCE and InfiniBand carry messages only)
 * @param latencyNanos               one-way latency across the first switch tier
 * @param secondTierLatencyNanos     one-way latency added when a route crosses the second tier
 * @param secondTierBandwidthFactor  fraction of bandwidth left when a route crosses the second tier
 * @param loadStoreOverheadNanos     issuer software overhead o of one load/store-path operation
 * @param messageOverheadNanos       software overhead o of one message at each end (post + poll)
 * @param gapNanos                   minimum interval g between two operations issued by one node
 * @param readBytesPerSecond         achieved bandwidth of one read stream (one lane)
 * @param writeBytesPerSecond        achieved bandwidth of one write stream (one lane)
 * @param writeAckNanos              extra time before a write is known complete at the target
 * @param lanes                      independent streams a node's port carries at once (dies, engines)
 * @param source                     where the numbers come from; assumptions are labelled as such
 */
public record LinkProfile(String name, boolean loadStore, long latencyNanos, long secondTierLatencyNanos,
                          double secondTierBandwidthFactor, long loadStoreOverheadNanos,
                          long messageOverheadNanos, long gapNanos, double readBytesPerSecond,
                          double writeBytesPerSecond, long writeAckNanos, int lanes, String source) {

    /** Validates the parameters. */
    public LinkProfile {
        if (name == null || name.isBlank()) {
            throw new ConfigFault("a link profile needs a name");
        }
        if (latencyNanos < 0 || secondTierLatencyNanos < 0 || loadStoreOverheadNanos < 0
                || messageOverheadNanos < 0 || gapNanos < 0 || writeAckNanos < 0) {
            throw new ConfigFault("link profile " + name + ": latencies, overheads and gaps cannot be negative");
        }
        if (!(readBytesPerSecond > 0) || !(writeBytesPerSecond > 0)) {
            throw new ConfigFault("link profile " + name + ": bandwidths must be positive");
        }
        if (!(secondTierBandwidthFactor > 0 && secondTierBandwidthFactor <= 1)) {
            throw new ConfigFault("link profile " + name + ": second-tier bandwidth factor must be in (0, 1], got "
                    + secondTierBandwidthFactor);
        }
        if (lanes < 1) {
            throw new ConfigFault("link profile " + name + ": lanes must be at least 1, got " + lanes);
        }
    }
}
