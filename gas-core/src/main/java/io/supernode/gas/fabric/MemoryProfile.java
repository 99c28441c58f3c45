package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;

/**
 * A node's own memory (HBM) as the cost model sees it: what a local access costs.
 *
 * @param name             profile name, e.g. {@code HBM3}
 * @param latencyNanos     a local read, issue to data
 * @param bytesPerSecond   local copy bandwidth of one node
 * @param source           where the numbers come from; assumptions are labelled as such
 */
public record MemoryProfile(String name, long latencyNanos, double bytesPerSecond, String source) {

    /** Validates the parameters. */
    public MemoryProfile {
        if (latencyNanos < 0 || latencyNanos > LinkProfile.MAX_NANOS) {
            throw new ConfigFault("memory profile " + name + ": latencyNanos must be in 0.." + LinkProfile.MAX_NANOS
                    + " ns, got " + latencyNanos);
        }
        LinkProfile.checkBandwidth("memory profile " + name, "bandwidth", bytesPerSecond);
    }
}
