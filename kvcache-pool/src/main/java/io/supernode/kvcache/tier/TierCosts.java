package io.supernode.kvcache.tier;

/**
 * What reading a block from a lower tier into the reading accelerator's HBM costs. A read through two stages (a
 * drive, then the host link or the fabric) is a pipelined stream: the first stage's latency, then whichever stage is
 * slower for the whole block.
 *
 * @param hostDram how the serving accelerators reach host DRAM
 * @param ssd      the host's drives
 */
public record TierCosts(TierMedium hostDram, TierMedium ssd) {

    /**
     * The media of a machine: a supernode's accelerators load host DRAM over the scale-up fabric
     * ({@link TierMedium#DRAM_OVER_UB}); servers copy it over PCIe ({@link TierMedium#DRAM_OVER_PCIE}).
     */
    public static TierCosts of(boolean hostOverScaleUp) {
        return new TierCosts(hostOverScaleUp ? TierMedium.DRAM_OVER_UB : TierMedium.DRAM_OVER_PCIE, TierMedium.NVME_SSD);
    }

    /** Reading {@code bytes} from {@code tier} on the reader's own host. */
    public long localNanos(Tier tier, long bytes) {
        return switch (tier) {
            case HBM -> 0;
            case DRAM -> hostDram.nanos(bytes);
            case SSD -> ssd.latencyNanos() + Math.max(ssd.streamNanos(bytes), hostDram.nanos(bytes));
        };
    }

    /**
     * Reading {@code bytes} from {@code tier} on another node, given what moving them between the nodes costs on the
     * serving path ({@code transferNanos}): another host's DRAM is read as its HBM would be (CloudMatrix384's Table 1
     * has NPU-to-CPU reads 0.2 us faster than NPU-to-NPU ones, so this is slightly pessimistic; a copy path stages
     * what is already in host memory once more, one pipelined chunk), and its drive adds its latency and, when
     * slower than the path, its rate.
     */
    public long remoteNanos(Tier tier, long bytes, long transferNanos) {
        return switch (tier) {
            case HBM, DRAM -> transferNanos;
            case SSD -> ssd.latencyNanos() + Math.max(ssd.streamNanos(bytes), transferNanos);
        };
    }
}
