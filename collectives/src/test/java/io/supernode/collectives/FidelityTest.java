package io.supernode.collectives;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.run.CollectiveResult;
import io.supernode.collectives.run.CollectiveSpec;
import io.supernode.collectives.run.Collectives;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The modeled all-reduce bus bandwidth against the published figures the collectives issue names, each
 * within 10 % (ASTRA-sim's own validation against an HGX H100 reports 9.7-20.6 % for ring all-reduce).
 * Deterministic: modeled time depends on the configuration only. Only these figures were used to check the
 * model; no constant was fitted to them.
 */
class FidelityTest {

    private static final double TOLERANCE = 0.10;

    /** NVIDIA/nccl issue 1455 (and sjeaugey in NVIDIA/nccl-tests issue 212): ring, 2-8 H100s, 2-4 GB: 365-370 GB/s. */
    @Test
    void ringAllReduceOnH100sOverNvlink4() {
        for (int gpus : new int[] {2, 4, 8}) {
            for (long size : new long[] {2L << 30, 4L << 30}) {
                double busbw = busbw(Presets.hgxH100(), CopyStack.IB_GPUDIRECT, gpus, size, Transport.UNIFIED);
                within(367.5, busbw, gpus + " H100s, ring, " + (size >> 30) + " GiB");
            }
        }
    }

    /**
     * NVIDIA/nccl issue 1455 and NVIDIA/nccl-tests issue 212: NVLS all-reduce on H100s over NVLink 4 at large
     * sizes, about 480 GB/s busbw on 8 GPUs, 420 / 440 / 460 on 5 / 6 / 7. The switch's rate was derived from the
     * 8-GPU figure alone (see LinkProfiles.NVLINK4); the other three check the mechanism.
     */
    @Test
    void nvlsAllReduceOnH100s() {
        int[] gpus = {5, 6, 7, 8};
        double[] published = {420, 440, 460, 480};
        for (int i = 0; i < gpus.length; i++) {
            for (long size : new long[] {4L << 30, 8L << 30}) {
                double busbw = busbw(Presets.hgxH100(), CopyStack.IB_GPUDIRECT, Team.world(gpus[i]), size,
                        Transport.UNIFIED, Algorithm.NVLS);
                within(published[i], busbw, gpus[i] + " H100s, NVLS, " + (size >> 30) + " GiB");
            }
        }
    }

    /** coreweave/nccl-tests README, "Expected Performance", GB200 NVL72, 72 GPUs, all-reduce. */
    @Test
    void allReduceOnAWholeNvl72() {
        long[] sizes = {512L << 20, 1L << 30, 2L << 30, 4L << 30, 8L << 30};
        double[] published = {586, 681, 758, 839, 835};
        for (int i = 0; i < sizes.length; i++) {
            double busbw = busbw(Presets.nvl72(), CopyStack.IB_GPUDIRECT, 72, sizes[i], Transport.UNIFIED);
            within(published[i], busbw, "NVL72, " + (sizes[i] >> 20) + " MiB");
        }
    }

    /**
     * NVIDIA/nccl-tests issues 290 and 267: one 400 Gb/s NDR NIC per GPU tops out at 46-48 GB/s of all-reduce
     * bus bandwidth between servers: on the DGX H100 cluster, one GPU of each of the 9 servers, a ring over
     * InfiniBand with GPUDirect RDMA, every rank on its own NIC; the copy path (NCCL's) and the unified one (RDMA
     * writes, as NVSHMEM's puts between servers) alike.
     */
    @Test
    void allReduceBetweenServersOverNdr() {
        Team onePerServer = Team.world(72).split(0, 8, 9);
        for (Transport transport : Transport.values()) {
            double busbw = busbw(Presets.dgxH100Cluster(), CopyStack.IB_GPUDIRECT, onePerServer, 4L << 30, transport);
            within(47, busbw, "NDR 400G, ring, 4 GiB, " + transport);
        }
    }

    private static double busbw(SupernodeConfig config, CopyStack stack, int ranks, long bytes, Transport transport) {
        return busbw(config, stack, Team.world(ranks), bytes, transport);
    }

    private static double busbw(SupernodeConfig config, CopyStack stack, Team team, long bytes, Transport transport) {
        return busbw(config, stack, team, bytes, transport, Algorithm.RING);
    }

    private static double busbw(SupernodeConfig config, CopyStack stack, Team team, long bytes, Transport transport,
                                Algorithm algorithm) {
        try (Supernode machine = Supernode.boot(config)) {
            MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
            CollectiveSpec spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, bytes,
                    algorithm, Protocol.SIMPLE, 64 << 10, 1);
            CollectiveResult result = Collectives.run(machine, plane, team, spec, transport);
            assertTrue(result.wrong() == 0, "wrong elements");
            return result.busBwGBps();
        }
    }

    private static void within(double published, double modeled, String what) {
        double error = Math.abs(modeled - published) / published;
        assertTrue(error <= TOLERANCE, String.format("%s: modeled %.1f GB/s, published %.1f, off by %.1f %%", what,
                modeled, published, 100 * error));
    }
}
