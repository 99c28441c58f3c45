package io.supernode.gas.messaging;

import io.supernode.gas.config.OptionNames;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fault.ConfigFault;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The stages a copy-based stack puts a message through between two accelerators, each made for real
 * by the emulator and charged by the fabric model:
 * device memory -> (host staging copy over the host link) -> (kernel socket copy) -> NIC -> wire
 * -> NIC -> (kernel copy) -> (host staging copy) -> device memory, with software overhead at both ends.
 *
 * @param name         e.g. {@code ROCE_HOST_STAGED}
 * @param wire         the scale-out link the message crosses (its message overhead is paid at each end)
 * @param hostLink     the accelerator's host link, for staging copies and NIC payload fetches
 * @param hostStaging  whether payloads bounce through host memory (no GPUDirect RDMA)
 * @param kernelCopy   whether a kernel socket copy is added at each end (TCP)
 * @param nicFetch     whether a NIC fetches payloads above {@code inlineBytes} over the host link
 * @param inlineBytes  payloads up to this size travel inside the work request (no fetch)
 * @param source       where the stage structure and numbers come from
 */
public record CopyStack(String name, LinkProfile wire, LinkProfile hostLink, boolean hostStaging, boolean kernelCopy,
                        boolean nicFetch, int inlineBytes, String source) {

    /** A kernel socket copy's bandwidth (A: one core's memcpy, typical of TCP stacks). */
    public static final double KERNEL_COPY_BYTES_PER_SECOND = 10e9;
    /** A kernel socket call's overhead (A: a syscall plus protocol processing). */
    public static final long KERNEL_CALL_NANOS = 1_500;
    /**
     * Staging and kernel copies are pipelined in chunks of this size, as MPI and NCCL stage large
     * messages (A): only the first chunk's copies are on the critical path.
     */
    public static final long PIPELINE_CHUNK_BYTES = 512 * 1024;
    /** A NIC streams payloads over the host link one MTU ahead of the wire (A: the usual 4 KiB RDMA MTU). */
    public static final long NIC_MTU_BYTES = 4096;
    /** Bytes of header a message carries besides its payload (A). */
    public static final int HEADER_BYTES = 64;

    /** Host-staged RoCEv2: what a cluster without GPUDirect RDMA does (docs/FABRIC-PROFILES.md: traditional transfer). */
    public static final CopyStack ROCE_HOST_STAGED = new CopyStack("ROCE_HOST_STAGED", LinkProfiles.ROCE,
            LinkProfiles.PCIE5, true, false, true, 220,
            "device -> host staging (PCIe copy) -> RoCE NIC -> switch -> NIC -> host staging -> device; "
                    + "inline 220 B A (typical max_inline_data)");
    /** InfiniBand NDR with GPUDirect RDMA: the NIC reads and writes accelerator memory over PCIe, no staging. */
    public static final CopyStack IB_GPUDIRECT = new CopyStack("IB_GPUDIRECT", LinkProfiles.IB_NDR,
            LinkProfiles.PCIE5, false, false, true, 220,
            "GPUDirect RDMA over IB NDR: NIC DMA to and from device memory; inline 220 B A");
    /** TCP over Ethernet with host staging: a kernel copy at each end on top of the staging copies. */
    public static final CopyStack TCP_HOST_STAGED = new CopyStack("TCP_HOST_STAGED", LinkProfiles.ROCE,
            LinkProfiles.PCIE5, true, true, false, 0,
            "device -> host staging -> kernel socket copy -> Ethernet -> kernel copy -> host staging -> device; "
                    + "kernel copy 10 GB/s and 1.5 us per call A");
    /** NCCL send/recv over NVLink 4: a copy kernel at each end, no NIC, no staging. */
    public static final CopyStack NCCL_NVLINK4 = new CopyStack("NCCL_NVLINK4", LinkProfiles.NVLINK4,
            LinkProfiles.PCIE5, false, false, false, 0,
            "NCCL send/recv over NVLink: ~3 us at 1 KB (NCCL issues 1264, 1487)");

    private static final List<CopyStack> ALL = List.of(ROCE_HOST_STAGED, IB_GPUDIRECT, TCP_HOST_STAGED, NCCL_NVLINK4);

    /** Validates the stack. */
    public CopyStack {
        if (name == null || wire == null || hostLink == null || inlineBytes < 0) {
            throw new ConfigFault("copy stack needs a name, a wire profile, a host link and inline bytes >= 0");
        }
    }

    /** The name as people read and type it, lower-case with dashes: {@code roce-host-staged}. */
    public String label() {
        return OptionNames.label(name);
    }

    /** Every built-in stack. */
    public static List<CopyStack> all() {
        return ALL;
    }

    /**
     * The built-in stack with this name (case-insensitive).
     *
     * @throws ConfigFault naming the known stacks when there is none
     */
    public static CopyStack byName(String name) {
        String wanted = name == null ? "" : name.toUpperCase(Locale.ROOT).replace('-', '_');
        return ALL.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown copy stack '" + name + "' (known: "
                        + ALL.stream().map(CopyStack::label).collect(Collectors.joining(", ")) + ")"));
    }
}
