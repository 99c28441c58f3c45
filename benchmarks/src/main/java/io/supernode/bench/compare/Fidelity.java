package io.supernode.bench.compare;

import io.supernode.collectives.moe.MoeFidelity;
import io.supernode.collectives.run.CollectiveFidelity;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.runtime.DeterministicRuntime;
import io.supernode.gas.stats.HostTiming;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The fabric model against every published figure in docs/FABRIC-PROFILES.md that it is meant to reproduce,
 * each measured the way its publication measured it: one warm access for latencies, a 64 MiB transfer for
 * bandwidths, half a ping-pong for message latencies, nccl-tests' bus bandwidth for collectives
 * ({@link CollectiveFidelity}), DeepEP's bandwidths and times for expert-parallel dispatch and combine
 * ({@link MoeFidelity}, with the MoE issue's tolerances). Modeled time is deterministic, so the rows are the
 * same on every machine and every run.
 */
public final class Fidelity {

    /** The tolerance every anchor is held to. */
    public static final double TOLERANCE = 0.10;

    private static final String CM384 = "M: Zuo et al., CloudMatrix384, arXiv 2506.12708 v2, Table 1";
    private static final String PERFTEST = "M: perftest ib_send_lat (FABRIC-PROFILES)";
    private static final long BIG = 64L << 20;

    /**
     * RoCE between host buffers, as perftest measures it: no staging copies, the NIC fetching payloads
     * above the inline size over PCIe, as for InfiniBand.
     */
    private static final CopyStack ROCE_PERFTEST = new CopyStack("ROCE_PERFTEST", LinkProfiles.ROCE, LinkProfiles.PCIE5,
            false, false, true, 220, "RoCE between host buffers (perftest); inline 220 B A");

    private Fidelity() {
    }

    /** Every anchor, modeled. */
    public static List<FidelityRow> rows() {
        List<FidelityRow> rows = new ArrayList<>();
        try (Supernode cm = Supernode.boot(Presets.cloudmatrix384())) {
            MemorySegment buffer = Arena.ofAuto().allocate(BIG);
            Region near = cm.map(RegionSpec.of("fidelity-near", BIG, Placement.onNode(1)));
            Region far = cm.map(RegionSpec.of("fidelity-far", BIG, Placement.onNode(383)));
            NodeAccess npu0 = cm.node(0);
            rows.add(ns("UB 512 B read, same board", 1_200, timed(npu0, near, buffer, 512, false), CM384));
            rows.add(ns("UB 512 B read, across boards", 1_900, timed(npu0, far, buffer, 512, false), CM384));
            rows.add(ns("UB 512 B write, same board", 1_300, timed(npu0, near, buffer, 512, true), CM384));
            rows.add(ns("UB 512 B write, across boards", 2_100, timed(npu0, far, buffer, 512, true), CM384));
            rows.add(gbps("UB read bandwidth per die, same board", 167, BIG / (double) timed(npu0, near, buffer, BIG, false), CM384));
            rows.add(gbps("UB read bandwidth per die, across boards", 164, BIG / (double) timed(npu0, far, buffer, BIG, false), CM384));
            rows.add(gbps("UB write bandwidth per die, same board", 137, BIG / (double) timed(npu0, near, buffer, BIG, true), CM384));
            rows.add(gbps("UB write bandwidth per die, across boards", 135, BIG / (double) timed(npu0, far, buffer, BIG, true), CM384));
        }
        try (Supernode pair = twoNodes(LinkProfiles.NVLINK4)) {
            MemorySegment buffer = Arena.ofAuto().allocate(BIG);
            Region peer = pair.map(RegionSpec.of("fidelity-peer", BIG, Placement.onNode(1)));
            rows.add(ns("NVLink 4 peer load (pointer chase)", 830, timed(pair.node(0), peer, buffer, 8, false),
                    "M: H100 pointer chase, weak provenance (FABRIC-PROFILES)"));
            rows.add(gbps("NVLink 4 achieved read bandwidth", 390, BIG / (double) timed(pair.node(0), peer, buffer, BIG, false),
                    "M: ~390 GB/s achieved of 450 raw (FABRIC-PROFILES)"));
        }
        try (Supernode pair = twoNodes(LinkProfiles.CXL)) {
            MemorySegment buffer = Arena.ofAuto().allocate(64);
            Region pool = pair.map(RegionSpec.of("fidelity-cxl", 4096, Placement.onNode(1)));
            rows.add(ns("CXL memory-pool load", 250, timed(pair.node(0), pool, buffer, 8, false),
                    "M: Melody (ASPLOS'25) 140-410 ns, 250 used; Pond (ASPLOS'23)"));
        }
        rows.add(ns("NCCL send/recv over NVLink 4, 1 KB", 3_000, halfRoundTripNanos(CopyStack.NCCL_NVLINK4, 1024),
                "M: NCCL issues 1264, 1487"));
        rows.add(ns("ib_send_lat, 32 B", 800, halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 32), PERFTEST));
        rows.add(ns("ib_send_lat, 1 KB", 1_500, halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 1024), PERFTEST));
        rows.add(ns("ib_send_lat, 4 KB", 2_300, halfRoundTripNanos(CopyStack.IB_GPUDIRECT, 4096), PERFTEST));
        rows.add(ns("RoCE small message, 32 B", 2_500, halfRoundTripNanos(ROCE_PERFTEST, 32),
                "M: RoCEv2 ~2.5 us small message (FABRIC-PROFILES)"));
        for (CollectiveFidelity.Anchor a : CollectiveFidelity.anchors()) {
            rows.add(gbps(a.what() + " (busbw)", a.publishedGBps(), a.modeledGBps(), a.source()));
        }
        for (MoeFidelity.Anchor a : MoeFidelity.anchors()) {
            rows.add(new FidelityRow("DeepEP " + a.what(), a.unit(), a.published(), a.modeled(), a.tolerance(), a.source()));
        }
        return rows;
    }

    private static FidelityRow ns(String what, double published, double modeled, String source) {
        return new FidelityRow(what, "ns", published, modeled, TOLERANCE, source);
    }

    private static FidelityRow gbps(String what, double published, double modeled, String source) {
        return new FidelityRow(what, "GB/s", published, modeled, TOLERANCE, source);
    }

    /** Two nodes under one switch over {@code link}: the machine of a two-GPU microbenchmark. */
    public static Supernode twoNodes(LinkProfile link) {
        return Supernode.boot(new SupernodeConfig("pair", new Topology(1, 2, "switch", "GPU", link,
                LinkProfiles.HBM_BLACKWELL), 1L << 30, 65536, 64, HostTiming.BULK_ONLY, 1));
    }

    /** Modeled ns of one access of {@code bytes} at the start of {@code region}, after a warming one. */
    private static long timed(NodeAccess node, Region region, MemorySegment buffer, long bytes, boolean write) {
        node.read(region.baseAddress(), buffer, 0, 8);
        node.fence();
        long start = node.clock().nowNanos();
        if (bytes == 8 && !write) {
            node.loadLong(region.baseAddress());
        } else if (write) {
            node.write(buffer, 0, region.baseAddress(), bytes);
            node.fence();
        } else {
            node.read(region.baseAddress(), buffer, 0, bytes);
        }
        return node.clock().nowNanos() - start;
    }

    /** Half the modeled round trip of a ping-pong of {@code bytes} between two nodes over {@code stack}. */
    public static double halfRoundTripNanos(CopyStack stack, int bytes) {
        try (Supernode machine = twoNodes(LinkProfiles.NVLINK4)) {
            int rounds = 20;
            long makespan = new DeterministicRuntime(1).run(machine, stack, new int[] {0, 1}, ctx -> {
                MemorySegment b = ctx.allocate(bytes);
                for (int i = 0; i < rounds; i++) {
                    if (ctx.nodeId() == 0) {
                        ctx.send(1, 1, b, 0, bytes);
                        ctx.receive(1, 2, b, 0, bytes);
                    } else {
                        ctx.receive(0, 1, b, 0, bytes);
                        ctx.send(0, 2, b, 0, bytes);
                    }
                }
            }).makespanNanos();
            return makespan / (2.0 * rounds);
        }
    }
}
