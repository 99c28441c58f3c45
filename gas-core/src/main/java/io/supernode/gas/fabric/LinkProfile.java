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
 * @param inSwitchReduction          whether the switches reduce and multicast in flight
 * @param switchReduceBytesPerSecond with {@link InSwitchReduction#SUPPORTED}, the rate at which a node's
 *                                   load-reduce and multicast traffic streams through its port; 0 when unknown
 *                                   (in-switch reduction is then not offered) or unsupported
 * @param source                     where the numbers come from; assumptions are labelled as such
 */
public record LinkProfile(String name, boolean loadStore, long latencyNanos, long secondTierLatencyNanos,
                          double secondTierBandwidthFactor, long loadStoreOverheadNanos,
                          long messageOverheadNanos, long gapNanos, double readBytesPerSecond,
                          double writeBytesPerSecond, long writeAckNanos, int lanes,
                          InSwitchReduction inSwitchReduction, double switchReduceBytesPerSecond, String source) {

    /**
     * The longest latency, overhead or gap a profile may give: one second. (A: real links' figures are
     * nanoseconds to microseconds; the bound keeps sums of modeled times far from a long's overflow.)
     */
    public static final long MAX_NANOS = 1_000_000_000L;
    /** The lowest bandwidth a profile may give, 1 MB/s: below it a node's memory takes days to move. */
    public static final double MIN_BYTES_PER_SECOND = 1e6;
    /** The highest bandwidth a profile may give, 1 PB/s, several hundred times any link or HBM stack's. */
    public static final double MAX_BYTES_PER_SECOND = 1e15;
    /** The most lanes a port may have. */
    public static final int MAX_LANES = 1024;

    /** Validates the parameters. */
    public LinkProfile {
        if (name == null || name.isBlank()) {
            throw new ConfigFault("a link profile needs a name");
        }
        checkNanos(name, "latencyNanos", latencyNanos);
        checkNanos(name, "secondTierLatencyNanos", secondTierLatencyNanos);
        checkNanos(name, "loadStoreOverheadNanos", loadStoreOverheadNanos);
        checkNanos(name, "messageOverheadNanos", messageOverheadNanos);
        checkNanos(name, "gapNanos", gapNanos);
        checkNanos(name, "writeAckNanos", writeAckNanos);
        checkBandwidth("link profile " + name, "read bandwidth", readBytesPerSecond);
        checkBandwidth("link profile " + name, "write bandwidth", writeBytesPerSecond);
        if (!(secondTierBandwidthFactor > 0 && secondTierBandwidthFactor <= 1)) {
            throw new ConfigFault("link profile " + name + ": second-tier bandwidth factor must be in (0, 1], got "
                    + secondTierBandwidthFactor);
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new ConfigFault("link profile " + name + ": lanes must be in 1.." + MAX_LANES + ", got " + lanes);
        }
        if (inSwitchReduction == null) {
            throw new ConfigFault("link profile " + name + ": in-switch reduction must be NONE, UNKNOWN or SUPPORTED");
        }
        if (switchReduceBytesPerSecond != 0) {
            if (inSwitchReduction != InSwitchReduction.SUPPORTED) {
                throw new ConfigFault("link profile " + name + ": a switch reduction rate needs in-switch reduction "
                        + "SUPPORTED, not " + inSwitchReduction);
            }
            checkBandwidth("link profile " + name, "switch reduction rate", switchReduceBytesPerSecond);
        }
    }

    /** Whether an all-reduce may reduce in the switches: supported, at a known rate. */
    public boolean reducesInSwitch() {
        return inSwitchReduction == InSwitchReduction.SUPPORTED && switchReduceBytesPerSecond > 0;
    }

    private static void checkNanos(String profile, String what, long nanos) {
        if (nanos < 0 || nanos > MAX_NANOS) {
            throw new ConfigFault("link profile " + profile + ": " + what + " must be in 0.." + MAX_NANOS + " ns, got " + nanos);
        }
    }

    /** Faults unless {@code bytesPerSecond} is within {@link #MIN_BYTES_PER_SECOND}..{@link #MAX_BYTES_PER_SECOND}. */
    static void checkBandwidth(String owner, String what, double bytesPerSecond) {
        if (!(bytesPerSecond >= MIN_BYTES_PER_SECOND && bytesPerSecond <= MAX_BYTES_PER_SECOND)) {
            throw new ConfigFault(owner + ": " + what + " must be in " + MIN_BYTES_PER_SECOND / 1e9 + ".."
                    + MAX_BYTES_PER_SECOND / 1e9 + " GB/s, got " + bytesPerSecond / 1e9 + " GB/s");
        }
    }

    /**
     * A builder with no name, source or bandwidth yet, loads and stores off, zero latencies, overheads and
     * gaps, full bandwidth across the second tier, one lane and no in-switch reduction.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this profile. */
    public Builder toBuilder() {
        return new Builder().name(name).loadStore(loadStore).latencyNanos(latencyNanos)
                .secondTierLatencyNanos(secondTierLatencyNanos).secondTierBandwidthFactor(secondTierBandwidthFactor)
                .loadStoreOverheadNanos(loadStoreOverheadNanos).messageOverheadNanos(messageOverheadNanos)
                .gapNanos(gapNanos).readBytesPerSecond(readBytesPerSecond).writeBytesPerSecond(writeBytesPerSecond)
                .writeAckNanos(writeAckNanos).lanes(lanes).inSwitchReduction(inSwitchReduction)
                .switchReduceBytesPerSecond(switchReduceBytesPerSecond).source(source);
    }

    /** Builds a {@link LinkProfile} field by field; {@link #build()} validates the parameters. */
    public static final class Builder {

        private String name;
        private boolean loadStore;
        private long latencyNanos;
        private long secondTierLatencyNanos;
        private double secondTierBandwidthFactor = 1.0;
        private long loadStoreOverheadNanos;
        private long messageOverheadNanos;
        private long gapNanos;
        private double readBytesPerSecond;
        private double writeBytesPerSecond;
        private long writeAckNanos;
        private int lanes = 1;
        private InSwitchReduction inSwitchReduction = InSwitchReduction.NONE;
        private double switchReduceBytesPerSecond;
        private String source;

        private Builder() {
        }

        /** Profile name, e.g. {@code UB}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Whether nodes can load and store across this link. */
        public Builder loadStore(boolean loadStore) {
            this.loadStore = loadStore;
            return this;
        }

        /** One-way latency across the first switch tier. */
        public Builder latencyNanos(long latencyNanos) {
            this.latencyNanos = latencyNanos;
            return this;
        }

        /** One-way latency added when a route crosses the second tier. */
        public Builder secondTierLatencyNanos(long secondTierLatencyNanos) {
            this.secondTierLatencyNanos = secondTierLatencyNanos;
            return this;
        }

        /** Fraction of bandwidth left when a route crosses the second tier. */
        public Builder secondTierBandwidthFactor(double secondTierBandwidthFactor) {
            this.secondTierBandwidthFactor = secondTierBandwidthFactor;
            return this;
        }

        /** Issuer software overhead o of one load/store-path operation. */
        public Builder loadStoreOverheadNanos(long loadStoreOverheadNanos) {
            this.loadStoreOverheadNanos = loadStoreOverheadNanos;
            return this;
        }

        /** Software overhead o of one message at each end. */
        public Builder messageOverheadNanos(long messageOverheadNanos) {
            this.messageOverheadNanos = messageOverheadNanos;
            return this;
        }

        /** Minimum interval g between two operations issued by one node. */
        public Builder gapNanos(long gapNanos) {
            this.gapNanos = gapNanos;
            return this;
        }

        /** Achieved bandwidth of one read stream (one lane). */
        public Builder readBytesPerSecond(double readBytesPerSecond) {
            this.readBytesPerSecond = readBytesPerSecond;
            return this;
        }

        /** Achieved bandwidth of one write stream (one lane). */
        public Builder writeBytesPerSecond(double writeBytesPerSecond) {
            this.writeBytesPerSecond = writeBytesPerSecond;
            return this;
        }

        /** Extra time before a write is known complete at the target. */
        public Builder writeAckNanos(long writeAckNanos) {
            this.writeAckNanos = writeAckNanos;
            return this;
        }

        /** Independent streams a node's port carries at once. */
        public Builder lanes(int lanes) {
            this.lanes = lanes;
            return this;
        }

        /** Whether the switches reduce and multicast in flight. */
        public Builder inSwitchReduction(InSwitchReduction inSwitchReduction) {
            this.inSwitchReduction = inSwitchReduction;
            return this;
        }

        /** The rate a node's in-switch reduction traffic streams through its port (0: unknown). */
        public Builder switchReduceBytesPerSecond(double switchReduceBytesPerSecond) {
            this.switchReduceBytesPerSecond = switchReduceBytesPerSecond;
            return this;
        }

        /** Where the numbers come from; assumptions are labelled as such. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /**
         * The profile.
         *
         * @throws ConfigFault when a parameter is missing or out of range
         */
        public LinkProfile build() {
            return new LinkProfile(name, loadStore, latencyNanos, secondTierLatencyNanos, secondTierBandwidthFactor,
                    loadStoreOverheadNanos, messageOverheadNanos, gapNanos, readBytesPerSecond, writeBytesPerSecond,
                    writeAckNanos, lanes, inSwitchReduction, switchReduceBytesPerSecond, source);
        }
    }
}
