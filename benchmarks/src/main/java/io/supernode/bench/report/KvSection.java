package io.supernode.bench.report;

import io.supernode.gas.stats.Units;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
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
 * with hit-rate and time-to-first-token charts. Its host time per request goes to the cost section's rows.
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
        XYChart hit = Charts.lines("KV block hit rate, " + load.requests().size() + " requests on " + base.nodes() + " nodes",
                "KV capacity per node (tokens)", "block hit rate (%)");
        Charts.logCountX(hit);
        XYChart ttft = Charts.lines("Mean time to first token (modeled)", "KV capacity per node (tokens)", "mean TTFT (ms)");
        Charts.logCountX(ttft);
        for (ServingSetup path : ServingSetup.values()) {
            List<ReplayResult> mine = results.stream().filter(r -> r.options().path() == path).toList();
            double[] x = Charts.log2(mine.stream().mapToDouble(r -> r.options().capacityTokensPerNode()).toArray());
            hit.addSeries(path.label(), x, mine.stream().mapToDouble(r -> 100 * r.reuse().blockHitRate()).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            ttft.addSeries(path.label(), x, mine.stream().mapToDouble(r -> r.modeled().meanTtftNanos() / 1e6).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        return new Section("kv", "KV-cache pooling", List.of(
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
    }
}
