package io.supernode.cli;

import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.messaging.CopyStack;
import picocli.CommandLine.Option;

/**
 * The {@code --copy-stack} option of the commands that run the copy path on a preset's accelerators (a picocli mixin),
 * and its default: host-staged RoCE beside a UB supernode (what a cluster of Ascend servers has), one 400 Gb/s
 * GPUDirect InfiniBand NIC per GPU otherwise.
 */
final class CopyStackOption {

    @Option(names = "--copy-stack", paramLabel = "STACK",
            description = "Copy stack of the copy path: roce-host-staged, ib-gpudirect, tcp-host-staged, nccl-nvlink4, any "
                    + "case (default: roce-host-staged on UB, ib-gpudirect otherwise: one 400 Gb/s NIC per GPU).")
    String copyStack;

    /** The stack asked for, or the default for {@code config}'s link. */
    CopyStack stack(SupernodeConfig config) {
        return copyStack != null ? CopyStack.byName(copyStack)
                : config.topology().link().name().equals("UB") ? CopyStack.ROCE_HOST_STAGED : CopyStack.IB_GPUDIRECT;
    }
}
