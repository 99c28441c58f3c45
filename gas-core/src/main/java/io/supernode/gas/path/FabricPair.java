package io.supernode.gas.path;

import io.supernode.gas.config.OptionNames;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.CopyStack;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A scale-up fabric for the unified path beside the copy-based stack a cluster of the same shape
 * would use instead: the pairs the comparison is about.
 *
 * @param name     e.g. {@code UB_VS_ROCE}
 * @param shape    the machine's shape, wired with the scale-up link
 * @param copy     the copy-based stack on the scale-out plane
 */
public record FabricPair(String name, Topology shape, CopyStack copy) {

    /** CloudMatrix384's UB load/store against RoCE with host staging, across boards (2 boards of 2). */
    public static final FabricPair UB_VS_ROCE = new FabricPair("UB_VS_ROCE",
            new Topology(2, 2, "board", "NPU", LinkProfiles.UB, LinkProfiles.HBM_ASCEND), CopyStack.ROCE_HOST_STAGED);
    /** NVLink 4 peer access against InfiniBand NDR with GPUDirect RDMA. */
    public static final FabricPair NVLINK4_VS_IB = new FabricPair("NVLINK4_VS_IB",
            new Topology(1, 4, "NVSwitch domain", "GPU", LinkProfiles.NVLINK4, LinkProfiles.HBM_BLACKWELL),
            CopyStack.IB_GPUDIRECT);
    /** A CXL memory pool against RoCE with host staging. */
    public static final FabricPair CXL_VS_ROCE = new FabricPair("CXL_VS_ROCE",
            new Topology(1, 4, "CXL switch", "host", LinkProfiles.CXL, LinkProfiles.HBM_BLACKWELL),
            CopyStack.ROCE_HOST_STAGED);

    /**
     * Stacked DGX H100 servers (2 servers of 2 GPUs here; workloads size it): NVLink 4 load/store inside a server,
     * InfiniBand NDR with GPUDirect RDMA between servers, against the same IB stack for everything. The unified
     * path reaches another server by one-sided RDMA, as NVSHMEM does there.
     */
    public static final FabricPair DGX_VS_IB = new FabricPair("DGX_VS_IB",
            new Topology(2, 2, "server", "GPU", LinkProfiles.NVLINK4, LinkProfiles.HBM_HOPPER, LinkProfiles.IB_NDR),
            CopyStack.IB_GPUDIRECT);

    private static final List<FabricPair> ALL = List.of(UB_VS_ROCE, NVLINK4_VS_IB, CXL_VS_ROCE, DGX_VS_IB);

    /**
     * What is compared, e.g. {@code UB load/store vs roce-host-staged}, or for stacked servers {@code NVLINK4
     * load/store in a server, IB NDR RDMA between servers, vs ib-gpudirect}: links by their profile names (words
     * apart where the name joins them with an underscore), the copy stack by the label its option takes.
     */
    public String describe() {
        String unified = shape.stacked()
                ? shape.link().name() + " load/store in a " + shape.groupNoun() + ", "
                + shape.scaleOut().name().replace('_', ' ') + " RDMA between " + shape.groupNoun() + "s,"
                : shape.link().name() + " load/store";
        return unified + " vs " + copy.label();
    }

    /** The name as people read and type it, lower-case with dashes: {@code ub-vs-roce}. */
    public String label() {
        return OptionNames.label(name);
    }

    /** Every built-in pair. */
    public static List<FabricPair> all() {
        return ALL;
    }

    /**
     * The built-in pair with this name (case-insensitive).
     *
     * @throws ConfigFault naming the known pairs when there is none
     */
    public static FabricPair byName(String name) {
        String wanted = name == null ? "" : name.toUpperCase(Locale.ROOT).replace('-', '_');
        return ALL.stream().filter(p -> p.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown fabric pair '" + name + "' (known: "
                        + ALL.stream().map(FabricPair::label).collect(Collectors.joining(", ")) + ")"));
    }
}
