package io.supernode.examples;

import io.supernode.collectives.moe.ExpertParallel;
import io.supernode.collectives.moe.MoeMode;
import io.supernode.collectives.moe.MoeResult;
import io.supernode.collectives.moe.MoeSpec;
import io.supernode.collectives.moe.Routing;
import io.supernode.collectives.moe.RoutingTable;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;

import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Teaches expert-parallel dispatch and combine by following one token: rank 0's first token on 16 GPUs of two H800
 * servers (8 per server, NVLink inside, InfiniBand between), 256 experts, 16 per GPU, top-8. In normal mode the token
 * goes once to each server that holds any of its experts (to the GPU of rank 0's local index there, by RDMA), and that
 * GPU passes it over NVLink to the GPUs that hold its experts; combine walks the same way back, summing on the way. In
 * low-latency mode it is written to each of its experts on its own. Then both modes run on both paths for 128 tokens
 * per GPU, every combined token checked bit for bit, and the modeled times printed side by side.
 */
public final class MoeTokenJourney {

    private static final int RANKS = 16;
    private static final int PER_SERVER = 8;

    private MoeTokenJourney() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        MoeSpec normal = MoeSpec.builder(MoeMode.NORMAL).tokensPerRank(128).routing(new Routing.Uniform()).seed(3)
                .maxRealTokens(8).build();
        RoutingTable table = RoutingTable.draw(normal.routing(), RANKS, normal.tokensPerRank(), normal.experts(),
                normal.topK(), PER_SERVER, normal.seed());
        System.out.println("Token 0 of rank 0 on 16 H800s (2 servers of 8), 256 experts, 16 per GPU, top-8:");
        TreeMap<Integer, TreeSet<Integer>> ranksByServer = new TreeMap<>();
        for (int k = 0; k < normal.topK(); k++) {
            int expert = table.expert(0, 0, k);
            int rank = table.rankOf(expert);
            ranksByServer.computeIfAbsent(table.groupOf(rank), s -> new TreeSet<>()).add(rank);
            System.out.printf(Locale.ROOT, "  choice %d: expert %3d on rank %2d (server %d), gate weight %.3f%n", k, expert,
                    rank, table.groupOf(rank), table.weight(0, 0, k));
        }
        long fp8Token = normal.format().payloadBytes(normal.hidden());
        System.out.printf(Locale.ROOT, "%nNormal mode: the token travels as %d bytes of FP8 and scales (%d channels)%n",
                fp8Token, normal.hidden());
        ranksByServer.forEach((server, ranks) -> {
            int forwarder = server * PER_SERVER;
            String hop = server == 0 ? "is rank 0's own server: rank 0 forwards it itself"
                    : "goes once by RDMA to rank " + forwarder + " (local index 0 of server " + server + ")";
            System.out.printf(Locale.ROOT, "  server %d: %s,%n    then over NVLink to ranks %s, once per rank%n", server,
                    hop, ranks);
        });
        System.out.println("  Combine: each rank returns its experts' weighted sum, the forwarder adds its server's,");
        System.out.println("  and rank 0 adds the servers': one bf16 token per server crosses InfiniBand back.");
        System.out.printf(Locale.ROOT, "%nLow-latency mode: %d messages of %d bytes, one per expert, straight to its rank;%n"
                + "  combine returns %d bf16 outputs, weighted and summed on rank 0.%n", normal.topK(), fp8Token + 16,
                normal.topK());
        try (Supernode machine = Supernode.boot(Presets.h800Cluster())) {
            MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
            System.out.println("\n128 tokens per GPU, modeled time per phase (us), combined tokens checked bit for bit:");
            System.out.println("  mode          path      dispatch   combine   messages per rank   #wrong");
            for (MoeMode mode : MoeMode.values()) {
                MoeSpec spec = normal.toBuilder().mode(mode).build();
                for (Transport transport : Transport.values()) {
                    MoeResult r = ExpertParallel.run(machine, plane, Team.world(RANKS), spec, transport);
                    System.out.printf(Locale.ROOT, "  %-12s  %-7s  %9.1f  %8.1f  %18d  %7d%n", mode.label(),
                            transport.name().toLowerCase(Locale.ROOT), r.dispatch().meanNanos() / 1e3,
                            r.combine().meanNanos() / 1e3, r.dispatch().messages() / RANKS, r.wrong());
                }
            }
        }
        System.out.println("\nThe unified path stores into the other GPUs' buffers (by RDMA between servers); the copy");
        System.out.println("path sends a message per chunk or token through the copy stack, each paying its overheads.");
    }
}
