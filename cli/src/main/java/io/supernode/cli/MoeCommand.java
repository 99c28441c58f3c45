package io.supernode.cli;

import io.supernode.bench.report.OutputFiles;
import io.supernode.collectives.moe.ExpertParallel;
import io.supernode.collectives.moe.MoeMode;
import io.supernode.collectives.moe.MoeReport;
import io.supernode.collectives.moe.MoeResult;
import io.supernode.collectives.moe.MoeSpec;
import io.supernode.collectives.moe.Routing;
import io.supernode.collectives.moe.ServingStep;
import io.supernode.collectives.moe.StepReport;
import io.supernode.collectives.moe.StepResult;
import io.supernode.collectives.moe.TokenFormat;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;
import picocli.CommandLine;
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

/** {@code supernode moe}: expert-parallel dispatch and combine in DeepEP's terms, on both paths, over EP sizes. */
@Command(name = "moe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Mixture-of-experts dispatch and combine as DeepEP's kernels do them, over expert-parallel sizes, "
                + "on the unified path (stores into the peers' buffers; RDMA writes between stacked servers) and the copy "
                + "path (messages through the copy stack): modeled time per phase, DeepEP's bandwidth per rank, bytes per "
                + "link class and messages, and #wrong, the combined channels that differ bit for bit from a single-node "
                + "reference.")
public final class MoeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PresetOption preset;

    @Option(names = "--ep", paramLabel = "N,N,...", split = ",",
            description = "Expert-parallel sizes, ranks on nodes 0..N-1 (default: 8, 16, 32, ... up to the machine's "
                    + "nodes, those the experts spread over evenly).")
    List<Integer> epSizes;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "both",
            description = "normal (throughput kernels), low-latency, or both (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--paths", paramLabel = "PATH", defaultValue = "both",
            description = "unified, copy, or both (default: ${DEFAULT-VALUE}).")
    String path;

    /** {@code --path}, the singular other commands' users type, kept out of the help so one name is shown. */
    @Option(names = "--path", hidden = true)
    void singularPath(String value) {
        this.path = value;
    }

    @Option(names = "--tokens", paramLabel = "N",
            description = "Tokens per rank (default: DeepEP's, 4096 in normal mode and 128 in low-latency mode).")
    Integer tokens;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "7168",
            description = "Channels per token, a multiple of 128 (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--topk", paramLabel = "K", defaultValue = "8", description = "Experts per token (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--experts", paramLabel = "N", defaultValue = "256",
            description = "Routed experts, spread evenly over the ranks (default: ${DEFAULT-VALUE}).")
    int experts;

    @Option(names = "--routing", paramLabel = "ROUTING", defaultValue = "groups:4",
            description = "uniform; zipf:S (the i-th most popular expert picked in proportion to 1/i^S); or groups:M "
                    + "(DeepSeek-V3's: each token's experts on at most M servers or boards) (default: ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--dispatch", paramLabel = "FORMAT", defaultValue = "fp8",
            description = "Dispatch format: fp8 or int8 (with a float scale per 128 channels) or bf16; combine is "
                    + "bf16 (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    CopyStackOption copyStack;

    @Option(names = "--real-tokens", paramLabel = "N", defaultValue = "32",
            description = "Most tokens per rank moved and computed for real (fewer when 1 GiB of buffers over all ranks "
                    + "needs it); the fabric is charged for every token (default: ${DEFAULT-VALUE}).")
    int realTokens;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seeds the routing, the tokens and the experts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--step", paramLabel = "KIND",
            description = "Instead of the kernels alone, model a serving step of an MoE model: decode (one token per "
                    + "sequence, low-latency kernels) or prefill (prompt tokens, normal kernels): time per step, tokens/s "
                    + "per accelerator, and where one MoE layer's time goes.")
    String step;

    @Option(names = "--batch", paramLabel = "N",
            description = "With --step: sequences per rank (decode, default 128) or prompt tokens per rank (prefill, "
                    + "default 4096).")
    Integer batch;

    @Option(names = "--context", paramLabel = "N", defaultValue = "4096",
            description = "With --step: tokens cached per sequence (decode) or per prompt (prefill) (default: "
                    + "${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "deepseek-v3",
            description = "With --step: deepseek-v3 (or deepseek-r1, the same shape), qwen3-235b-a22b, or a Hugging Face "
                    + "style config.json of a mixture-of-experts model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hardware", paramLabel = "NAME|FILE",
            description = "With --step: h800, h100, a800, b200, ascend-910c, or a JSON file (name, bf16Tflops, eightBitTflops, "
                    + "hbmTBps, hbmGB, mfu, bandwidthUtilization, source) (default: the preset's accelerator).")
    String hardware;

    @Option(names = "--no-overlap", description = "With --step: run the batch whole instead of as two micro-batches "
            + "whose communication overlaps the other's compute.")
    boolean noOverlap;

    @Mixin
    TableFiles tableFiles;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also write dispatch and combine time against EP size (both paths) as PNG and SVG to DIR.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        tableFiles.requireWritable();
        OutputFiles.requireWritableFolder("--plot", plot);
        rejectFlagsOfTheOtherKind();
        if (step != null) {
            return servingStep();
        }
        List<MoeMode> modes = mode.equalsIgnoreCase("both") ? List.of(MoeMode.values()) : List.of(MoeMode.byName(mode));
        List<Transport> transports = Transport.listed(path);
        Routing chosenRouting = Routing.byName(routing);
        TokenFormat dispatchFormat = TokenFormat.byName(format);
        List<MoeSpec> specs = new ArrayList<>();
        for (MoeMode m : modes) {
            MoeSpec.Builder builder = MoeSpec.builder(m).hidden(hidden).topK(topK).experts(experts).routing(chosenRouting)
                    .format(dispatchFormat).maxRealTokens(realTokens).seed(seed);
            if (tokens != null) {
                builder.tokensPerRank(tokens);
            }
            specs.add(builder.build());
        }
        SupernodeConfig config = preset.config();
        List<Integer> sizes = sizes(config.topology().nodeCount(), experts);
        CopyStack stack = copyStack.stack(config);
        PrintWriter out = spec.commandLine().getOut();
        List<MoeResult> results = new ArrayList<>();
        try (Supernode machine = Supernode.boot(config)) {
            MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
            MoeSpec first = specs.getFirst();
            out.printf(Locale.ROOT, "# moe dispatch and combine on %s: hidden %d, top-%d of %d experts, routing %s,%n"
                            + "#   %s dispatch, bf16 combine; copy path %s%n", config.name(), first.hidden(), first.topK(),
                    first.experts(), first.routing().label(), first.format().label(), stack.label());
            try (Progress progress = Progress.start("moe", (long) specs.size() * sizes.size() * transports.size(), "runs")) {
                LongConsumer step = progress.stepper();
                for (MoeSpec s : specs) {
                    for (int ep : sizes) {
                        for (Transport transport : transports) {
                            results.add(ExpertParallel.run(machine, plane, Team.world(ep), s, transport));
                            step.accept(results.size());
                        }
                    }
                }
            }
        }
        out.print(table(results));
        long wrong = results.stream().mapToLong(MoeResult::wrong).sum();
        out.print(notes(results, wrong));
        tableFiles.write(out, () -> MoeReport.csv(results), () -> MoeReport.json(results));
        if (plot != null) {
            MoePlots.times(results, "dispatch and combine on " + config.name(), plot).forEach(f -> out.println("wrote " + f));
        }
        return wrong == 0 ? 0 : 1;
    }

    private int servingStep() throws IOException {
        StepResult.StepKind kind = switch (step.trim().toLowerCase(Locale.ROOT)) {
            case "decode" -> StepResult.StepKind.DECODE;
            case "prefill" -> StepResult.StepKind.PREFILL;
            default -> throw new ConfigFault("--step must be decode or prefill, got '" + step + "'");
        };
        ModelProfile modelProfile = ModelProfile.byNameOrFile(model);
        SupernodeConfig config = preset.config();
        HardwareProfile accelerator = HardwareProfile.byNameOrFile(hardware != null ? hardware : acceleratorOf(config));
        int perRank = batch != null ? batch : kind == StepResult.StepKind.DECODE ? 128 : 4096;
        List<Transport> transports = Transport.listed(path);
        Routing chosenRouting = Routing.byName(routing);
        List<Integer> sizes = sizes(config.topology().nodeCount(), modelProfile.experts().routed());
        CopyStack stack = copyStack.stack(config);
        PrintWriter out = spec.commandLine().getOut();
        List<StepResult> results = new ArrayList<>();
        try (Supernode machine = Supernode.boot(config)) {
            MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
            out.printf(Locale.ROOT, "# %s step of %s on %s (%s), %d %s per rank, context %d, routing %s,%n"
                            + "#   %s; copy path %s%n", kind.name().toLowerCase(Locale.ROOT), modelProfile.name(),
                    config.name(), accelerator.name(), perRank,
                    kind == StepResult.StepKind.DECODE ? "sequences" : "prompt tokens", context, chosenRouting.label(),
                    noOverlap ? "no overlap" : "two micro-batches overlapping communication and compute", stack.label());
            try (Progress progress = Progress.start("moe step", (long) sizes.size() * transports.size(), "runs")) {
                LongConsumer stepper = progress.stepper();
                for (int ep : sizes) {
                    for (Transport transport : transports) {
                        results.add(ServingStep.run(config.topology(), plane, Team.world(ep), modelProfile, accelerator,
                                kind, perRank, context, !noOverlap, chosenRouting, transport, seed));
                        stepper.accept(results.size());
                    }
                }
            }
        }
        TextTable table = new TextTable("EP", "path", "step ms", "tok/s/rank", "attn us", "expert us", "disp us",
                "comb us", "layer us", "weights GB", "fits");
        for (StepResult r : results) {
            table.row(r.ranks(), r.transport().name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.2f", r.stepMicros() / 1e3),
                    String.format(Locale.ROOT, "%.0f", r.tokensPerSecondPerRank()),
                    String.format(Locale.ROOT, "%.1f", r.attentionMicros()),
                    String.format(Locale.ROOT, "%.1f", r.expertsMicros()),
                    String.format(Locale.ROOT, "%.1f", r.dispatchMicros()),
                    String.format(Locale.ROOT, "%.1f", r.combineMicros()),
                    String.format(Locale.ROOT, "%.1f", r.moeLayerMicros()),
                    String.format(Locale.ROOT, "%.1f", (r.weightBytesPerRank() + r.kvBytesPerRank()) / 1e9),
                    r.fits() ? "yes" : "no");
        }
        out.print(table);
        out.printf(Locale.ROOT, "# modeled; step ms: every layer and the output head (decode: the time per output token);"
                + "%n#   attn, expert, disp, comb: one MoE layer's phases for the whole batch; layer: one MoE layer as"
                + "%n#   run; weights GB: weights and KV cache per rank, fits: within %.0f GB of HBM%n",
                accelerator.hbmBytes() / 1e9);
        tableFiles.write(out, () -> StepReport.csv(results), () -> StepReport.json(results));
        if (plot != null) {
            MoePlots.layerPhases(results, kind.name().toLowerCase(Locale.ROOT) + " step of " + modelProfile.name() + " on "
                    + config.name(), plot).forEach(f -> out.println("wrote " + f));
        }
        return 0;
    }

    /** Fails naming a flag given that the kind of run asked for (kernels, or --step) does not use. */
    private void rejectFlagsOfTheOtherKind() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> kernelsOnly = List.of("--mode", "--tokens", "--hidden", "--topk", "--experts", "--dispatch",
                "--real-tokens");
        List<String> stepOnly = List.of("--batch", "--model", "--hardware", "--no-overlap", "--context");
        for (String flag : step != null ? kernelsOnly : stepOnly) {
            if (parsed.hasMatchedOption(flag)) {
                throw new ConfigFault(flag + (step != null ? " sets the kernels alone; with --step the model profile "
                        + "gives the shapes" : " needs --step"));
            }
        }
    }

    /** The accelerator a preset's memory profile belongs to. */
    private static String acceleratorOf(SupernodeConfig config) {
        return switch (config.topology().memory().name()) {
            case "HBM-910C" -> "ascend-910c";
            case "HBM3e-B200" -> "b200";
            default -> config.topology().link().name().equals("NVLINK4_H800") ? "h800" : "h100";
        };
    }

    /** The EP sizes asked for, or powers of two from 8 that the machine holds and the experts spread over. */
    private List<Integer> sizes(int nodes, int experts) {
        if (epSizes != null) {
            for (int ep : epSizes) {
                if (ep < 1 || ep > nodes) {
                    throw new ConfigFault("--ep " + ep + " is not 1.." + nodes + " ranks on this machine");
                }
                if (experts % ep != 0) {
                    throw new ConfigFault("--ep " + ep + ": " + experts + " experts do not spread evenly over " + ep
                            + " ranks");
                }
            }
            return epSizes;
        }
        List<Integer> sizes = new ArrayList<>();
        for (int ep = 8; ep <= nodes; ep *= 2) {
            if (experts % ep == 0) {
                sizes.add(ep);
            }
        }
        if (sizes.isEmpty()) {
            throw new ConfigFault("no EP size from 8 up fits " + nodes + " nodes and " + experts + " experts; give --ep");
        }
        return sizes;
    }

    private static String table(List<MoeResult> results) {
        TextTable table = new TextTable("mode", "EP", "path", "route", "disp us", "GB/s", "comb us", "GB/s", "grp MB",
                "xgrp MB", "msgs", "#wrong");
        for (MoeResult r : results) {
            double perRankMb = 1e6 * r.ranks();
            table.row(r.spec().mode().label(), r.ranks(), MoeReport.transport(r), MoeReport.route(r),
                    String.format(Locale.ROOT, "%.1f", r.dispatch().meanNanos() / 1e3),
                    String.format(Locale.ROOT, "%.1f", r.dispatch().gbPerSecond()),
                    String.format(Locale.ROOT, "%.1f", r.combine().meanNanos() / 1e3),
                    String.format(Locale.ROOT, "%.1f", r.combine().gbPerSecond()),
                    String.format(Locale.ROOT, "%.1f", r.dispatch().sameGroupBytes() / perRankMb),
                    String.format(Locale.ROOT, "%.1f", r.dispatch().crossGroupBytes() / perRankMb),
                    (r.dispatch().messages() + r.ranks() - 1) / r.ranks(), r.wrong());
        }
        return table.toString();
    }

    private static String notes(List<MoeResult> results, long wrong) {
        StringBuilder notes = new StringBuilder();
        notes.append("# time is modeled: a rank's kernel from launch until all it moves is in place, mean over ranks\n");
        notes.append("# GB/s as DeepEP counts it, a rank's bytes over its time: normal direct, tokens received per rank\n"
                + "#   (own included); forwarded, tokens x servers per rank (own server included); low-latency,\n"
                + "#   token-expert pairs; dispatch at the format's size (+16 B header in low-latency), combine 2 B\n"
                + "#   per channel\n");
        notes.append("# grp / xgrp MB: dispatch bytes per rank inside a first-tier group / between groups; msgs: dispatch\n"
                + "#   puts (unified) or messages (copy) per rank; combine moves the same tokens back in bf16\n");
        notes.append(String.format(Locale.ROOT, "# #wrong: combined channels unlike the single-node reference, bit for bit:"
                + " %d in all%n", wrong));
        long capped = results.stream().filter(MoeResult::capped).count();
        if (capped > 0) {
            int fewest = results.stream().mapToInt(MoeResult::realTokens).min().orElse(0);
            notes.append(String.format(Locale.ROOT, "# real bytes: %d runs moved only each rank's first tokens (at least "
                    + "%d) for real;%n#   the fabric is charged for all%n", capped, fewest));
        }
        return notes.toString();
    }
}
