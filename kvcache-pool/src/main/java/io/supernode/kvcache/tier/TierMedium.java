package io.supernode.kvcache.tier;

import io.supernode.gas.fabric.LinkProfiles;

/**
 * How an accelerator reaches one lower tier's memory: a fixed latency per block read plus the bytes at a streaming
 * rate.
 *
 * @param name           e.g. {@code dram-over-ub}
 * @param latencyNanos   from issuing a block's read to its first bytes
 * @param bytesPerSecond the rate the rest of the block streams at
 * @param source         where the figures come from (M measured, C claimed, A assumed, D derived)
 */
public record TierMedium(String name, long latencyNanos, double bytesPerSecond, String source) {

    /**
     * CloudMatrix384's host DRAM, loaded by an NPU over the Unified Bus: 1.0 us to a CPU on the same board (M: Zuo et
     * al., arXiv 2506.12708 v2, Table 1, NPU-to-CPU read); 80 GB/s per NPU (D: about 160 GB/s of UB per Kunpeng CPU,
     * C: same paper, section 3, shared by the two NPUs per CPU of a node's 8 NPUs and 4 CPUs).
     */
    public static final TierMedium DRAM_OVER_UB = new TierMedium("dram-over-ub", 1_000, 80e9,
            "M: CloudMatrix384 Table 1 NPU-to-CPU read 1.0 us; D: 160 GB/s UB per Kunpeng CPU (C), 2 NPUs per CPU");

    /**
     * A server's host DRAM copied into an accelerator by its copy engine over PCIe 5: about 2 us per copy launch and
     * 55 GB/s (M: nvbandwidth-style measurements, the {@link LinkProfiles#PCIE5} figures).
     */
    public static final TierMedium DRAM_OVER_PCIE = new TierMedium("dram-over-pcie", 2_000,
            LinkProfiles.PCIE5.readBytesPerSecond(), "M: PCIe 5 copy engine ~2 us per launch, 55 GB/s");

    /**
     * A data-center NVMe drive on PCIe 5: about 13 GB/s sequential read (C: Samsung PM1743 and Kioxia CM7 data
     * sheets, 13-14 GB/s) and 80 us to a block's first bytes (A: typical 4 KiB random-read latencies of 70-100 us).
     */
    public static final TierMedium NVME_SSD = new TierMedium("nvme-ssd", 80_000, 13e9,
            "C: PCIe 5 NVMe 13 GB/s read (PM1743, CM7 data sheets); A: 80 us to first bytes");

    /** Time for the medium alone to deliver {@code bytes}: its latency plus the bytes at its rate. */
    public long nanos(long bytes) {
        return latencyNanos + streamNanos(bytes);
    }

    /** The bytes at the medium's rate, without its latency. */
    public long streamNanos(long bytes) {
        return (long) Math.ceil(bytes * 1e9 / bytesPerSecond);
    }
}
