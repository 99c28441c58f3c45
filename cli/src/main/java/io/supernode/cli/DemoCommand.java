package io.supernode.cli;

import io.supernode.embedding.EmbeddingRuns;
import io.supernode.bench.report.OutputFiles;
import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.address.Translation;
import io.supernode.gas.path.FabricPair;
import io.supernode.bench.compare.Sweep;
import io.supernode.bench.compare.SweepRow;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.OpKind;
import io.supernode.gas.stats.OpStats;
import io.supernode.gas.stats.ProcessMemory;
import io.supernode.gas.stats.Units;
import io.supernode.gas.stats.StatsReport;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code supernode demo}: the first-run tour. Boots a machine, maps a region across every node,
 * shows where addresses land and what remote loads, stores, atomics, bulk copies, views and a page
 * migration cost in modeled time, and ends with the stats.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A short tour of the global address space: address translation of remote accesses, "
                + "modeled costs of loads, stores, atomics, bulk copies and views, a page migration, the "
                + "unified-vs-copy table, a pooled KV-cache replay on three paths, an embedding-table run on three paths, and the stats.")
public final class DemoCommand implements Callable<Integer> {

    private static final long REGION_BYTES = 1L << 30;

    @Spec
    CommandSpec spec;

    @Mixin
    PresetOption preset;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the final stats as JSON to FILE.")
    Path json;

    @Option(names = "--csv", paramLabel = "DIR", description = "Also write the final stats as ops.csv, nodes.csv and links.csv in DIR.")
    Path csv;

    @Override
    public Integer call() throws IOException {
        OutputFiles.requireWritableFile("--json", json);
        OutputFiles.requireWritableFolder("--csv", csv);
        SupernodeConfig config = preset.config();
        PrintWriter out = spec.commandLine().getOut();
        try (Supernode machine = Supernode.boot(config)) {
            tour(out, machine);
            StatsReport stats = machine.stats();
            compare(out, config.seed());
            kvPooling(out, config.seed());
            embedding(out, config.seed());
            printStats(out, machine, stats);
            if (json != null) {
                OutputFiles.writeAndSay(out, json, stats.toJson());
            }
            if (csv != null) {
                OutputFiles.write(csv.resolve("ops.csv"), stats.opsCsv());
                OutputFiles.write(csv.resolve("nodes.csv"), stats.nodesCsv());
                OutputFiles.write(csv.resolve("links.csv"), stats.linksCsv());
                out.println("wrote ops.csv, nodes.csv and links.csv in " + csv);
            }
        }
        return 0;
    }

    private static void tour(PrintWriter out, Supernode machine) {
        SupernodeConfig config = machine.config();
        Topology t = machine.topology();
        String npu = t.nodeNoun();
        int nodes = machine.nodeCount();
        int last = nodes - 1;
        int sameGroup = Math.min(1, last);
        int otherGroup = t.twoTier() ? t.nodesPerGroup() : last;

        out.printf("== 1. Boot ==%n%s: %s%n", config.name(), t.describe());
        out.printf("booted in %s (host); %s nominal memory reserved, %s resident in this JVM%n%n",
                Units.nanos(machine.bootNanos()), ByteSize.format(config.nominalMemoryBytes()),
                ByteSize.format(ProcessMemory.residentBytes()));

        Region pool = machine.map(RegionSpec.of("pool", REGION_BYTES, Placement.interleavedRange(0, nodes)));
        long page = pool.pageSizeBytes();
        out.printf("== 2. One address space ==%n%s%n", Prose.wrap(String.format(Locale.ROOT,
                "mapped %s interleaved over all %d %ss, one %s page each in turn", pool, nodes, npu, ByteSize.format(page))));
        TextTable translations = new TextTable("global address", "page", npu, t.groupNoun(), "physical offset");
        for (int p : new int[] {0, sameGroup, otherGroup, last, nodes}) {
            Translation tr = machine.addressSpace().translate(pool.address(p * page + 0x40));
            translations.row(GlobalAddress.format(tr.address()), tr.pageIndex(), tr.node(),
                    t.groupOf(tr.node()), "0x" + Long.toHexString(tr.physicalOffset()));
        }
        out.print(translations);
        out.println();

        NodeAccess npu0 = machine.node(0);
        out.printf("== 3. Loads from %s 0 ==%n", npu);
        TextTable loads = new TextTable("target", "route", "first load (page walk)", "second load");
        for (int target : new int[] {0, sameGroup, otherGroup, last}) {
            long address = pool.address(target * page);
            long t0 = npu0.clock().nowNanos();
            npu0.loadLong(address);
            long t1 = npu0.clock().nowNanos();
            npu0.loadLong(address);
            long t2 = npu0.clock().nowNanos();
            loads.row(npu + " " + target, InfoCommand.routeName(t.routeClass(0, target), t), Units.nanos(t1 - t0),
                    Units.nanos(t2 - t1));
        }
        out.print(loads);
        out.println();

        out.printf("== 4. Stores, a fence, atomics ==%n");
        long farSlot = pool.address(last * page + 0x100);
        long before = npu0.clock().nowNanos();
        for (int i = 0; i < 64; i++) {
            npu0.storeLong(farSlot + 8L * i, i);
        }
        long issued = npu0.clock().nowNanos();
        npu0.fence();
        long fenced = npu0.clock().nowNanos();
        out.printf("%s 0 posts 64 stores to %s %d in %s, and its fence waits %s more for them to complete%n",
                npu, npu, last, Units.nanos(issued - before), Units.nanos(fenced - issued));
        long counter = pool.address(otherGroup * page + 0x800);
        int adders = Math.min(8, nodes);
        for (int node = 0; node < adders; node++) {
            NodeAccess a = machine.node(node);
            for (int i = 0; i < 1000; i++) {
                a.getAndAddLong(counter, 1);
            }
        }
        OpStats atomics = machine.stats().total(OpKind.ATOMIC);
        out.printf("%d %ss fetch-add a counter on %s %d 1000 times each: it reads %d; %s per atomic on average%n%n",
                adders, npu, npu, otherGroup, npu0.loadLong(counter),
                Units.nanos(atomics.modeledNanos() / (double) atomics.ops()));

        out.printf("== 5. Bulk copy and a zero-copy view ==%n");
        Region block = machine.map(RegionSpec.of("block", 4 << 20, Placement.onNode(last)));
        MemorySegment local = Arena.ofAuto().allocate(block.sizeBytes());
        local.fill((byte) 7);
        NodeAccess owner = machine.node(last);
        owner.write(local, 0, block.baseAddress(), block.sizeBytes());
        long c0 = npu0.clock().nowNanos();
        long h0 = System.nanoTime();
        npu0.read(block.baseAddress(), local, 0, block.sizeBytes());
        long hostNanos = System.nanoTime() - h0;
        long modeled = npu0.clock().nowNanos() - c0;
        out.printf("%s 0 reads 4 MiB from %s %d: modeled %s (%s); host %s (%s)%n", npu, npu, last,
                Units.nanos(modeled), Units.gbPerSecond(block.sizeBytes() * 1e9 / modeled),
                Units.nanos(hostNanos), Units.gbPerSecond(block.sizeBytes() * 1e9 / Math.max(1, hostNanos)));
        long v0 = npu0.clock().nowNanos();
        MemorySegment view = npu0.view(block.address(1 << 20), 64 << 10);
        long sum = 0;
        for (long i = 0; i < view.byteSize(); i++) {
            sum += view.get(ValueLayout.JAVA_BYTE, i);
        }
        out.printf("a 64 KiB view of it, no copy: byte sum %d, charged %s as a read%n%n", sum,
                Units.nanos(npu0.clock().nowNanos() - v0));

        out.printf("== 6. Page migration ==%n");
        long hot = pool.address(last * page);
        long m0 = npu0.clock().nowNanos();
        npu0.loadLong(hot);
        long remote = npu0.clock().nowNanos() - m0;
        machine.addressSpace().migratePage(hot, 0);
        npu0.loadLong(hot);
        long m1 = npu0.clock().nowNanos();
        npu0.loadLong(hot);
        long local0 = npu0.clock().nowNanos() - m1;
        out.printf("page %d moves from %s %d to %s 0; its address stays %s and still reads %d;%n"
                        + "a load of it now costs %s instead of %s%n%n", last, npu, last, npu,
                GlobalAddress.format(hot), npu0.loadLong(farSlot + 8), Units.nanos(local0),
                Units.nanos(remote));
    }

    private static void compare(PrintWriter out, long seed) {
        out.printf("== 7. Unified vs copy ==%n");
        out.println("the same reads over UB load/store and over RoCE with host staging (see 'supernode compare'):");
        List<SweepRow> rows = Sweep.run(List.of(FabricPair.UB_VS_ROCE), Sweep.PATHS,
                List.of(8L, 4096L, 1L << 20), seed, row -> { });
        out.print(CompareCommand.table(rows));
    }

    private static void kvPooling(PrintWriter out, long seed) {
        out.printf("== 8. A pooled KV cache ==%n");
        out.println(Prose.wrap("400 generated chat requests on 8 nodes, sent round-robin, 32k tokens of KV per node: stacked "
                + "servers reuse only their own blocks, a pooled cache reuses any node's (see 'supernode kv', and "
                + "--router cache-aware to narrow the gap):"));
        TraceLoad load = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(seed).withRequests(400));
        ReplayOptions options = ReplayOptions.builder().router(RouterPolicy.ROUND_ROBIN).capacityTokensPerNode(32_000)
                .seed(seed).build();
        List<ReplayResult> results = Replay.sideBySide(load, options, List.of(ServingSetup.values()), done -> { });
        out.print(KvCommand.summary(load, options, results));
        out.println();
    }

    private static void embedding(PrintWriter out, long seed) {
        out.printf("== 9. Embedding tables ==%n");
        out.println(Prose.wrap("8 tables x 100k rows x 64 floats table-wise on 8 nodes, 5 batches of 1,024 bags of 20 "
                + "Zipf-1.3 ids: loads move every row, the copy path only ids and pooled vectors, a coherent row cache "
                + "keeps the hot rows (see 'supernode embedding'):"));
        EmbeddingConfig config = EmbeddingConfig.DEFAULT.withRows(100_000).withShape(8, 8, 1024, 20, 5).withZipf(1.3)
                .withCacheLines(1 << 18).withMachine(64, FabricPair.UB_VS_ROCE, seed);
        List<EmbeddingResult> results = EmbeddingRuns.runAll(config, List.of(EmbeddingSetup.values()),
                List.of(config.cacheLinesPerNode()), done -> { });
        out.print(EmbeddingCommand.table(results));
        out.println(results.stream().mapToLong(EmbeddingResult::outputDigest).distinct().count() == 1
                ? "every path pooled the same outputs, bit for bit" : "the paths' pooled outputs DIFFER");
        out.println();
    }

    private static void printStats(PrintWriter out, Supernode machine, StatsReport stats) {
        out.printf("== 10. Stats (modeled fabric time vs host time the emulator spent) ==%n");
        TextTable ops = new TextTable("operation", "ops", "bytes", "modeled", "host");
        for (OpKind kind : OpKind.values()) {
            OpStats s = stats.total(kind);
            if (s.ops() > 0) {
                ops.row(kind, s.ops(), ByteSize.format(s.bytes()), Units.nanos(s.modeledNanos()),
                        s.hostNanos() == 0 ? "-" : Units.nanos(s.hostNanos()));
            }
        }
        out.print(ops);
        out.println(Prose.wrap("(host time is measured for transfers of 4 KiB and more; smaller ops are too cheap to time "
                + "one by one)"));
        out.println();
        TextTable links = new TextTable("busiest links", "bytes", "busy (bulk)", "bulk transfers");
        stats.links().stream().sorted(Comparator.comparingLong(StatsReport.LinkRow::bytes).reversed()).limit(6)
                .forEach(l -> links.row(l.name(), ByteSize.format(l.bytes()), Units.nanos(l.busyNanos()), l.transfers()));
        out.print(links);
        out.printf("%d of %d nodes issued operations; resident memory now %s%n", stats.nodes().size(),
                machine.nodeCount(), ByteSize.format(ProcessMemory.residentBytes()));
    }
}
