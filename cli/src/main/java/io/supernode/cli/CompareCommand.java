package io.supernode.cli;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;
import io.supernode.bench.compare.Sweep;
import io.supernode.bench.compare.SweepRow;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code supernode compare}: the unified-vs-copy sweep. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sweep transfer sizes x access methods x fabric pairs: unified load/store against "
                + "copy-based send/recv, RPC and one-sided get on the same machine shape. Prints modeled latency "
                + "and bandwidth, wire bytes, messages and host time per operation.")
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", paramLabel = "SIZE", split = ",",
            description = "Transfer sizes, e.g. 8,4KiB,1MiB (default: 8 B to 4 MiB in steps of 8x).")
    List<String> sizes;

    @Option(names = "--paths", paramLabel = "PATH", split = ",",
            description = "Paths: unified-load, unified-copy, send-recv, rpc (or rpc-read), one-sided (or one-sided-get), "
                    + "any case (default: all).")
    List<String> methods;

    @Option(names = {"--fabric", "--pairs"}, paramLabel = "PAIR", split = ",",
            description = "Load/store fabrics and copy stacks, as kv and embedding name them: ub-vs-roce, nvlink4-vs-ib, "
                    + "cxl-vs-roce, dgx-vs-ib, any case (default: all; --pairs is the older name).")
    List<String> pairs;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seed of the runs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TableFiles tableFiles;

    @Option(names = "--markdown", description = "Print markdown tables instead of aligned text.")
    boolean markdown;

    @Override
    public Integer call() throws IOException {
        tableFiles.requireWritable();
        PrintWriter out = spec.commandLine().getOut();
        List<Long> sizeList = sizes == null ? Sweep.DEFAULT_SIZES : sizes.stream().map(s -> ByteSize.parse(s).bytes()).toList();
        for (long size : sizeList) {
            if (size < 8 || size > (256L << 20)) {
                throw new ConfigFault("--sizes: " + ByteSize.format(size) + " is outside 8 B .. 256 MiB");
            }
        }
        List<FabricPair> pairList = pairs == null ? FabricPair.all() : pairs.stream().map(FabricPair::byName).toList();
        List<PathKind> methodList = methods == null ? Sweep.PATHS : methods.stream().map(CompareCommand::sweepPath).toList();
        int total = pairList.size() * sizeList.size() * methodList.size();
        int[] done = {0};
        List<SweepRow> rows;
        try (Progress progress = Progress.start("compare", total, "cells")) {
            var step = progress.stepper();
            rows = Sweep.run(pairList, methodList, sizeList, seed, row -> step.accept(++done[0]));
        }
        out.print(markdown ? Sweep.markdown(rows) : table(rows));
        tableFiles.write(out, () -> Sweep.csv(rows), () -> Sweep.json(rows));
        return 0;
    }

    /** Aligned text: one table per pair, modeled latency (bandwidth from 32 KiB) per size and method. */
    static String table(List<SweepRow> rows) {
        StringBuilder out = new StringBuilder();
        for (String pair : rows.stream().map(SweepRow::pair).distinct().toList()) {
            FabricPair p = FabricPair.byName(pair);
            List<SweepRow> mine = rows.stream().filter(r -> r.pair().equals(pair)).toList();
            List<PathKind> methods = mine.stream().map(SweepRow::method).distinct().toList();
            List<String> header = new ArrayList<>(List.of("size"));
            methods.forEach(m -> header.add(m.label()));
            TextTable table = new TextTable(header.toArray(String[]::new));
            for (long size : mine.stream().map(SweepRow::sizeBytes).distinct().toList()) {
                List<Object> cells = new ArrayList<>(List.of(ByteSize.format(size)));
                for (PathKind m : methods) {
                    mine.stream().filter(r -> r.sizeBytes() == size && r.method() == m).findFirst().ifPresent(r ->
                            cells.add(Units.nanos(r.latencyNanos())
                                    + (size >= 32_768 ? " " + Units.gbPerSecond(r.bytesPerSecond()) : "")));
                }
                table.row(cells.toArray());
            }
            out.append(Prose.wrap(p.label() + ": " + p.describe() + " (modeled latency, bandwidth from 32 KiB)"))
                    .append('\n').append(table).append('\n');
        }
        return out.toString();
    }

    /** The path {@code name} names, if the sweep can run it. */
    private static PathKind sweepPath(String name) {
        PathKind path = PathKind.byName(name);
        if (!Sweep.PATHS.contains(path)) {
            throw new ConfigFault("--paths: the sweep runs " + Sweep.PATHS + ", not " + path
                    + " (coherent regions need a coherence domain)");
        }
        return path;
    }
}
