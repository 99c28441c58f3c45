package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The built-in link and memory profiles, calibrated to published figures (see the project's
 * docs/FABRIC-PROFILES.md). Each constant's source string says where its numbers come from:
 * M = measured and published, C = vendor claim or spec, A = our assumption, D = derived from M/C.
 */
public final class LinkProfiles {

    /**
     * Huawei Unified Bus in CloudMatrix384. Zuo et al., "Serving Large Language Models on Huawei
     * CloudMatrix384", arXiv 2506.12708 v2, Table 1 (M): 512 B read 1.2 us same board, 1.9 us across
     * boards; 512 B write 1.3 / 2.1 us; read 167 / 164 GB/s, write 137 / 135 GB/s per die.
     * One-way latency 598 ns = (1200 - 512 B at 167 GB/s) / 2 (D); the second tier adds 350 ns one way
     * = (1900 - 1200) / 2 (D); write ack 150 ns = mean of the write-minus-read gaps, 100 and 200 ns (D);
     * 2 lanes = 2 dies per NPU; load/store overhead 0 (M); message overhead 1.5 us (A: SDMA start-up,
     * not published); gap 2 ns (A).
     */
    public static final LinkProfile UB = LinkProfile.builder().name("UB").loadStore(true)
            .latencyNanos(598).secondTierLatencyNanos(350).secondTierBandwidthFactor(164.0 / 167.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(1_500).gapNanos(2)
            .readBytesPerSecond(167e9).writeBytesPerSecond(137e9).writeAckNanos(150).lanes(2)
            .inSwitchReduction(InSwitchReduction.UNKNOWN)
            .source("M: Zuo et al., CloudMatrix384, arXiv 2506.12708 v2, Table 1; one-way latency, tier cost and "
                    + "write ack D from it; message overhead 1.5 us A; gap A; in-switch reduction unknown (no source)")
            .build();

    /**
     * NVLink 4 (H100 + NVSwitch): peer load ~0.83 us pointer chase (M, weak provenance) gives 415 ns one
     * way (D); ~390 GB/s achieved of 450 raw (M); message path ~3 us NCCL send/recv at 1 KB (M: NCCL
     * issues 1264, 1487) gives 1.29 us per end (D); write ack 0 and gap 2 ns (A). The third-generation NVSwitch
     * reduces in flight (C: NVLink SHARP, NVIDIA H100 whitepaper); its rate, 308.6 GB/s per GPU port, is D from
     * the one NVLS figure the collectives issue names: 480 GB/s all-reduce busbw on 8 H100s (NVIDIA/nccl issue
     * 1455), an algbw of 480 / (2 x 7/8) = 274.3 GB/s, with a GPU's port carrying (n + 1)/n of the buffer (its
     * share of every load-reduce, and its one multicast store), so 274.3 x 9/8. The 5-, 6- and 7-GPU figures
     * of the same issue were not used: they check the mechanism.
     */
    public static final LinkProfile NVLINK4 = LinkProfile.builder().name("NVLINK4").loadStore(true)
            .latencyNanos(415).secondTierLatencyNanos(0).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(1_290).gapNanos(2)
            .readBytesPerSecond(390e9).writeBytesPerSecond(390e9).writeAckNanos(0).lanes(1)
            .inSwitchReduction(InSwitchReduction.SUPPORTED).switchReduceBytesPerSecond(480e9 / 1.75 * 9 / 8)
            .source("M: peer load ~0.83 us (weak provenance), ~390 GB/s achieved; message overhead D from NCCL "
                    + "send/recv ~3 us at 1 KB (NCCL issues 1264, 1487); write ack and gap A; NVLink SHARP C, "
                    + "its rate D from 480 GB/s NVLS busbw on 8 H100s (NCCL issue 1455)")
            .build();

    /**
     * NVLink 4 as the H800 has it: 8 of the H100's 18 links, 400 GB/s over both directions (C: NVIDIA H800 SXM5
     * product brief), ~160 GB/s achieved one way (C: deepseek-ai/DeepEP README, "H800 (~160 GB/s NVLink maximum
     * bandwidth)"); as NVLINK4 otherwise. The NVSwitch reduces in flight (C) at no known rate for the H800's narrower
     * ports, so in-switch reduction is not offered until a topology file gives one.
     */
    public static final LinkProfile NVLINK4_H800 = NVLINK4.toBuilder().name("NVLINK4_H800")
            .readBytesPerSecond(160e9).writeBytesPerSecond(160e9).switchReduceBytesPerSecond(0)
            .source("C: NVIDIA H800 SXM5 400 GB/s NVLink, DeepEP README ~160 GB/s achieved; latency and overheads as "
                    + "NVLINK4; NVLink SHARP C, rate unknown")
            .build();

    /**
     * NVLink 5 (GB200 NVL72): ~0.85 us peer load (A), 790 GB/s = 900 raw x 0.88 (D from C); as NVLINK4 otherwise.
     * The NVLink Switch reduces in flight (C: NVIDIA GB200 NVL72 specification, SHARP); no published figure gives
     * its rate, so it is left unknown and in-switch reduction is not offered until a topology file gives one.
     */
    public static final LinkProfile NVLINK5 = LinkProfile.builder().name("NVLINK5").loadStore(true)
            .latencyNanos(425).secondTierLatencyNanos(0).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(1_290).gapNanos(2)
            .readBytesPerSecond(790e9).writeBytesPerSecond(790e9).writeAckNanos(0).lanes(1)
            .inSwitchReduction(InSwitchReduction.SUPPORTED)
            .source("C: NVIDIA spec 900 GB/s per direction x 0.88 efficiency (D); latency ~0.85 us A; overheads as "
                    + "NVLINK4; NVLink SHARP C, rate unknown")
            .build();

    /** CXL memory pool: 250 ns load (M: 140-410 ns, Melody ASPLOS'25; Pond ASPLOS'23), ~28 GB/s per x8 device (M). */
    public static final LinkProfile CXL = LinkProfile.builder().name("CXL").loadStore(true)
            .latencyNanos(125).secondTierLatencyNanos(0).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(0).gapNanos(2)
            .readBytesPerSecond(28e9).writeBytesPerSecond(28e9).writeAckNanos(0).lanes(1)
            .source("M: Melody (ASPLOS'25) 140-410 ns load, 250 used; Pond (ASPLOS'23); ~28 GB/s per x8 device; gap A")
            .build();

    /**
     * PCIe 5 host link: ~55 GB/s copy engine (M, 63 raw), ~2 us per copy launch (M); 0.7 us round trip
     * (A: below the ~1 us rule of thumb, chosen so that a NIC's payload fetch over PCIe reproduces
     * ib_send_lat's step from 0.8 us at 32 B to 1.5 us at 1 KB).
     */
    public static final LinkProfile PCIE5 = LinkProfile.builder().name("PCIE5").loadStore(true)
            .latencyNanos(350).secondTierLatencyNanos(0).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(2_000).gapNanos(2)
            .readBytesPerSecond(55e9).writeBytesPerSecond(55e9).writeAckNanos(0).lanes(1)
            .source("M: nvbandwidth-style copy-engine 55 GB/s, ~2 us per copy launch; 0.7 us round trip A "
                    + "(calibrated to ib_send_lat at 1 KB)")
            .build();

    /** RoCEv2: ~2.5 us small message (M) = 1 us verbs post + poll (M) + 1.5 us wire (D); 48 GB/s (M); messages only. */
    public static final LinkProfile ROCE = LinkProfile.builder().name("ROCE").loadStore(false)
            .latencyNanos(1_500).secondTierLatencyNanos(240).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(500).gapNanos(2)
            .readBytesPerSecond(48e9).writeBytesPerSecond(48e9).writeAckNanos(0).lanes(1)
            .source("M: RoCE ~2.5 us small message, ~1 us verbs post+poll, ~48 GB/s achieved; +150-330 ns per "
                    + "switch hop (240 used); wire latency D")
            .build();

    /** InfiniBand NDR: ib_send_lat ~0.8 us at 32 B (M) = 2 x 0.25 us verbs (A) + 0.3 us wire (D); 48 GB/s (M). */
    public static final LinkProfile IB_NDR = LinkProfile.builder().name("IB_NDR").loadStore(false)
            .latencyNanos(300).secondTierLatencyNanos(240).secondTierBandwidthFactor(1.0)
            .loadStoreOverheadNanos(0).messageOverheadNanos(250).gapNanos(2)
            .readBytesPerSecond(48e9).writeBytesPerSecond(48e9).writeAckNanos(0).lanes(1)
            .source("M: perftest ib_send_lat ~0.8 us at 32 B, ~1.5 us at 1 KB, ~48 GB/s achieved; verbs split A")
            .build();

    /** Ascend 910C HBM: 1.6 TB/s per die, 2 dies (M, CloudMatrix384 paper); local read latency 450 ns (A). */
    public static final MemoryProfile HBM_ASCEND = new MemoryProfile("HBM-910C", 450, 3.2e12,
            "M: 1.6 TB/s per die x 2 dies (CloudMatrix384 paper); latency A");

    /** H100 SXM HBM3: 3.35 TB/s (C: NVIDIA H100 datasheet); local read latency 450 ns (A). */
    public static final MemoryProfile HBM_HOPPER = new MemoryProfile("HBM3-H100", 450, 3.35e12,
            "C: NVIDIA H100 SXM datasheet 3.35 TB/s; latency A");

    /** B200 HBM3e: 8 TB/s (C); local read latency 450 ns (A). */
    public static final MemoryProfile HBM_BLACKWELL = new MemoryProfile("HBM3e-B200", 450, 8e12,
            "C: NVIDIA spec 8 TB/s; latency A");

    private static final List<LinkProfile> ALL = List.of(UB, NVLINK4, NVLINK4_H800, NVLINK5, CXL, PCIE5, ROCE, IB_NDR);
    private static final List<MemoryProfile> MEMORIES = List.of(HBM_ASCEND, HBM_HOPPER, HBM_BLACKWELL);

    private LinkProfiles() {
    }

    /** Every built-in link profile. */
    public static List<LinkProfile> all() {
        return ALL;
    }

    /**
     * The built-in profile with this name (case-insensitive).
     *
     * @throws ConfigFault naming the known profiles when there is none
     */
    public static LinkProfile byName(String name) {
        String wanted = name == null ? "" : name.toUpperCase(Locale.ROOT).replace('-', '_');
        return ALL.stream().filter(p -> p.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown link profile '" + name + "' (known: "
                        + ALL.stream().map(p -> label(p.name())).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * The built-in memory profile with this name (case-insensitive).
     *
     * @throws ConfigFault naming the known profiles when there is none
     */
    public static MemoryProfile memoryByName(String name) {
        return MEMORIES.stream().filter(m -> m.name().equalsIgnoreCase(name == null ? "" : name)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown memory profile '" + name + "' (known: "
                        + MEMORIES.stream().map(m -> label(m.name())).collect(Collectors.joining(", ")) + ")"));
    }

    /** A profile's name as the command line shows it, lower case with '-' (gas.config's rule; that package sits above). */
    private static String label(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
