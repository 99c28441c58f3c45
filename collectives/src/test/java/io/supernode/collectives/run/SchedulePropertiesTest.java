package io.supernode.collectives.run;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.data.Reduction;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Schedules;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of every schedule on real bytes: the reference result on both transports, the same bytes on
 * both, and broken variants (a ring that skips a block, a reduction counted twice) caught by the reference.
 * jqwik prints the seed and the shrunk case of any failure.
 */
class SchedulePropertiesTest {

    private static Supernode machine;
    private static MessagePlane plane;

    @BeforeContainer
    static void boot() {
        machine = Supernode.boot(Presets.small());
        plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
    }

    @AfterContainer
    static void close() {
        machine.close();
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.of(Op.class);
    }

    /** A seed has no edges worth trying: its edge cases would only multiply the others past the tries. */
    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    @Property(tries = 150)
    void everyScheduleGivesTheReferenceAndTheSameBytesOnBothTransports(
            @ForAll("ops") Op op, @ForAll Algorithm algorithm, @ForAll DataType type, @ForAll @IntRange(min = 1, max = 8) int ranks,
            @ForAll @IntRange(min = 0, max = 7) int start, @ForAll @LongRange(min = 0, max = 40) long count,
            @ForAll("seeds") long seed) {
        if (!Schedules.implemented(op, algorithm) || op.reduces() && type == DataType.BYTES) {
            return;
        }
        int[] nodes = new int[ranks];
        for (int r = 0; r < ranks; r++) {
            nodes[r] = (start + 3 * r) % 8;
        }
        Team team = ranks == 8 ? Team.world(8) : distinct(nodes) ? Team.of(nodes) : Team.world(ranks);
        int root = Math.floorMod(seed, ranks);
        int groupSize = groupSize(ranks, seed);
        if (algorithm == Algorithm.HIERARCHICAL && groupSize == 0 || algorithm == Algorithm.RHD && Integer.bitCount(ranks) != 1) {
            return;
        }
        Schedule schedule = Schedules.build(op, algorithm, ranks, groupSize, count, root);
        Reference reference = new Reference(op, algorithm, ranks, groupSize, count, root, type, ReduceOp.SUM, seed);
        List<float[]> unified = run(schedule, team, type, seed, Transport.UNIFIED, reference);
        List<float[]> copy = run(schedule, team, type, seed, Transport.COPY, reference);
        for (int r = 0; r < ranks; r++) {
            assertTrue(java.util.Arrays.equals(unified.get(r), copy.get(r)), "rank " + r + " differs between transports");
        }
    }

    /**
     * The timing takes every slice of every transfer once: the wire carries exactly the bytes of the
     * schedule's remote transfers (Simple puts no overhead on the wire), however many channels, and the
     * collective ends no earlier than its busiest port could have moved them. A timing that strands slices
     * waiting at a busy sender (as one did) fails here.
     */
    @Property(tries = 60)
    void timingTakesEverySliceOnceAndNoPortBeatsItsBandwidth(@ForAll("ops") Op op, @ForAll Algorithm algorithm,
            @ForAll @IntRange(min = 2, max = 8) int ranks, @ForAll @LongRange(min = 1, max = 1L << 22) long count,
            @ForAll @IntRange(min = 1, max = 16) int channels) {
        int groupSize = groupSize(ranks, count);
        if (!Schedules.implemented(op, algorithm) || algorithm == Algorithm.HIERARCHICAL && groupSize == 0
                || algorithm == Algorithm.NVLS || algorithm == Algorithm.RHD && Integer.bitCount(ranks) != 1) {
            // NVLS is timed by the switch, not by its bytes' transfers: inSwitchTimingCrossesEveryPortAsTheSwitchDoes.
            return;
        }
        Schedule schedule = Schedules.build(op, algorithm, ranks, groupSize, count, 0);
        long remote = 0;
        long[] egress = new long[ranks];
        for (List<Transfer> step : schedule.steps()) {
            for (Transfer t : step) {
                if (!t.local()) {
                    remote += t.elements() * 4;
                    egress[t.from()] += t.elements() * 4;
                }
            }
        }
        Timing.Result timing = Timing.of(schedule, Team.world(ranks), 4, Transport.UNIFIED, Protocol.SIMPLE,
                machine.topology(), plane, Timing.MAX_EVENTS, channels);
        assertEquals(remote, timing.wireBytes());
        long busiest = java.util.Arrays.stream(egress).max().orElse(0);
        double floorNanos = busiest * 1e9 / (machine.topology().link().writeBytesPerSecond() * machine.topology().link().lanes());
        assertTrue(timing.modeledNanos() >= floorNanos, timing.modeledNanos() + " ns beats the port's " + floorNanos);
    }

    /**
     * An in-switch all-reduce crosses ports (2n + 1)/n times the buffer (n copies up and one result down per
     * load-reduce, one store up and n - 1 down per multicast), and no port beats the switch's rate: the busiest
     * carries (n + 1)/n of the buffer.
     */
    @Property(tries = 30)
    void inSwitchTimingCrossesEveryPortAsTheSwitchDoes(@ForAll @IntRange(min = 2, max = 8) int ranks,
                                                       @ForAll @LongRange(min = 1, max = 1L << 22) long count,
                                                       @ForAll @IntRange(min = 1, max = 16) int channels) {
        Topology hgx = Presets.hgxH100().topology();
        Schedule schedule = Schedules.build(Op.ALL_REDUCE, Algorithm.NVLS, ranks, count, 0);
        Timing.Result timing = Timing.of(schedule, Team.world(ranks), 4, Transport.UNIFIED, Protocol.SIMPLE, hgx, plane,
                Timing.MAX_EVENTS, channels);
        assertEquals((2L * ranks + 1) * count * 4, timing.wireBytes());
        double floorNanos = (ranks + 1.0) / ranks * (count * 4 - ranks) * 1e9 / hgx.link().switchReduceBytesPerSecond();
        assertTrue(timing.modeledNanos() >= floorNanos, timing.modeledNanos() + " ns beats the switch's " + floorNanos);
    }

    /**
     * All-to-all with uneven counts (some zero) lands every rank's block for rank j in rank j's output, after
     * the blocks of lower ranks, on both transports.
     */
    @Property(tries = 40)
    void unevenAllToAllDeliversEveryBlockInRankOrder(@ForAll @IntRange(min = 1, max = 6) int ranks, @ForAll long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        long[][] counts = new long[ranks][ranks];
        for (long[] row : counts) {
            for (int j = 0; j < ranks; j++) {
                row[j] = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 50);
            }
        }
        Schedule schedule = Schedules.allToAll(counts);
        for (Transport transport : Transport.values()) {
            try (Executor executor = new Executor(machine, plane, transport, Team.world(ranks), schedule, DataType.BYTES,
                    ReduceOp.SUM)) {
                executor.fillInputs(seed);
                executor.run();
                for (int j = 0; j < ranks; j++) {
                    long at = 0;
                    for (int r = 0; r < ranks; r++) {
                        long from = 0;
                        for (int k = 0; k < j; k++) {
                            from += counts[r][k];
                        }
                        for (long i = 0; i < counts[r][j]; i++) {
                            assertEquals(io.supernode.collectives.data.Inputs.value(DataType.BYTES, seed, r, from + i),
                                    Reduction.get(DataType.BYTES, executor.output(j), 0, at + i),
                                    transport + ": rank " + j + " block from " + r + " element " + i);
                        }
                        at += counts[r][j];
                    }
                }
            }
        }
    }

    /**
     * A ring, hierarchical, tree or halving-doubling all-reduce that skips one reduction, and one that reduces a
     * block twice (a tree that double-counts a child), are caught.
     */
    @Property(tries = 60)
    void brokenAllReducesAreCaught(@ForAll @IntRange(min = 2, max = 8) int ranks,
                                   @ForAll @LongRange(min = 8, max = 64) long count,
                                   @ForAll @IntRange(min = 0, max = 1000) int pick, @ForAll boolean twice,
                                   @ForAll @IntRange(min = 0, max = 3) int which) {
        int groupSize = groupSize(ranks, pick);
        Algorithm algorithm = switch (which) {
            case 1 -> groupSize > 0 ? Algorithm.HIERARCHICAL : Algorithm.RING;
            case 2 -> Algorithm.TREE;
            case 3 -> Integer.bitCount(ranks) == 1 ? Algorithm.RHD : Algorithm.RING;
            default -> Algorithm.RING;
        };
        Schedule correct = Schedules.build(Op.ALL_REDUCE, algorithm, ranks, groupSize, count, 0);
        Schedule broken = mutate(correct, pick, twice ? t -> t : null);
        Reference reference = new Reference(Op.ALL_REDUCE, algorithm, ranks, groupSize, count, 0, DataType.FLOAT32,
                ReduceOp.SUM, 5);
        long wrong = 0;
        try (Executor executor = new Executor(machine, plane, Transport.UNIFIED, Team.world(ranks), broken, DataType.FLOAT32,
                ReduceOp.SUM)) {
            executor.fillInputs(5);
            executor.run();
            for (int r = 0; r < ranks; r++) {
                for (long i = 0; i < count; i++) {
                    wrong += Float.floatToIntBits(reference.expected(r, i))
                            != Float.floatToIntBits(Reduction.get(DataType.FLOAT32, executor.output(r), 0, i)) ? 1 : 0;
                }
            }
        }
        assertTrue(wrong > 0, (twice ? "a doubled" : "a skipped") + " reduction of " + algorithm + " went unnoticed");
    }

    /** A divisor of {@code ranks} in 2..ranks-1 picked by {@code pick} (domains of a hierarchical schedule), or 0. */
    private static int groupSize(int ranks, long pick) {
        List<Integer> divisors = new ArrayList<>();
        for (int g = 2; g < ranks; g++) {
            if (ranks % g == 0) {
                divisors.add(g);
            }
        }
        return divisors.isEmpty() ? 0 : divisors.get(Math.floorMod(pick, divisors.size()));
    }

    /** The schedule with its {@code pick}-th reducing transfer dropped, or repeated in a step of its own. */
    private static Schedule mutate(Schedule s, int pick, UnaryOperator<Transfer> again) {
        List<Transfer> reducing = s.steps().stream().flatMap(List::stream).filter(Transfer::reduce).toList();
        Transfer victim = reducing.get(pick % reducing.size());
        List<List<Transfer>> steps = new ArrayList<>();
        for (List<Transfer> step : s.steps()) {
            List<Transfer> copy = new ArrayList<>(step);
            if (copy.contains(victim)) {
                if (again == null) {
                    copy.remove(victim);
                    steps.add(copy);
                } else {
                    steps.add(copy);
                    steps.add(List.of(again.apply(victim)));
                }
            } else {
                steps.add(copy);
            }
        }
        return new Schedule(s.op(), s.algorithm(), s.ranks(), s.root(), s.count(), s.inputElements(), s.outputElements(),
                s.workElements(), steps);
    }

    private static List<float[]> run(Schedule schedule, Team team, DataType type, long seed, Transport transport,
                                     Reference reference) {
        List<float[]> outputs = new ArrayList<>();
        try (Executor executor = new Executor(machine, plane, transport, team, schedule, type, ReduceOp.SUM)) {
            executor.fillInputs(seed);
            executor.run();
            for (int r = 0; r < team.size(); r++) {
                float[] out = new float[(int) reference.outputElements()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Reduction.get(type, executor.output(r), 0, i);
                    float expected = reference.expected(r, i);
                    if (!Float.isNaN(expected)) {
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]),
                                schedule.op() + " " + schedule.algorithm() + " " + type + " " + transport + " rank " + r
                                        + " element " + i);
                    }
                }
                outputs.add(out);
            }
        }
        return outputs;
    }

    private static boolean distinct(int[] nodes) {
        return java.util.Arrays.stream(nodes).distinct().count() == nodes.length;
    }
}
