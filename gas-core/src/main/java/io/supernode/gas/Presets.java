package io.supernode.gas;

import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.HostTiming;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Machines people ask for by name. */
public final class Presets {

    /** Seed every preset starts with; runs override it with {@code withSeed}. */
    public static final long DEFAULT_SEED = 42;

    private static final Map<String, Supplier<SupernodeConfig>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("cloudmatrix384", Presets::cloudmatrix384);
        ALL.put("nvl72", Presets::nvl72);
        ALL.put("hgx-h100", Presets::hgxH100);
        ALL.put("dgx-h100-cluster", Presets::dgxH100Cluster);
        ALL.put("h800-cluster", Presets::h800Cluster);
        ALL.put("small", Presets::small);
    }

    private Presets() {
    }

    /**
     * Huawei CloudMatrix384: 384 Ascend 910C NPUs of 128 GiB (48 TiB nominal) on 48 boards of 8, joined
     * by a two-tier non-blocking UB Clos (Zuo et al., arXiv 2506.12708).
     */
    public static SupernodeConfig cloudmatrix384() {
        return config("cloudmatrix384", new Topology(48, 8, "board", "NPU", LinkProfiles.UB, LinkProfiles.HBM_ASCEND),
                ByteSize.gib(128));
    }

    /** NVIDIA GB200 NVL72: 72 Blackwell GPUs of 192 GiB under one NVSwitch tier over NVLink 5 (NVIDIA spec). */
    public static SupernodeConfig nvl72() {
        return config("nvl72", new Topology(1, 72, "NVSwitch domain", "GPU", LinkProfiles.NVLINK5,
                LinkProfiles.HBM_BLACKWELL), ByteSize.gib(192));
    }

    /**
     * NVIDIA HGX H100: 8 H100 SXM GPUs of 80 GiB under one NVSwitch tier over NVLink 4 (NVIDIA spec), the
     * server the published NCCL figures are measured on.
     */
    public static SupernodeConfig hgxH100() {
        return config("hgx-h100", new Topology(1, 8, "NVSwitch domain", "GPU", LinkProfiles.NVLINK4,
                LinkProfiles.HBM_HOPPER), ByteSize.gib(80));
    }

    /**
     * The machine a supernode is compared with: stacked servers. Nine NVIDIA DGX H100 servers (72 GPUs, as many as
     * an NVL72) of 8 H100 SXM GPUs of 80 GiB over NVLink 4 under each server's NVSwitches, joined by a
     * non-blocking, rail-optimized InfiniBand NDR network with one 400 Gb/s ConnectX-7 NIC per GPU (C: NVIDIA DGX
     * H100 datasheet and DGX SuperPOD reference architecture; 9 servers A, to match NVL72's GPU count). Loads and
     * stores reach only the GPUs of the same server; everything between servers is a message or an RDMA transfer.
     */
    public static SupernodeConfig dgxH100Cluster() {
        return config("dgx-h100-cluster", new Topology(9, 8, "server", "GPU", LinkProfiles.NVLINK4,
                LinkProfiles.HBM_HOPPER, LinkProfiles.IB_NDR), ByteSize.gib(80));
    }

    /**
     * The machine DeepEP's published expert-parallel figures were measured on: 32 servers (256 GPUs, DeepEP's widest
     * expert parallelism) of 8 NVIDIA H800 SXM5 GPUs of 80 GiB over the H800's NVLink 4 (NVLINK4_H800), one 400 Gb/s
     * ConnectX-7 InfiniBand NIC per GPU (C: deepseek-ai/DeepEP README; 32 servers A). HBM3 as the H100 SXM's (C:
     * NVIDIA H800 SXM5 product brief, 3.35 TB/s). Stacked as {@code dgx-h100-cluster} is.
     */
    public static SupernodeConfig h800Cluster() {
        return config("h800-cluster", new Topology(32, 8, "server", "GPU", LinkProfiles.NVLINK4_H800,
                LinkProfiles.HBM_HOPPER, LinkProfiles.IB_NDR), ByteSize.gib(80));
    }

    /**
     * A laptop-sized machine for first runs and tests: 2 boards of 4 NPUs over UB with 16 GiB each, so
     * same-board and cross-board costs both show with 8 nodes.
     */
    public static SupernodeConfig small() {
        return config("small", new Topology(2, 4, "board", "NPU", LinkProfiles.UB, LinkProfiles.HBM_ASCEND),
                ByteSize.gib(16));
    }

    private static SupernodeConfig config(String name, Topology topology, ByteSize memoryPerNode) {
        return new SupernodeConfig(name, topology, memoryPerNode.bytes(), SupernodeConfig.DEFAULT_PAGE_BYTES,
                SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY, DEFAULT_SEED);
    }

    /** Names of every preset. */
    public static Set<String> names() {
        return ALL.keySet();
    }

    /**
     * The preset with this name (case-insensitive).
     *
     * @throws ConfigFault naming the known presets when there is none
     */
    public static SupernodeConfig byName(String name) {
        Supplier<SupernodeConfig> preset = ALL.get(name == null ? "" : name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new ConfigFault("unknown preset '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return preset.get();
    }
}
