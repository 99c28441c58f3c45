package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every mode, path, routing and dispatch format combines every token bit for bit as the single-node reference does, on
 * a supernode (one load/store domain, batched normal mode) and on stacked servers (normal mode through forwarders).
 */
class ExpertParallelTest {

    /** Two servers of four GPUs, NVLink inside and InfiniBand between, as h800-cluster is built. */
    private static SupernodeConfig stacked() {
        return new SupernodeConfig("two-h800-servers", new Topology(2, 4, "server", "GPU", LinkProfiles.NVLINK4_H800,
                LinkProfiles.HBM_HOPPER, LinkProfiles.IB_NDR), ByteSize.gib(1).bytes(),
                SupernodeConfig.DEFAULT_PAGE_BYTES, SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES, HostTiming.BULK_ONLY, 7);
    }

    private static MoeSpec small(MoeMode mode, Routing routing, TokenFormat format, long seed) {
        return MoeSpec.builder(mode).tokensPerRank(24).hidden(256).topK(4).experts(16).routing(routing).format(format)
                .maxRealTokens(24).seed(seed).build();
    }

    @Test
    void everyModePathRoutingAndFormatCombinesAsTheReferenceBitForBit() {
        List<Routing> routings = List.of(new Routing.Uniform(), new Routing.Zipf(1.2), new Routing.GroupLimited(1));
        int runs = 0;
        for (SupernodeConfig config : List.of(Presets.small(), stacked())) {
            try (Supernode machine = Supernode.boot(config)) {
                MessagePlane plane = new MessagePlane(machine, config.topology().stacked() ? CopyStack.IB_GPUDIRECT
                        : CopyStack.ROCE_HOST_STAGED, MessagePlane.Service.INLINE);
                for (MoeMode mode : MoeMode.values()) {
                    for (Transport transport : Transport.values()) {
                        for (Routing routing : routings) {
                            for (TokenFormat format : TokenFormat.values()) {
                                long seed = 1000 + runs;
                                MoeResult result = ExpertParallel.run(machine, plane, Team.world(8),
                                        small(mode, routing, format, seed), transport);
                                String what = config.name() + " " + mode + " " + transport + " " + routing.label() + " "
                                        + format + " seed " + seed;
                                assertEquals(0, result.wrong(), what);
                                assertEquals(24, result.realTokens(), what);
                                assertEquals(mode == MoeMode.NORMAL && config.topology().stacked(), result.hierarchical(),
                                        what);
                                assertTrue(result.fabricBytes() > 0, what);
                                assertTrue(result.dispatch().meanNanos() > 0 && result.combine().meanNanos() > 0, what);
                                runs++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(72, runs);
    }

    @Test
    void theCheckSeesTheReductionOrder() {
        // Sums are bfloat16 accumulators, so their order shows. The stacked route sums per server before summing
        // servers: on the same tokens a reference that sums every rank at once differs somewhere, so a run that reduced
        // in another order than it states fails.
        MoeSpec spec = small(MoeMode.NORMAL, new Routing.Uniform(), TokenFormat.BF16, 5);
        RoutingTable table = RoutingTable.draw(spec.routing(), 8, spec.tokensPerRank(), spec.experts(), spec.topK(), 4,
                spec.seed());
        MoeReference flat = new MoeReference(spec, table, false);
        MoeReference forwarded = new MoeReference(spec, table, true);
        float[] a = new float[spec.hidden()];
        float[] b = new float[spec.hidden()];
        long differing = 0;
        for (int r = 0; r < 8; r++) {
            for (int t = 0; t < spec.tokensPerRank(); t++) {
                flat.expected(r, t, a);
                forwarded.expected(r, t, b);
                for (int c = 0; c < a.length; c++) {
                    differing += Float.floatToIntBits(a[c]) != Float.floatToIntBits(b[c]) ? 1 : 0;
                }
            }
        }
        assertTrue(differing > 0, "the two orders agree everywhere: the check could not tell them apart");
        // Low-latency mode sums the experts' outputs k ascending; summed k descending, the same terms round otherwise.
        MoeSpec lowLatency = small(MoeMode.LOW_LATENCY, new Routing.Uniform(), TokenFormat.FP8, 5);
        MoeReference reference = new MoeReference(lowLatency, table, false);
        ExpertFunction experts = new ExpertFunction(lowLatency.experts(), lowLatency.seed());
        long reversedDiffers = 0;
        float[] x = new float[lowLatency.hidden()];
        float[] y = new float[lowLatency.hidden()];
        for (int t = 0; t < lowLatency.tokensPerRank(); t++) {
            reference.expected(0, t, a);
            for (int c = 0; c < x.length; c++) {
                x[c] = io.supernode.collectives.data.Inputs.value(io.supernode.collectives.data.DataType.BFLOAT16,
                        lowLatency.seed(), 0, (long) t * x.length + c);
            }
            java.lang.foreign.MemorySegment carried = java.lang.foreign.MemorySegment.ofArray(new byte[16_384]);
            lowLatency.format().encode(x, carried, 0);
            lowLatency.format().decode(carried, 0, x);
            java.util.Arrays.fill(b, 0f);
            for (int k = lowLatency.topK() - 1; k >= 0; k--) {
                experts.apply(table.expert(0, t, k), x, y);
                for (int c = 0; c < b.length; c++) {
                    b[c] = bf16(b[c] + table.weight(0, t, k) * bf16(y[c]));
                }
            }
            for (int c = 0; c < a.length; c++) {
                reversedDiffers += Float.floatToIntBits(a[c]) != Float.floatToIntBits(bf16(b[c])) ? 1 : 0;
            }
        }
        assertTrue(reversedDiffers > 0, "summing k descending agrees with k ascending everywhere");
    }

    private static float bf16(float value) {
        return io.supernode.collectives.data.DataType.BFLOAT16.round(value);
    }

    @Test
    void aRoutingIsAFunctionOfTheSeedAndEveryTokenPicksDistinctExpertsWithinItsGroups() {
        RoutingTable a = RoutingTable.draw(new Routing.GroupLimited(2), 16, 64, 64, 8, 4, 9);
        RoutingTable b = RoutingTable.draw(new Routing.GroupLimited(2), 16, 64, 64, 8, 4, 9);
        for (int r = 0; r < 16; r++) {
            for (int t = 0; t < 64; t++) {
                java.util.Set<Integer> experts = new java.util.HashSet<>();
                java.util.Set<Integer> groups = new java.util.HashSet<>();
                float sum = 0;
                for (int k = 0; k < 8; k++) {
                    assertEquals(a.expert(r, t, k), b.expert(r, t, k));
                    assertTrue(experts.add(a.expert(r, t, k)), "expert twice in token " + t + " of rank " + r);
                    groups.add(a.groupOf(a.rankOf(a.expert(r, t, k))));
                    assertTrue(a.weight(r, t, k) > 0);
                    sum += a.weight(r, t, k);
                }
                assertTrue(groups.size() <= 2, "token " + t + " of rank " + r + " reaches " + groups);
                assertEquals(1f, sum, 1e-5f);
            }
        }
    }

    @Test
    void aZipfRoutingFavoursItsPopularExperts() {
        RoutingTable table = RoutingTable.draw(new Routing.Zipf(1.5), 8, 512, 64, 4, 8, 3);
        int[] hits = new int[64];
        for (int r = 0; r < 8; r++) {
            for (int t = 0; t < 512; t++) {
                for (int k = 0; k < 4; k++) {
                    hits[table.expert(r, t, k)]++;
                }
            }
        }
        int[] sorted = java.util.Arrays.stream(hits).sorted().toArray();
        // Uniform routing would give each expert about 256 picks; the most popular gets far more than the median.
        assertTrue(sorted[63] > 4 * sorted[32], java.util.Arrays.toString(sorted));
    }

    @Test
    void badShapesAreTypedFaults() {
        assertThrows(ConfigFault.class, () -> MoeSpec.builder(MoeMode.NORMAL).hidden(100).build());
        assertThrows(ConfigFault.class, () -> MoeSpec.builder(MoeMode.NORMAL).tokensPerRank(0).build());
        assertThrows(ConfigFault.class, () -> MoeSpec.builder(MoeMode.NORMAL).topK(300).build());
        assertThrows(ConfigFault.class, () -> MoeSpec.builder(MoeMode.NORMAL).experts(1 << 30).build());
        // Neither a message per token and expert beyond what the timing holds, nor buffers beyond the host budget.
        MoeSpec huge = MoeSpec.builder(MoeMode.LOW_LATENCY).tokensPerRank(MoeSpec.MAX_TOKENS).build();
        assertThrows(ConfigFault.class, () -> ExpertParallel.model(Presets.h800Cluster().topology(), null,
                Team.world(256), huge, Transport.UNIFIED));
        assertThrows(ConfigFault.class, () -> ExpertParallel.realTokens(256, MoeSpec.builder(MoeMode.NORMAL)
                .hidden(MoeSpec.MAX_HIDDEN).topK(MoeSpec.MAX_TOP_K).build()));
        assertThrows(ConfigFault.class, () -> Routing.byName("zipf:x"));
        assertThrows(ConfigFault.class, () -> Routing.byName("zipf:9"));
        assertThrows(ConfigFault.class, () -> TokenFormat.byName("fp4"));
        assertThrows(ConfigFault.class, () -> RoutingTable.draw(new Routing.Uniform(), 3, 4, 16, 2, 3, 1));
        assertThrows(ConfigFault.class, () -> RoutingTable.draw(new Routing.GroupLimited(1), 8, 4, 16, 9, 4, 1));
    }

    @Test
    void fp8RoundsToNearestEvenAndSaturates() {
        assertEquals(448f, Fp8E4m3.decode(Fp8E4m3.encode(1000f)));
        assertEquals(-448f, Fp8E4m3.decode(Fp8E4m3.encode(-448f)));
        // 1.0625 lies halfway between 1.0 and 1.125: ties go to the even code, 1.0.
        assertEquals(1.0f, Fp8E4m3.decode(Fp8E4m3.encode(1.0625f)));
        assertEquals(1.25f, Fp8E4m3.decode(Fp8E4m3.encode(1.1875f)));
        assertEquals(0x1p-9f, Fp8E4m3.decode(Fp8E4m3.encode(0x1p-9f)));
        for (int code = 0; code < 256; code++) {
            if ((code & 0x7F) != 0x7F) {
                float v = Fp8E4m3.decode((byte) code);
                assertEquals(v, Fp8E4m3.decode(Fp8E4m3.encode(v)), "code " + code);
            }
        }
        // Against the definition: the nearest finite value, ties to the even code, for values across every binade.
        long seed = 11;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            float v = (float) (Math.scalb(random.nextDouble(), random.nextInt(-12, 10)) * (random.nextBoolean() ? 1 : -1));
            assertEquals(nearest(v), Fp8E4m3.decode(Fp8E4m3.encode(v)), "value " + v + ", seed " + seed);
        }
    }

    /** The finite E4M3 value nearest to {@code v}, ties to the even code, by trying every code. */
    private static float nearest(float v) {
        float best = Float.NaN;
        int bestCode = -1;
        for (int code = 0; code < 0x7F; code++) {
            float candidate = Math.copySign(Fp8E4m3.decode((byte) code), v);
            double gap = Math.abs((double) candidate - v);
            double bestGap = Float.isNaN(best) ? Double.MAX_VALUE : Math.abs((double) best - v);
            if (gap < bestGap || gap == bestGap && (code & 1) == 0) {
                best = candidate;
                bestCode = code;
            }
        }
        return bestCode < 0 ? Float.NaN : best;
    }
}
