package io.supernode.bench.report;

import io.supernode.gas.stats.Units;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.serve.ConcurrencyFidelity;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.Lengths;
import io.supernode.kvcache.trace.SharedPrefixOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.supernode.bench.report.Cells.number;
import static io.supernode.bench.report.Cells.percent;

/**
 * The KV-cache replay: one generated trace replayed on every serving path at several capacities per node,
 * with hit-rate and time-to-first-token charts, then a sweep of the reused share of each prompt on the shared-prefix
 * workload, with HBM alone and with a DRAM tier, and prefill and decode on the same nodes or apart. Its host time
 * per request goes to the cost section's rows and the sweep's table.
 */
final class KvSection {

    private KvSection() {
    }

    /** Replays the trace at every capacity on every path, adds a cost row per path, and writes the charts. */
    static Section section(SectionInputs in) {
        long seed = in.seed();
        TraceLoad load = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(seed).withRequests(in.plan().kvRequests()));
        ReplayOptions base = ReplayOptions.defaults();
        List<ReplayResult> results = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        long everything = base.capacityHoldingEveryBlock(load);
        for (double fraction : in.plan().kvCapacities()) {
            long capacity = Math.max(base.layout().tokensPerBlock(), Math.round(everything * fraction));
            ReplayOptions sized = base.toBuilder().capacityTokensPerNode(capacity).build();
            List<ReplayResult> side = Replay.sideBySide(load, sized, List.of(ServingSetup.values()), n -> { });
            for (ReplayResult r : side) {
                cells.add(List.of(String.format(Locale.ROOT, "%,d", capacity), r.options().path().label(),
                        percent(r.reuse().blockHitRate()), Units.nanos(r.modeled().meanTtftNanos()), Units.nanos(r.modeled().ttftQuantileNanos(0.99)),
                        Units.decimalBytes(r.traffic().fabricBytes()), String.format(Locale.ROOT, "%,d", r.traffic().messages()),
                        String.format(Locale.ROOT, "%.2f s", r.hostNanos() / 1e9)));
                results.add(r);
            }
        }
        for (ServingSetup path : ServingSetup.values()) {
            ReplayResult r = results.stream().filter(x -> x.options().path() == path).reduce((a, b) -> b).orElseThrow();
            double perRequest = r.hostNanos() / (double) r.requests();
            in.costRows().add(List.of("KV replay: " + path.label() + ", one request", number(perRequest) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perRequest) + " req/s", Units.nanos(r.modeled().meanTtftNanos()) + " TTFT"));
        }
        XYChart hit = KvCharts.hitRateVsCapacity(results, "KV block hit rate, " + load.requests().size() + " requests on "
                + base.nodes() + " nodes");
        XYChart ttft = KvCharts.meanTtftVsCapacity(results, "Mean time to first token (modeled)");
        List<Block> blocks = new ArrayList<>(List.of(
                new Block.Paragraph(load.requests().size() + " generated multi-turn chat requests (seed " + seed + ") on "
                        + base.nodes() + " nodes, " + base.pair().label() + ", model " + base.profile().name()
                        + ": local-only (stacked servers) against a pool read in place by load/store and a pool fetched by "
                        + "request and reply. Capacities run from a small share up to what holds every distinct block ("
                        + String.format(Locale.ROOT, "%,d", everything) + " tokens per node). Every capacity replays all three "
                        + "paths, which must decode bit for bit alike (a replay whose paths differ stops the report)."),
                new Block.Table("KV replay by capacity and path", List.of("tokens/node", "path", "block hits", "mean TTFT",
                        "p99 TTFT", "fabric bytes", "messages", "host"), cells, Set.of()),
                in.figures().figure(hit, "kv-hit-rate", "Block hit rate against KV capacity per node."),
                in.figures().figure(ttft, "kv-ttft", "Mean modeled time to first token against KV capacity per node.")));
        blocks.addAll(reuseSweep(in));
        blocks.addAll(disaggregation(in, load));
        blocks.addAll(batchingFidelity());
        return new Section("kv", "KV-cache pooling", blocks);
    }

    /** The replay's default token budget per step, as the section's text gives it. */
    private static final String TOKEN_BUDGET = String.format(Locale.ROOT, "%,d", ReplayOptions.DEFAULT_TOKEN_BUDGET);
    /** The reused shares the shared-prefix sweep runs, from none to what context-caching studies top out at. */
    private static final double[] REUSE_SHARES = {0, 0.25, 0.5, 0.75, 0.9};
    /** Shared prefixes: more than a node's HBM holds at high reuse, fewer than the pool's (A). */
    private static final int PREFIXES = 256;
    /** Paced arrivals of the latency runs, about two thirds of what 8 H100s prefill with nothing reused (D). */
    private static final double PACED_PER_SECOND = 16;
    /** The DRAM tier of the tiered runs: 4 M tokens per node, 524 GB of Llama 3.1 8B's KV (A: a 1 TB host's half). */
    private static final long DRAM_TOKENS = 4_000_000;
    /**
     * The share of each prompt that is reused, swept on the shared-prefix workload under continuous batching, with HBM
     * alone and with a DRAM tier below it: time to first token from paced runs, prompt throughput from saturated ones.
     */
    private static List<Block> reuseSweep(SectionInputs in) {
        ReplayOptions base = batched();
        List<List<String>> cells = new ArrayList<>();
        XYChart ttft = Charts.lines("Median time to first token by reused share (modeled)", "reused share of each prompt (%)",
                "TTFT p50 (ms)");
        XYChart throughput = Charts.lines("Prompt throughput by reused share (modeled, saturated)",
                "reused share of each prompt (%)", "prompt tokens per second per accelerator");
        double[] x = new double[REUSE_SHARES.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 * REUSE_SHARES[i];
        }
        List<ServingSetup> paths = List.of(ServingSetup.values());
        for (long dram : new long[] {0, DRAM_TOKENS}) {
            String tiers = dram == 0 ? "hbm" : "hbm+dram";
            ReplayOptions tiered = base.toBuilder().dramTokensPerNode(dram).build();
            double[][] p50 = new double[paths.size()][x.length];
            double[][] tokens = new double[paths.size()][x.length];
            List<List<List<String>>> rows = new ArrayList<>();
            paths.forEach(path -> rows.add(new ArrayList<>()));
            for (int i = 0; i < x.length; i++) {
                List<ReplayResult> paced = Replay.sideBySide(sharedPrefix(in, REUSE_SHARES[i], PACED_PER_SECOND), tiered,
                        paths, n -> { });
                List<ReplayResult> saturated = Replay.sideBySide(sharedPrefix(in, REUSE_SHARES[i],
                        SharedPrefixOptions.SATURATE), tiered, paths, n -> { });
                for (int p = 0; p < paths.size(); p++) {
                    ReplayResult latency = paced.get(p);
                    ReplayResult busy = saturated.get(p);
                    p50[p][i] = latency.modeled().ttftQuantileNanos(0.5) / 1e6;
                    tokens[p][i] = busy.inputTokensPerSecondPerAccelerator();
                    rows.get(p).add(List.of(String.format(Locale.ROOT, "%.0f %%", x[i]), tiers, paths.get(p).label(),
                            percent(latency.reuse().blockHitRate()), percent(lowerTierShare(latency)),
                            Units.nanos(latency.modeled().ttftQuantileNanos(0.5)),
                            Units.nanos(latency.modeled().ttftQuantileNanos(0.99)),
                            String.format(Locale.ROOT, "%,.0f", tokens[p][i]),
                            String.format(Locale.ROOT, "%,.0f", busy.outputTokensPerSecondPerAccelerator()),
                            Units.nanos(Math.round(latency.hostNanos() / (double) latency.requests()))));
                }
            }
            for (int p = 0; p < paths.size(); p++) {
                cells.addAll(rows.get(p));
                String name = paths.get(p).label() + ", " + tiers;
                ttft.addSeries(name, x, p50[p]).setMarker(SeriesMarkers.CIRCLE);
                throughput.addSeries(name, x, tokens[p]).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return List.of(
                new Block.Paragraph(in.plan().kvRequests() + " shared-prefix requests per run (seed " + in.seed() + "): "
                        + "8,192-token prompts opening with one of " + PREFIXES + " shared prefixes (Zipf 1.0) that "
                        + "take the reused share of the prompt, 256 output tokens, continuous batching with "
                        + TOKEN_BUDGET + " tokens a step, HBM capacity from the "
                        + "profile (" + String.format(Locale.ROOT, "%,d", base.capacityTokensPerNode()) + " tokens), "
                        + "cache-aware routing. TTFT comes from runs paced at " + (int) PACED_PER_SECOND
                        + " requests a second, throughput from runs where every request arrives at once; the "
                        + "tiered runs add " + String.format(Locale.ROOT, "%,d", DRAM_TOKENS) + " tokens of host DRAM "
                        + "per node. A reused prefix still costs its attention, each step its fixed overhead, and "
                        + "decode shares the steps, so the gains stay well below 1 / (1 - share)."),
                new Block.Table("KV replay by reused share, tiers and path", List.of("reused", "tiers", "path",
                        "block hits", "from dram", "TTFT p50", "TTFT p99", "prompt tok/s/acc", "output tok/s/acc",
                        "host/request"), cells,
                        Set.of()),
                in.figures().figure(ttft, "kv-reuse-ttft", "Median modeled time to first token against the reused "
                        + "share of each prompt, per path and tiers."),
                in.figures().figure(throughput, "kv-reuse-throughput", "Prompt tokens per second per accelerator, "
                        + "every request at once, against the reused share, per path and tiers."));
    }

    /** Nodes that prefill when the replay disaggregates, of the default 8: half (A). */
    private static final int PREFILL_NODES = 4;

    /**
     * The capacity sweep's trace under continuous batching, every node serving both phases against half of them
     * prefilling and half decoding, each prompt's KV moved over the path: latency, the transfer and the bytes on each
     * plane.
     */
    private static List<Block> disaggregation(SectionInputs in, TraceLoad load) {
        ReplayOptions base = batched();
        List<List<String>> cells = new ArrayList<>();
        for (int prefill : new int[] {0, PREFILL_NODES}) {
            String setup = prefill == 0 ? "colocated" : prefill + " prefill + " + (base.nodes() - prefill) + " decode";
            for (ReplayResult r : Replay.sideBySide(load, base.toBuilder().prefillNodes(prefill).build(),
                    List.of(ServingSetup.values()), n -> { })) {
                cells.add(List.of(setup, r.options().path().label(), Units.nanos(r.modeled().ttftQuantileNanos(0.5)),
                        Units.nanos(r.modeled().ttftQuantileNanos(0.99)), Units.nanos(r.modeled().tbtQuantileNanos(0.99)),
                        prefill == 0 ? "-" : Units.nanos(r.modeled().kvTransferQuantileNanos(0.5)),
                        Units.decimalBytes(r.traffic().scaleUpBytes()), Units.decimalBytes(r.traffic().scaleOutBytes())));
            }
        }
        return List.of(
                new Block.Paragraph("The capacity sweep's trace again, at the profile's HBM capacity with cache-aware "
                        + "routing under continuous batching (" + TOKEN_BUDGET + " tokens a step): every node "
                        + "prefilling and decoding, against " + PREFILL_NODES + " nodes prefilling and the others "
                        + "decoding, each prompt's KV moved to the least busy decode node by a store on the unified "
                        + "path and a write request through the copy stack, acknowledged, on the copy path (a local-only cache moves "
                        + "it over the unified path too). The transfer is part of TTFT; the decode node's queue is "
                        + "part of the gap to the second token. Bytes are per plane: loads and stores over the "
                        + "scale-up fabric, messages over the scale-out one."),
                new Block.Table("KV replay with prefill and decode together and apart", List.of("setup", "path",
                        "TTFT p50", "TTFT p99", "TBT p99", "KV transfer p50", "scale-up bytes", "scale-out bytes"),
                        cells, Set.of()));
    }

    /** The batching engine in a closed loop against NIM's concurrency sweep, held out from the step cost's fit. */
    private static List<Block> batchingFidelity() {
        List<List<String>> cells = new ArrayList<>();
        for (ConcurrencyFidelity.Point p : ConcurrencyFidelity.points()) {
            cells.add(List.of(String.valueOf(p.concurrency()),
                    String.format(Locale.ROOT, "%,.0f ms", p.publishedTtftMillis()),
                    String.format(Locale.ROOT, "%,.0f ms", p.modeledTtftMillis()),
                    String.format(Locale.ROOT, "%+.1f %%", p.ttftErrorPercent()),
                    String.format(Locale.ROOT, "%.2f ms", p.publishedItlMillis()),
                    String.format(Locale.ROOT, "%.2f ms", p.modeledItlMillis()),
                    String.format(Locale.ROOT, "%+.1f %%", p.itlErrorPercent()),
                    String.format(Locale.ROOT, "%,.0f", p.publishedTokensPerSecond()),
                    String.format(Locale.ROOT, "%,.0f", p.modeledTokensPerSecond()),
                    String.format(Locale.ROOT, "%+.1f %%", p.throughputErrorPercent())));
        }
        return List.of(
                new Block.Paragraph("Continuous batching held against a published concurrency sweep it was not fitted "
                        + "to (" + ConcurrencyFidelity.SOURCE + "): one node in a closed loop, each finished request "
                        + "replaced at once, " + TOKEN_BUDGET
                        + " tokens a step. Only the concurrency-1 row calibrated the step cost; the others test "
                        + "batching, chunked prefill and KV admission (at 100 in flight the KV no longer fits)."),
                new Block.Table("Closed loop against NIM's sweep (held out)", List.of("in flight", "TTFT NIM",
                        "TTFT model", "error", "ITL NIM", "ITL model", "error", "tok/s NIM", "tok/s model", "error"),
                        cells, Set.of()));
    }

    /** The defaults (cache-aware routing, the profile's HBM capacity, continuous batching), no payload. */
    private static ReplayOptions batched() {
        return ReplayOptions.defaults().toBuilder().payload(false).build();
    }

    private static TraceLoad sharedPrefix(SectionInputs in, double share, double perSecond) {
        return SyntheticTraceGenerator.sharedPrefix(new SharedPrefixOptions(in.seed(), in.plan().kvRequests(), PREFIXES,
                1.0, share, new Lengths.Fixed(8192), new Lengths.Fixed(256), perSecond,
                BlockLayout.MOONCAKE_TOKENS_PER_BLOCK));
    }

    /** Blocks served from a lower tier, of all prompt blocks. */
    private static double lowerTierShare(ReplayResult r) {
        return r.reuse().blocks() == 0 ? 0 : r.reuse().lowerTierHits() / (double) r.reuse().blocks();
    }
}
