package io.supernode.cli;

import io.supernode.bench.report.Charts;
import io.supernode.bench.report.KvCharts;
import io.supernode.bench.report.OutputFiles;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.stats.Units;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayReport;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ReplayResult.BlockReuse;
import io.supernode.kvcache.serve.ReplayResult.ModeledTimes;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.tier.TierUse;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Lengths;
import io.supernode.kvcache.trace.MooncakeTraceReader;
import io.supernode.kvcache.trace.SharedPrefixOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code supernode kv}: replays a serving trace through the pooled KV cache, the three paths side by side. */
@Command(name = "kv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Replay LLM serving requests through a paged KV cache spread over the machine's nodes: "
                + "local-only (stacked servers), pooled-unified (remote blocks read in place by load/store) and "
                + "pooled-copy (remote blocks fetched by request and reply), side by side. Decode outputs must "
                + "agree on every path; hit rates, modeled TTFT, fabric bytes and messages differ.",
                "Reads a Mooncake JSONL trace with --trace, or generates multi-turn chat sessions without one."})
public final class KvCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "FILE", description = "A Mooncake JSONL trace (default: the generator).")
    Path trace;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Replay only the first N requests of the trace (default: all).")
    int limit;

    @Option(names = "--skip-malformed", description = "Skip and count malformed trace lines instead of stopping at the first.")
    boolean skipMalformed;

    @Option(names = "--tenant", paramLabel = "NAME", description = "Salt every trace key with this tenant's name.")
    String tenant;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "8", description = "Serving nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--paths", paramLabel = "PATH", split = ",",
            description = "Paths to replay: local-only, pooled-unified, pooled-copy (default: all three).")
    List<String> paths;

    /** {@code --path}, the singular a user may type, kept out of the help so one name is shown. */
    @Option(names = "--path", hidden = true, split = ",")
    void singularPaths(List<String> values) {
        this.paths = values;
    }

    @Option(names = "--capacity-tokens", paramLabel = "N|hbm", defaultValue = "hbm",
            description = "KV capacity of each node's HBM in tokens, e.g. 500k or 3M; hbm: what the accelerators' HBM "
                    + "holds beside the weights, 90 %% of it less the weights (default: ${DEFAULT-VALUE}).")
    String capacityTokens;

    @Option(names = "--dram-tokens", paramLabel = "N", converter = TokenCount.class, description = "A host DRAM tier "
            + "of N tokens per node, e.g. 4M: blocks HBM evicts or cannot take are kept there, and a hit promotes them "
            + "back; pooled paths read any node's (default: none).")
    Long dramTokens;

    @Option(names = "--ssd-tokens", paramLabel = "N", converter = TokenCount.class, description = "An SSD tier of N "
            + "tokens per node below DRAM (or below HBM without one), e.g. 50M (default: none).")
    Long ssdTokens;

    @Option(names = "--router", paramLabel = "ROUTER", defaultValue = "round-robin",
            description = "round-robin, least-loaded, affinity or cache-aware (default: ${DEFAULT-VALUE}: it spreads a "
                    + "prefix's requests over the nodes, which is where a pooled cache pays; affinity sends each to the "
                    + "node holding its longest prefix, cache-aware to the node where it would finish first, and local "
                    + "and pooled caches then come close).")
    String router;

    @Option(names = "--token-budget", paramLabel = "N", defaultValue = "8192", description = "Continuous batching: "
            + "tokens per engine step, decode tokens first, then prompt chunks (chunked prefill), with prompts admitted "
            + "while the KV their node's HBM holds takes them; 0 prefills one prompt after another and decodes each "
            + "request alone, the earlier, coarser model (default: ${DEFAULT-VALUE}, as vLLM and TensorRT-LLM).")
    int tokenBudget;

    @Option(names = "--prefill-nodes", paramLabel = "N", defaultValue = "0", description = "Prefill/decode "
            + "disaggregation: the first N nodes prefill and the rest decode; each prompt's KV moves to a decode node "
            + "over the path (a store on the unified path, a write request through the copy stack on the copy path), "
            + "its time part of TTFT; not with --token-budget 0 (default: ${DEFAULT-VALUE}, every node does both).")
    int prefillNodes;

    @Option(names = "--slo", paramLabel = "TTFT_MS[,TBT_MS]", split = ",", description = "Also print the share of "
            + "requests whose first token came within TTFT_MS, and of gaps between tokens within TBT_MS, per path.")
    List<Double> sloMillis;

    @Option(names = "--balance-threshold", paramLabel = "MS", description = "With --router affinity: divert a request "
            + "to the least-loaded node when its prefix's holder has more than this many milliseconds more queued, "
            + "copying the prefix there (default: never, pure affinity).")
    Double balanceThresholdMillis;

    @Option(names = "--placement", paramLabel = "POLICY", defaultValue = "local-first",
            description = "Where pooled paths store new blocks: local-first, hash-sharded, least-loaded "
                    + "(default: ${DEFAULT-VALUE}).")
    String placement;

    @Option(names = "--replicate-after", paramLabel = "N", defaultValue = "0",
            description = "Copy a block to a node after N remote reads (default: never).")
    int replicateAfter;

    @Option(names = "--fabric", paramLabel = "PAIR", defaultValue = "ub-vs-roce",
            description = "Load/store fabric and copy stack: ub-vs-roce, nvlink4-vs-ib, cxl-vs-roce, dgx-vs-ib (default: ${DEFAULT-VALUE}).")
    String fabric;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "llama3.1-8b",
            description = "Served model: llama3.1-8b, llama3.1-70b, deepseek-v3, qwen3-235b-a22b, or a Hugging Face "
                    + "style config.json (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hardware", paramLabel = "NAME|FILE", defaultValue = "h100",
            description = "Each serving node's accelerator: h100, h800, a100, a800, b200, ascend-910c, or a JSON file "
                    + "(default: ${DEFAULT-VALUE}).")
    String hardware;

    @Option(names = "--accelerators", paramLabel = "N", description = "Accelerators per serving node, one "
            + "tensor-parallel group, 1..1024 (default: the fewest, a power of two, whose memory holds the weights).")
    Integer accelerators;

    @Option(names = "--no-payload", description = "Run the index and the cost model only: no bytes move and outputs are not checked.")
    boolean noPayload;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seeds the generator and the model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "1000", description = "Generator: requests (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--block-tokens", paramLabel = "N", defaultValue = "512",
            description = "Tokens per block: 512 for Mooncake traces; 16, 64, 256 with the generator (default: ${DEFAULT-VALUE}).")
    int blockTokens;

    @Option(names = "--system-prompts", paramLabel = "N", defaultValue = "16", description = "Generator: shared system prompts (default: ${DEFAULT-VALUE}).")
    int systemPrompts;

    @Option(names = "--system-prompt-tokens", paramLabel = "N", defaultValue = "2048", description = "Generator: tokens per system prompt (default: ${DEFAULT-VALUE}).")
    int systemPromptTokens;

    @Option(names = "--zipf", paramLabel = "S", defaultValue = "1.0", description = "Generator: Zipf exponent of system-prompt popularity (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--turns", paramLabel = "N", defaultValue = "4", description = "Generator: mean turns per session (default: ${DEFAULT-VALUE}).")
    double turns;

    @Option(names = "--rate", paramLabel = "PER_S", defaultValue = "4", description = "Generator: Poisson arrivals per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--workload", paramLabel = "KIND", defaultValue = "chat", description = "Generator: chat (multi-turn "
            + "sessions on shared system prompts) or shared-prefix (each prompt opens with one of --system-prompts "
            + "shared prefixes taking --reuse of it) (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--reuse", paramLabel = "SHARE", description = "Shared-prefix workload: share of each prompt that is "
            + "its shared prefix, 0..1 (default: 0.5).")
    Double reuse;

    @Option(names = "--prompt-tokens", paramLabel = "LEN", description = "Shared-prefix workload: prompt lengths, N "
            + "(fixed), exp:MEAN or MIN-MAX (default: 8192).")
    String promptTokens;

    @Option(names = "--output-tokens", paramLabel = "LEN", description = "Shared-prefix workload: output lengths, as "
            + "--prompt-tokens (default: 256).")
    String outputTokens;

    @Option(names = "--saturate", description = "Shared-prefix workload: every request arrives at once, a throughput "
            + "run (default: Poisson arrivals at --rate, a latency run).")
    boolean saturate;

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "1", description = "Generator: tenants, each with its own key salt (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Mixin
    TableFiles tableFiles;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also write charts to DIR as PNG and SVG: block hit rate against per-node capacity (a sweep "
                    + "up to what holds every distinct block, index and cost model only) and the TTFT distribution.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        tableFiles.requireWritable();
        OutputFiles.requireWritableFolder("--plot", plot);
        PrintWriter out = spec.commandLine().getOut();
        TraceLoad load = load();
        ReplayOptions options = options();
        List<ServingSetup> pathList = paths == null ? List.of(ServingSetup.values())
                : paths.stream().map(ServingSetup::byName).distinct().toList();
        List<ReplayResult> results;
        try (Progress progress = Progress.start("kv", (long) pathList.size() * load.requests().size(), "req")) {
            results = Replay.sideBySide(load, options, pathList, progress.stepper());
        }
        out.print(summary(load, options, results));
        if (sloMillis != null) {
            out.print(slo(results, sloMillis));
        }
        tableFiles.write(out, () -> ReplayReport.csv(results), () -> ReplayReport.json(results));
        if (plot != null) {
            List<ReplayResult> sweep = capacitySweep(load, options, pathList);
            String what = load.requests().size() + " requests on " + options.nodes() + " nodes";
            List<Path> written = new ArrayList<>(Charts.save(KvCharts.hitRateVsCapacity(sweep, "KV block hit rate, "
                    + what), plot, "kv-hit-rate-vs-capacity"));
            written.addAll(Charts.save(KvCharts.ttftCdf(results, "Time to first token, " + what), plot, "kv-ttft-cdf"));
            written.forEach(f -> out.println("wrote " + f));
        }
        return 0;
    }

    private TraceLoad load() {
        if (trace != null) {
            if (blockTokens != BlockLayout.MOONCAKE_TOKENS_PER_BLOCK) {
                throw new KvConfigException("--block-tokens " + blockTokens + ": Mooncake traces hash blocks of "
                        + BlockLayout.MOONCAKE_TOKENS_PER_BLOCK + " tokens");
            }
            TraceLoad load = new MooncakeTraceReader(skipMalformed, tenant, limit).read(trace);
            if (load.requests().isEmpty()) {
                throw new KvConfigException("trace file '" + trace + "' holds no requests");
            }
            return load;
        }
        boolean sharedPrefix = switch (workload.toLowerCase(Locale.ROOT)) {
            case "chat" -> false;
            case "shared-prefix" -> true;
            default -> throw new KvConfigException("unknown workload '" + workload + "' (known: chat, shared-prefix)");
        };
        if (!sharedPrefix && (reuse != null || promptTokens != null || outputTokens != null)) {
            throw new KvConfigException("--reuse, --prompt-tokens and --output-tokens shape --workload shared-prefix");
        }
        double arrivals = saturate ? SharedPrefixOptions.SATURATE : rate;
        if (sharedPrefix) {
            return SyntheticTraceGenerator.sharedPrefix(new SharedPrefixOptions(seed, requests, systemPrompts, zipf,
                    reuse == null ? 0.5 : reuse, Lengths.parse(promptTokens == null ? "8192" : promptTokens),
                    Lengths.parse(outputTokens == null ? "256" : outputTokens), arrivals, blockTokens));
        }
        if (saturate) {
            throw new KvConfigException("--saturate runs --workload shared-prefix (a chat's turns follow each other)");
        }
        GeneratorOptions generator = new GeneratorOptions(seed, requests, systemPrompts, systemPromptTokens, zipf,
                turns, 400, 300, rate, tenants, 16_384, blockTokens);
        return SyntheticTraceGenerator.generate(generator);
    }

    private ReplayOptions options() {
        if (sloMillis != null && (sloMillis.isEmpty() || sloMillis.size() > 2
                || sloMillis.stream().anyMatch(ms -> !(ms > 0) || ms > 1e9))) {
            throw new KvConfigException("--slo takes TTFT_MS or TTFT_MS,TBT_MS, each above 0 and at most 1e9, got "
                    + sloMillis);
        }
        ServingProfile profile = servingProfile();
        return ReplayOptions.builder().nodes(nodes).pair(FabricPair.byName(fabric))
                .router(RouterPolicy.byName(router)).placement(PlacementPolicy.byName(placement))
                .capacityTokensPerNode(capacityTokens(profile)).dramTokensPerNode(dramTokens == null ? 0 : dramTokens)
                .ssdTokensPerNode(ssdTokens == null ? 0 : ssdTokens).layout(BlockLayout.replay(blockTokens))
                .profile(profile).payload(!noPayload).replicateAfter(replicateAfter)
                .balanceThresholdNanos(balanceThresholdNanos()).tokenBudget(tokenBudget).prefillNodes(prefillNodes)
                .seed(seed).build();
    }

    private long capacityTokens(ServingProfile profile) {
        if (capacityTokens.trim().equalsIgnoreCase("hbm")) {
            return profile.hbmKvTokens();
        }
        try {
            return TokenCount.parse(capacityTokens);
        } catch (TypeConversionException e) {
            throw new KvConfigException("--capacity-tokens: " + e.getMessage() + ", or hbm");
        }
    }

    private long balanceThresholdNanos() {
        if (balanceThresholdMillis == null) {
            return ReplayOptions.NO_BALANCING;
        }
        if (!(balanceThresholdMillis >= 0) || balanceThresholdMillis > 1e9) {
            throw new KvConfigException("--balance-threshold must be 0..1e9 ms, got " + balanceThresholdMillis);
        }
        if (RouterPolicy.byName(router) != RouterPolicy.AFFINITY) {
            throw new KvConfigException("--balance-threshold applies to --router affinity, not " + router);
        }
        return Math.round(balanceThresholdMillis * 1e6);
    }

    private ServingProfile servingProfile() {
        ModelProfile served = ModelProfile.byNameOrFile(model);
        HardwareProfile on = HardwareProfile.byNameOrFile(hardware);
        return ServingProfile.of(served, on, accelerators != null ? accelerators
                : ServingProfile.acceleratorsFor(served, on));
    }

    /**
     * One index-and-cost replay per path at per-node capacities from 1/64 of what would hold every
     * distinct block of the workload (spread over the nodes) up to twice that: from heavy eviction
     * to none, whatever the workload's size.
     */
    private static List<ReplayResult> capacitySweep(TraceLoad load, ReplayOptions options, List<ServingSetup> pathList) {
        long all = options.capacityHoldingEveryBlock(load);
        double[] factors = {1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1, 2};
        List<ReplayResult> sweep = new ArrayList<>();
        try (Progress progress = Progress.start("capacity sweep", (long) factors.length * pathList.size(), "replay")) {
            long done = 0;
            for (double factor : factors) {
                long tokens = Math.max(options.layout().tokensPerBlock(), Math.round(all * factor));
                sweep.addAll(Replay.sideBySide(load, options.toBuilder().capacityTokensPerNode(tokens).payload(false).build(),
                        pathList, n -> { }));
                done += pathList.size();
                progress.stepper().accept(done);
            }
        }
        return sweep;
    }

    /** Each path's SLO attainment for a TTFT limit and, if given, a TBT limit, in milliseconds. */
    static String slo(List<ReplayResult> results, List<Double> limitsMillis) {
        TextTable table = new TextTable("path", String.format(Locale.ROOT, "TTFT <= %s ms", limitsMillis.getFirst()),
                limitsMillis.size() > 1 ? String.format(Locale.ROOT, "TBT <= %s ms", limitsMillis.get(1)) : "");
        for (ReplayResult r : results) {
            table.row(r.options().path().label(),
                    percent(r.modeled().ttftAttainment(Math.round(limitsMillis.getFirst() * 1e6))),
                    limitsMillis.size() > 1 ? percent(r.modeled().tbtAttainment(Math.round(limitsMillis.get(1) * 1e6))) : "");
        }
        return "SLO attainment: requests whose first token came in time, and gaps between tokens in time\n" + table;
    }

    /** The side-by-side table and what it rests on. */
    static String summary(TraceLoad load, ReplayOptions options, List<ReplayResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %,d requests, %,d blocks of %d tokens, %,d prompt tokens%n",
                load.source(), load.requests().size(), load.blocks(), options.layout().tokensPerBlock(),
                load.inputTokens()));
        if (load.skippedLines() > 0) {
            out.append(String.format(Locale.ROOT, "skipped %d malformed lines, the first: %s%n", load.skippedLines(),
                    load.firstProblems().getFirst()));
        }
        out.append(Prose.wrap(String.format(Locale.ROOT,
                "%d nodes over %s, %s tokens of KV each (%s of %s KV); %s router, %s placement",
                options.nodes(), options.pair().label(), String.format(Locale.ROOT, "%,d", options.capacityTokensPerNode()),
                Units.decimalBytes(options.profile().kvBytes(options.capacityTokensPerNode())), options.profile().name(),
                KvNames.label(options.router()), KvNames.label(options.placement())))).append('\n');
        if (options.disaggregated()) {
            out.append(Prose.wrap(String.format(Locale.ROOT, "disaggregated: nodes 0-%d prefill, %d-%d decode; "
                    + "each prompt's KV moves to the least busy decode node (%s)", options.prefillNodes() - 1,
                    options.prefillNodes(), options.nodes() - 1, transferLine(results)))).append('\n');
        }
        String tiers = tierLine(options);
        if (!tiers.isEmpty()) {
            out.append(Prose.wrap(tiers)).append('\n');
        }
        TextTable table = new TextTable("path", "block hits", "local", "remote", "prefill saved", "TTFT p50", "TTFT p90",
                "TTFT p99", "TBT p50", "TBT p99", "fabric bytes", "messages", "host");
        for (ReplayResult r : results) {
            BlockReuse reuse = r.reuse();
            ModeledTimes modeled = r.modeled();
            table.row(r.options().path().label(), percent(reuse.blockHitRate()), reuse.localHits(), reuse.remoteHits(),
                    percent(reuse.tokenHitRate()), millis(modeled.ttftQuantileNanos(0.5)),
                    millis(modeled.ttftQuantileNanos(0.9)), millis(modeled.ttftQuantileNanos(0.99)),
                    millis(modeled.tbtQuantileNanos(0.5)), millis(modeled.tbtQuantileNanos(0.99)),
                    Units.decimalBytes(r.traffic().fabricBytes()), r.traffic().messages(),
                    String.format(Locale.ROOT, "%.1f s", r.hostNanos() / 1e9));
        }
        out.append(table);
        out.append('\n').append(throughputAndPlanes(results));
        if (options.tiers().size() > 1) {
            out.append('\n').append(tierTable(results));
        }
        if (options.payload()) {
            out.append(String.format(Locale.ROOT, "decode outputs identical on every path (digest %016x)%n",
                    results.getFirst().outputDigest()));
        } else {
            out.append("no payload: outputs were not computed or compared\n");
        }
        out.append(Prose.wrap(String.format(Locale.ROOT, "TTFT and fabric bytes are modeled for %s (%s KV per token; a "
                        + "4,096-token prompt prefills in %.1f ms with nothing cached); host is the emulator's own CPU time per path (the paths run side by side on the host's cores).",
                options.profile().name(), Units.decimalBytes(options.profile().kvBytesPerToken()),
                options.profile().prefillNanos(4096) / 1e6)))
                .append('\n');
        return out.toString();
    }

    /** Each path's median KV transfer from prefill to decode node. */
    private static String transferLine(List<ReplayResult> results) {
        List<String> parts = new ArrayList<>();
        for (ReplayResult r : results) {
            parts.add(String.format(Locale.ROOT, "%s %.2f ms", r.options().path().label(),
                    r.modeled().kvTransferQuantileNanos(0.5) / 1e6));
        }
        return "transfer p50: " + String.join(", ", parts);
    }

    /** The lower tiers, if any: their capacity per node and how accelerators reach them. */
    private static String tierLine(ReplayOptions options) {
        List<String> parts = new ArrayList<>();
        for (Tier tier : options.tiers().subList(1, options.tiers().size())) {
            long tokens = (long) options.capacityBlocksPerNode(tier) * options.layout().tokensPerBlock();
            parts.add(String.format(Locale.ROOT, "%s %,d tokens (%s)", tier.label(), tokens,
                    Units.decimalBytes(options.profile().kvBytes(tokens))));
        }
        return parts.isEmpty() ? "" : "lower tiers per node: " + String.join(", ", parts)
                + "; blocks HBM evicts or cannot take go down a tier, a hit there comes back to HBM";
    }

    /** Each path's throughput per accelerator and the modeled bytes on each plane. */
    private static String throughputAndPlanes(List<ReplayResult> results) {
        TextTable table = new TextTable("path", "prompt tok/s/acc", "output tok/s/acc", "scale-up bytes",
                "scale-out bytes", "host-link bytes");
        for (ReplayResult r : results) {
            double output = r.outputTokensPerSecondPerAccelerator();
            table.row(r.options().path().label(), String.format(Locale.ROOT, "%,.0f", r.inputTokensPerSecondPerAccelerator()),
                    output == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", output),
                    Units.decimalBytes(r.traffic().scaleUpBytes()), Units.decimalBytes(r.traffic().scaleOutBytes()),
                    Units.decimalBytes(r.traffic().hostLinkBytes()));
        }
        return table.toString();
    }

    /** Each path's hits and moves per tier. */
    private static String tierTable(List<ReplayResult> results) {
        TextTable table = new TextTable("path", "tier", "hits", "moved", "promoted", "demoted", "evicted");
        for (ReplayResult r : results) {
            for (TierUse use : r.tiers()) {
                table.row(r.options().path().label(), use.tier().label(), percent(use.hitRate(r.reuse().blocks())),
                        Units.decimalBytes(use.movedBytes()), use.promotions(), use.demotions(), use.evictions());
            }
        }
        return table.toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
