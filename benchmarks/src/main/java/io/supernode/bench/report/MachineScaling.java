package io.supernode.bench.report;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.ProcessMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static io.supernode.bench.report.Cells.number;

/**
 * What emulating costs this host against machine size: a preset booted in this JVM, its memory touched, and
 * node 0's remote loads timed, random and on one warm page.
 */
final class MachineScaling {

    private final ReportPlan plan;
    private final long seed;
    /** Host ns of a warm-page remote load on the cloudmatrix384 preset, for the comparison with JMH; NaN until measured. */
    private double warmLoadNanos = Double.NaN;
    /** Where timed loads leave their sum, so the JIT cannot drop them. */
    private long sink;

    MachineScaling(ReportPlan plan, long seed) {
        this.plan = plan;
        this.seed = seed;
    }

    /**
     * One row of the scaling table: boots the preset of {@code nodes} nodes, writes {@code touchBytesPerNode}
     * on every node, and times the loads.
     */
    List<String> row(int nodes, long touchBytesPerNode) {
        SupernodeConfig config = Presets.names().stream().map(Presets::byName)
                .filter(c -> c.topology().nodeCount() == nodes).findFirst()
                .orElseThrow(() -> new ConfigFault("no preset has " + nodes + " nodes (presets: " + Presets.names() + ")"));
        long start = System.nanoTime();
        try (Supernode machine = Supernode.boot(config.withSeed(seed))) {
            long bootNanos = System.nanoTime() - start;
            long rssBoot = ProcessMemory.residentBytes();
            long bytes = touchBytesPerNode * machine.nodeCount();
            Region region = machine.map(RegionSpec.of("scale", bytes, Placement.interleavedRange(0, machine.nodeCount())));
            NodeAccess npu0 = machine.node(0);
            MemorySegment ones = Arena.ofAuto().allocate(1 << 20).fill((byte) 1);
            for (long at = 0; at < bytes; at += ones.byteSize()) {
                npu0.write(ones, 0, region.address(at), Math.min(ones.byteSize(), bytes - at));
            }
            long rssTouched = ProcessMemory.residentBytes();
            SplittableRandom random = new SplittableRandom(seed);
            long[] addresses = IntStream.range(0, 4096).mapToLong(i -> region.address(random.nextLong(bytes / 8) * 8)).toArray();
            long warm = region.address(0);
            long randomNanos = 0;
            long warmNanos = 0;
            // Three rounds, the last one timed: the first rounds let the JIT compile the loops, as JMH's warm-up does.
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                sink += randomLoads(npu0, addresses, plan.loadsPerSize());
                randomNanos = System.nanoTime() - t0;
                t0 = System.nanoTime();
                sink += warmLoads(npu0, warm, plan.loadsPerSize());
                warmNanos = System.nanoTime() - t0;
            }
            double perRandom = randomNanos / (double) plan.loadsPerSize();
            double perWarm = warmNanos / (double) plan.loadsPerSize();
            if (nodes == 384) {
                warmLoadNanos = perWarm;
            }
            return List.of(String.valueOf(nodes), config.name(), ByteSize.format(config.nominalMemoryBytes()),
                    String.format(Locale.ROOT, "%.1f ms", bootNanos / 1e6), ByteSize.format(rssBoot), ByteSize.format(bytes),
                    ByteSize.format(rssTouched), number(perRandom) + " ns", number(perWarm) + " ns");
        }
    }

    /** Host ns per warm-page remote load on the 384-node preset, as the last 384-node row measured it (NaN before). */
    double warmLoadNanos() {
        return warmLoadNanos;
    }

    /** {@code count} loads cycling over {@code addresses}; small, so the JIT compiles it whole. */
    private static long randomLoads(NodeAccess node, long[] addresses, int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += node.loadLong(addresses[i & (addresses.length - 1)]);
        }
        return sum;
    }

    /** {@code count} loads cycling over one 64 KiB page from {@code base}, as ScalarLoadBenchmark does. */
    private static long warmLoads(NodeAccess node, long base, int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += node.loadLong(base + 8L * (i & 8191));
        }
        return sum;
    }
}
