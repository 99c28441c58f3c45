package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

import java.util.ArrayList;
import java.util.List;

/**
 * The published all-reduce bus bandwidths the collectives issue names, each beside what the model gives for the
 * same run: the fidelity anchors of the collectives, for the tests and the report's fidelity table. Modeled time is
 * deterministic, so the figures are the same on every machine. The NVLS rate of NVLink 4 was derived from the
 * 8-GPU NVLS figure alone; every other figure here was only checked against, never fitted.
 */
public final class CollectiveFidelity {

    /** A published figure and the model's. */
    public record Anchor(String what, double publishedGBps, double modeledGBps, String source) {
    }

    private static final String NCCL_1455 = "M: NVIDIA/nccl issue 1455, nccl-tests issue 212";

    private CollectiveFidelity() {
    }

    /** Every anchor, modeled: about 40 collectives at full size, a few seconds of host time. */
    public static List<Anchor> anchors() {
        List<Anchor> anchors = new ArrayList<>();
        for (int gpus : new int[] {2, 4, 8}) {
            for (long size : new long[] {2L << 30, 4L << 30}) {
                anchors.add(new Anchor(gpus + " H100s, NVLink 4, ring all-reduce, " + (size >> 30) + " GiB", 367.5,
                        busbw(Presets.hgxH100(), Team.world(gpus), size, Transport.UNIFIED, Algorithm.RING),
                        "M: NVIDIA/nccl issue 1455 (365-370 GB/s)"));
            }
        }
        int[] nvlsGpus = {5, 6, 7, 8};
        double[] nvlsPublished = {420, 440, 460, 480};
        for (int i = 0; i < nvlsGpus.length; i++) {
            for (long size : new long[] {4L << 30, 8L << 30}) {
                anchors.add(new Anchor(nvlsGpus[i] + " H100s, NVLS all-reduce, " + (size >> 30) + " GiB", nvlsPublished[i],
                        busbw(Presets.hgxH100(), Team.world(nvlsGpus[i]), size, Transport.UNIFIED, Algorithm.NVLS),
                        NCCL_1455 + (nvlsGpus[i] == 8 ? " (the NVLS rate's calibration point)" : "")));
            }
        }
        long[] sizes = {512L << 20, 1L << 30, 2L << 30, 4L << 30, 8L << 30};
        double[] published = {586, 681, 758, 839, 835};
        for (int i = 0; i < sizes.length; i++) {
            anchors.add(new Anchor("GB200 NVL72, 72 GPUs, ring all-reduce, " + (sizes[i] >> 20) + " MiB", published[i],
                    busbw(Presets.nvl72(), Team.world(72), sizes[i], Transport.UNIFIED, Algorithm.RING),
                    "M: coreweave/nccl-tests README, Expected Performance"));
        }
        // One GPU of each DGX H100 server: every rank on its own 400 Gb/s NIC.
        Team onePerServer = Team.world(72).split(0, 8, 9);
        for (Transport transport : Transport.values()) {
            anchors.add(new Anchor("9 DGX H100 servers, one GPU each over NDR, ring, 4 GiB, " + transport.name().toLowerCase(),
                    47, busbw(Presets.dgxH100Cluster(), onePerServer, 4L << 30, transport, Algorithm.RING),
                    "M: NVIDIA/nccl-tests issues 290 and 267 (46-48 GB/s)"));
        }
        return anchors;
    }

    private static double busbw(SupernodeConfig config, Team team, long bytes, Transport transport, Algorithm algorithm) {
        try (Supernode machine = Supernode.boot(config)) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, bytes, algorithm,
                    Protocol.SIMPLE, 64 << 10, 1);
            CollectiveResult result = Collectives.run(machine, plane, team, spec, transport);
            if (result.wrong() != 0) {
                throw new ConfigFault(result.wrong() + " wrong elements in the fidelity run of " + algorithm + " on " + team);
            }
            return result.busBwGBps();
        }
    }
}
