package io.supernode.cli;

import io.supernode.bench.report.OutputFiles;
import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.run.CollectiveReport;
import io.supernode.collectives.run.CollectiveResult;
import io.supernode.collectives.run.CollectiveSpec;
import io.supernode.collectives.run.Collectives;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.SizeSweep;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/** {@code supernode collective}: an nccl-tests-style sweep of one collective on both paths. */
@Command(name = "collective", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sweep one collective over sizes as nccl-tests does, on the unified path (put-with-signal into "
                + "the peers' buffers) and the copy path (send/receive through the copy stack) side by side: modeled "
                + "time, algbw and busbw (GB/s, nccl-tests' bus factors) and #wrong, the elements that differ bit for "
                + "bit from a reference computed in the algorithm's order.")
public final class CollectiveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PresetOption preset;

    @Option(names = {"-o", "--op"}, paramLabel = "OP", defaultValue = "all_reduce",
            description = "all_reduce, reduce_scatter, all_gather, alltoall, broadcast, reduce or barrier (default: ${DEFAULT-VALUE}).")
    String op;

    @Option(names = {"-b", "--minbytes"}, paramLabel = "SIZE", defaultValue = "8", description = "Smallest size (default: ${DEFAULT-VALUE}).")
    String minBytes;

    @Option(names = {"-e", "--maxbytes"}, paramLabel = "SIZE", defaultValue = "128M",
            description = "Largest size, e.g. 8G (default: ${DEFAULT-VALUE}).")
    String maxBytes;

    @Option(names = {"-f", "--stepfactor"}, paramLabel = "N", defaultValue = "2", description = "Multiply the size by N (default: ${DEFAULT-VALUE}).")
    long stepFactor;

    @Option(names = {"-i", "--stepbytes"}, paramLabel = "SIZE", defaultValue = "0",
            description = "Add SIZE instead of multiplying, when not 0 (default: ${DEFAULT-VALUE}).")
    String stepBytes;

    @Option(names = {"-d", "--datatype"}, paramLabel = "TYPE", defaultValue = "float",
            description = "float, bfloat16, half, or int8 for operations that do not reduce (default: ${DEFAULT-VALUE}).")
    String dataType;

    @Option(names = "--redop", paramLabel = "OP", defaultValue = "sum", description = "sum, or max for float (default: ${DEFAULT-VALUE}).")
    String redop;

    @Option(names = {"-r", "--root"}, paramLabel = "RANK", defaultValue = "0", description = "Root of broadcast and reduce (default: ${DEFAULT-VALUE}).")
    int root;

    @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "auto",
            description = "ring, direct; all-reduce also two_shot, tree, rhd (power-of-two teams), hierarchical (teams "
                    + "of whole first-tier domains), nvls (switches that reduce, unified path); or auto: the least "
                    + "modeled time, as NCCL's tuner picks (default: ${DEFAULT-VALUE}).")
    String algo;

    @Option(names = "--proto", paramLabel = "PROTO", defaultValue = "auto", description = "simple, ll, or auto (default: ${DEFAULT-VALUE}).")
    String proto;

    @Option(names = "--paths", paramLabel = "PATH", defaultValue = "both",
            description = "unified, copy, or both (default: ${DEFAULT-VALUE}).")
    String path;

    /** {@code --path}, the singular other commands' users type, kept out of the help so one name is shown. */
    @Option(names = "--path", hidden = true)
    void singularPath(String value) {
        this.path = value;
    }

    @Option(names = "--nodes", paramLabel = "N", description = "Ranks on nodes 0..N-1 (default: every node of the machine).")
    Integer nodes;

    @Option(names = "--team", paramLabel = "START:STRIDE:SIZE",
            description = "Ranks on nodes START, START+STRIDE, ... (SIZE of them), as a strided team split.")
    String team;

    @Mixin
    CopyStackOption copyStack;

    @Option(names = "--payload-cap", paramLabel = "SIZE", defaultValue = "1MiB",
            description = "Most bytes of a rank's largest buffer the host really moves; larger sizes run the same "
                    + "schedule on fewer elements and the fabric is charged for the full size (default: ${DEFAULT-VALUE}).")
    String payloadCap;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seeds the inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TableFiles tableFiles;

    @Option(names = "--plot", paramLabel = "DIR", description = "Also write busbw against size (log-log, both paths) as PNG and SVG to DIR.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        tableFiles.requireWritable();
        OutputFiles.requireWritableFolder("--plot", plot);
        Op operation = Op.byName(op);
        if (operation == Op.BARRIER && plot != null) {
            throw new ConfigFault("--plot draws bus bandwidth against size, and a barrier has neither");
        }
        DataType type = DataType.byName(dataType);
        ReduceOp reduction = ReduceOp.byName(redop);
        Algorithm algorithm = algo.equalsIgnoreCase("auto") ? null : Algorithm.byName(algo);
        Protocol protocol = proto.equalsIgnoreCase("auto") ? null : Protocol.byName(proto);
        List<Transport> transports = Transport.listed(path);
        List<Long> sweep = SizeSweep.sizes(ByteSize.parse(minBytes).bytes(), ByteSize.parse(maxBytes).bytes(), stepFactor,
                ByteSize.parse(stepBytes).bytes());
        // A barrier has no size: one run.
        List<Long> sizes = operation == Op.BARRIER ? List.of(sweep.getFirst()) : sweep;
        long cap = ByteSize.parse(payloadCap).bytes();
        CollectiveSpec base = new CollectiveSpec(operation, type, reduction, root, sizes.getFirst(), algorithm, protocol,
                cap, seed);
        SupernodeConfig config = preset.config();
        Team ranks = team(config.topology().nodeCount());
        Collectives.requireHostFits(ranks.size(), base.withSize(sizes.getLast()));
        CopyStack stack = copyStack.stack(config);
        PrintWriter out = spec.commandLine().getOut();
        List<CollectiveResult> results = new ArrayList<>();
        try (Supernode machine = Supernode.boot(config)) {
            MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
            out.printf(Locale.ROOT, "# %s, %s, %s, root %d, on %d ranks of %s; copy path %s%n", operation.ncclName(),
                    type.ncclName(), operation.reduces() ? reduction.ncclName() : "no reduction", root, ranks.size(),
                    config.name(), stack.label());
            try (Progress progress = Progress.start("collective", (long) sizes.size() * transports.size(), "runs")) {
                LongConsumer step = progress.stepper();
                for (long size : sizes) {
                    for (Transport transport : transports) {
                        results.add(Collectives.run(machine, plane, ranks, base.withSize(size), transport));
                        step.accept(results.size());
                    }
                }
            }
        }
        out.print(table(results, transports));
        long capped = results.stream().filter(CollectiveResult::capped).count();
        long wrong = results.stream().mapToLong(CollectiveResult::wrong).sum();
        out.print(operation == Op.BARRIER ? "# time is modeled; a barrier moves no data, so it has no bandwidth\n"
                : String.format(Locale.ROOT, "# time is modeled; algbw = size / time, busbw = algbw x %s as nccl-tests "
                + "reports it%n", operation.busFactorFormula()));
        out.printf(Locale.ROOT, "# #wrong: elements unlike the reference, bit for bit, over the bytes moved: %d in all%n", wrong);
        if (capped > 0) {
            out.printf(Locale.ROOT, "# payload capped at %s per buffer in %d runs: the same schedule runs on fewer%n"
                    + "# elements and the fabric is charged for the full size%n", ByteSize.format(cap), capped);
        }
        tableFiles.write(out, () -> CollectiveReport.csv(results), () -> CollectiveReport.json(results));
        if (plot != null) {
            CollectivePlots.busBandwidth(results, operation.ncclName() + " on " + ranks.size() + " ranks of " + config.name(),
                    plot).forEach(f -> out.println("wrote " + f));
        }
        return wrong == 0 ? 0 : 1;
    }

    private Team team(int machineNodes) {
        if (team != null) {
            if (nodes != null) {
                throw new ConfigFault("--team and --nodes both choose the ranks; give one");
            }
            String[] parts = team.split(":");
            if (parts.length != 3) {
                throw new ConfigFault("--team must be START:STRIDE:SIZE, got '" + team + "'");
            }
            try {
                return Team.world(machineNodes).split(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new ConfigFault("--team must be three whole numbers START:STRIDE:SIZE, got '" + team + "'");
            }
        }
        int size = nodes != null ? nodes : machineNodes;
        if (size < 1 || size > machineNodes) {
            throw new ConfigFault("--nodes must be 1.." + machineNodes + " on this machine, got " + size);
        }
        return Team.world(size);
    }

    private static String bandwidth(CollectiveResult r, double gbPerSecond) {
        return r.spec().op() == Op.BARRIER ? "-" : String.format(Locale.ROOT, "%.2f", gbPerSecond);
    }

    /** One line per size and path, the copy line with its time against the unified one: fits 100 columns. */
    private static String table(List<CollectiveResult> results, List<Transport> transports) {
        boolean both = transports.size() == 2;
        List<String> header = new ArrayList<>(List.of("size", "count", "path", "algo", "time us", "algbw", "busbw", "#wrong"));
        if (both) {
            header.add("x unified");
        }
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (int i = 0; i < results.size(); i++) {
            CollectiveResult r = results.get(i);
            boolean first = i % transports.size() == 0;
            List<Object> row = new ArrayList<>(List.of(first ? String.valueOf(r.spec().sizeBytes()) : "",
                    first ? String.valueOf(r.count()) : "", r.transport().name().toLowerCase(Locale.ROOT),
                    r.algorithm().name().toLowerCase(Locale.ROOT) + "/" + r.protocol().name(),
                    String.format(Locale.ROOT, "%.1f", r.modeledNanos() / 1e3),
                    bandwidth(r, r.algBwGBps()), bandwidth(r, r.busBwGBps()), r.wrong()));
            if (both) {
                CollectiveResult unified = results.get(i - i % 2);
                row.add(first || unified.modeledNanos() == 0 ? ""
                        : String.format(Locale.ROOT, "%.1fx", r.modeledNanos() / (double) unified.modeledNanos()));
            }
            table.row(row.toArray());
        }
        return table.toString();
    }
}
