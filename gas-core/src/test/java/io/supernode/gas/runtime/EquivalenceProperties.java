package io.supernode.gas.runtime;

import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.stats.HostTiming;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The unified path and every copy path do the same work: for random phased workloads over random
 * placements they leave byte-identical memory and return identical values, on both runtimes. Only
 * the stats differ.
 */
class EquivalenceProperties {

    private static final int NODES = 4;
    private static final int PAGE = 4096;

    /** How a workload reaches remote memory. */
    enum Path { UNIFIED, RPC, ONE_SIDED }

    /**
     * One operation on the issuing node's slice of the region in that phase.
     *
     * @param kind 0 bulk write, 1 bulk read, 2 fetch-add, 3 scalar store, 4 scalar load
     */
    record Op(int kind, int rawOffset, int rawLength, long value) {
    }

    /**
     * A workload: a region and, per phase, per node, its operations; slices move between phases.
     *
     * @param placement 0 on one node, 1 interleaved, 2 explicit per page
     * @param pages     region size in pages
     * @param phases    [phase][node] operations
     * @param seed      seed of slice cuts, payload bytes and the deterministic runtime
     */
    record Plan(int placement, int pages, List<List<List<Op>>> phases, long seed) {
    }

    private static SupernodeConfig machine(long seed) {
        return new SupernodeConfig("eq", new Topology(2, 2, "board", "NPU", LinkProfiles.UB, LinkProfiles.HBM_ASCEND),
                1 << 22, PAGE, 16, HostTiming.BULK_ONLY, seed);
    }

    private static Placement placement(Plan plan) {
        return switch (plan.placement()) {
            case 0 -> Placement.onNode(3);
            case 1 -> Placement.interleaved(2, 0, 3, 1);
            default -> {
                int[] nodes = new int[plan.pages()];
                Random r = new Random(plan.seed());
                for (int p = 0; p < nodes.length; p++) {
                    nodes[p] = r.nextInt(NODES);
                }
                yield Placement.explicit(nodes);
            }
        };
    }

    /** Node n's slice [start, end) in phase p: a random partition of the region, the same for every path. */
    private static long[] slice(Plan plan, int phase, int node, long size) {
        Random r = new Random(plan.seed() * 31 + phase);
        long[] cuts = {0, r.nextLong(size + 1), r.nextLong(size + 1), r.nextLong(size + 1), size};
        Arrays.sort(cuts);
        List<Integer> owner = new ArrayList<>(List.of(0, 1, 2, 3));
        Collections.shuffle(owner, r);
        int k = owner.indexOf(node);
        return new long[] {cuts[k], cuts[k + 1]};
    }

    /** Runs the plan on a fresh machine; returns the region's final bytes and every node's observations. */
    private static Outcome run(Plan plan, Path path, boolean concurrent) {
        try (Supernode machine = Supernode.boot(machine(plan.seed()))) {
            long size = (long) plan.pages() * PAGE - 17;
            Region region = machine.map(RegionSpec.of("eq", size, placement(plan)));
            List<List<Long>> seen = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                seen.add(Collections.synchronizedList(new ArrayList<>()));
            }
            NodeProgram program = ctx -> {
                int n = ctx.nodeId();
                for (int phase = 0; phase < plan.phases().size(); phase++) {
                    long[] s = slice(plan, phase, n, size);
                    for (Op op : plan.phases().get(phase).get(n)) {
                        apply(ctx, path, region, s, op, seen.get(n));
                    }
                    ctx.memory().fence();
                    ctx.barrier();
                }
            };
            int[] all = {0, 1, 2, 3};
            if (concurrent) {
                new ConcurrentRuntime().run(machine, CopyStack.ROCE_HOST_STAGED, all, program);
            } else {
                new DeterministicRuntime(plan.seed()).run(machine, CopyStack.ROCE_HOST_STAGED, all, program);
            }
            MemorySegment bytes = Arena.ofAuto().allocate(size);
            machine.node(0).read(region.baseAddress(), bytes, 0, size);
            return new Outcome(bytes.toArray(ValueLayout.JAVA_BYTE), seen.stream().map(List::copyOf).toList());
        }
    }

    private record Outcome(byte[] memory, List<List<Long>> seen) {
    }

    private static void apply(NodeContext ctx, Path path, Region region, long[] slice, Op op, List<Long> seen) {
        long length = slice[1] - slice[0];
        if (length == 0) {
            return;
        }
        long offset = slice[0] + Math.floorMod(op.rawOffset(), length);
        long bulk = Math.min(1 + Math.floorMod(op.rawLength(), 3 * PAGE), slice[1] - offset);
        long word = ((slice[0] + 7) & ~7L) + 8L * Math.floorMod(op.rawOffset(), Math.max(1, length / 8));
        boolean wordFits = word + 8 <= slice[1];
        switch (op.kind()) {
            case 0 -> {
                byte[] data = new byte[(int) bulk];
                new Random(op.value()).nextBytes(data);
                MemorySegment src = MemorySegment.ofArray(data);
                switch (path) {
                    case UNIFIED -> ctx.memory().write(src, 0, region.address(offset), bulk);
                    case RPC -> ctx.rpcWrite(src, 0, region.address(offset), bulk);
                    case ONE_SIDED -> ctx.put(src, 0, region.address(offset), bulk);
                }
            }
            case 1 -> {
                byte[] data = new byte[(int) bulk];
                MemorySegment dst = MemorySegment.ofArray(data);
                switch (path) {
                    case UNIFIED -> ctx.memory().read(region.address(offset), dst, 0, bulk);
                    case RPC -> ctx.rpcRead(region.address(offset), dst, 0, bulk);
                    case ONE_SIDED -> ctx.get(region.address(offset), dst, 0, bulk);
                }
                CRC32C crc = new CRC32C();
                crc.update(data);
                seen.add(crc.getValue() ^ (bulk << 32));
            }
            case 2 -> {
                if (wordFits) {
                    seen.add(switch (path) {
                        case UNIFIED -> ctx.memory().getAndAddLong(region.address(word), op.value());
                        case RPC -> ctx.rpcGetAndAddLong(region.address(word), op.value());
                        case ONE_SIDED -> ctx.nicGetAndAddLong(region.address(word), op.value());
                    });
                }
            }
            case 3 -> {
                if (wordFits) {
                    MemorySegment v = MemorySegment.ofArray(new long[] {op.value()});
                    switch (path) {
                        case UNIFIED -> ctx.memory().storeLong(region.address(word), op.value());
                        case RPC -> ctx.rpcWrite(v, 0, region.address(word), 8);
                        case ONE_SIDED -> ctx.put(v, 0, region.address(word), 8);
                    }
                }
            }
            default -> {
                if (wordFits) {
                    long[] v = new long[1];
                    MemorySegment dst = MemorySegment.ofArray(v);
                    switch (path) {
                        case UNIFIED -> v[0] = ctx.memory().loadLong(region.address(word));
                        case RPC -> ctx.rpcRead(region.address(word), dst, 0, 8);
                        case ONE_SIDED -> ctx.get(region.address(word), dst, 0, 8);
                    }
                    seen.add(v[0]);
                }
            }
        }
    }

    @Property(tries = 40)
    void unifiedAndCopyPathsLeaveTheSameBytesAndReturnTheSameValues(@ForAll("plans") Plan plan,
                                                                    @ForAll boolean concurrent) {
        Outcome unified = run(plan, Path.UNIFIED, concurrent);
        for (Path path : new Path[] {Path.RPC, Path.ONE_SIDED}) {
            Outcome copy = run(plan, path, concurrent);
            assertArrayEquals(unified.memory(), copy.memory(), path + " memory, concurrent=" + concurrent);
            assertEquals(unified.seen(), copy.seen(), path + " returned values, concurrent=" + concurrent);
        }
    }

    @Property(tries = 60)
    void sendReceiveDeliversWhatUnifiedReadsSee(@ForAll @IntRange(min = 1, max = 6) int pages,
                                               @ForAll @IntRange(min = 0, max = 2) int placementKind,
                                               @ForAll @IntRange(min = 1, max = 3) int shift,
                                               @ForAll("stacks") CopyStack stack,
                                               @ForAll long seed, @ForAll boolean concurrent) {
        Plan plan = new Plan(placementKind, pages, List.of(), seed);
        byte[][] viaMessages = exchange(plan, shift, stack, concurrent, true);
        byte[][] viaLoads = exchange(plan, shift, stack, concurrent, false);
        for (int n = 0; n < NODES; n++) {
            assertArrayEquals(viaLoads[n], viaMessages[n], "node " + n + " received, concurrent=" + concurrent);
        }
    }

    /** Each node's slice goes to node (n + shift) % 4: sent by its holder, or read by its receiver. */
    private static byte[][] exchange(Plan plan, int shift, CopyStack stack, boolean concurrent, boolean messages) {
        try (Supernode machine = Supernode.boot(machine(plan.seed()))) {
            long size = (long) plan.pages() * PAGE;
            Region region = machine.map(RegionSpec.of("x", size, placement(plan)));
            byte[] fill = new byte[(int) size];
            new Random(plan.seed()).nextBytes(fill);
            machine.node(0).write(MemorySegment.ofArray(fill), 0, region.baseAddress(), size);
            byte[][] received = new byte[NODES][];
            NodeProgram program = ctx -> {
                int n = ctx.nodeId();
                long[] mine = slice(plan, 0, n, size);
                int from = Math.floorMod(n - shift, NODES);
                long[] theirs = slice(plan, 0, from, size);
                byte[] into = new byte[(int) (theirs[1] - theirs[0])];
                if (messages) {
                    MemorySegment local = ctx.allocate(Math.max(1, mine[1] - mine[0]));
                    ctx.memory().read(region.address(mine[0]), local, 0, mine[1] - mine[0]);
                    ctx.send((n + shift) % NODES, 7, local, 0, mine[1] - mine[0]);
                    ctx.receive(from, 7, MemorySegment.ofArray(into), 0, into.length);
                } else {
                    ctx.memory().read(region.address(theirs[0]), MemorySegment.ofArray(into), 0, into.length);
                }
                received[n] = into;
            };
            int[] all = {0, 1, 2, 3};
            if (concurrent) {
                new ConcurrentRuntime().run(machine, stack, all, program);
            } else {
                new DeterministicRuntime(plan.seed()).run(machine, stack, all, program);
            }
            return received;
        }
    }

    @Provide
    Arbitrary<CopyStack> stacks() {
        return Arbitraries.of(CopyStack.all());
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.longs()).as(Op::new);
        Arbitrary<List<Op>> ops = op.list().ofMaxSize(8);
        Arbitrary<List<List<Op>>> phase = ops.list().ofSize(NODES);
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 6),
                phase.list().ofMinSize(1).ofMaxSize(3), Arbitraries.longs()).as(Plan::new);
    }
}
