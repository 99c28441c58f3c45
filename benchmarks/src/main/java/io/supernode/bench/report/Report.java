package io.supernode.bench.report;

import io.supernode.bench.report.Charts;
import io.supernode.bench.report.EmbeddingPlots;
import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingPath;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.embedding.EmbeddingRuns;
import io.supernode.embedding.EmbeddingWorkload;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.path.FabricPair;
import io.supernode.bench.compare.Fidelity;
import io.supernode.bench.compare.FidelityRow;
import io.supernode.gas.path.PathKind;
import io.supernode.bench.compare.OpProbe;
import io.supernode.bench.compare.Sweep;
import io.supernode.bench.compare.SweepRow;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.ProcessMemory;
import io.supernode.gas.stats.Units;
import io.supernode.kvcache.serve.BenchmarkReplay;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingPath;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs every workload on every path and turns the results into report sections: the unified-vs-copy
 * sweep, the KV-cache replay over several capacities, the embedding workload over Zipf exponents and cache
 * sizes, the fabric model against its published anchors, and what emulating costs this host.
 */
public final class Report {

    private final ReportPlan plan;
    private final long seed;
    private final Path charts;
    private final Consumer<String> log;
    /** Host-cost figures gathered by the workload sections for the cost section. */
    private final List<List<String>> costRows = new ArrayList<>();
    /** Host ns of a warm-page remote load on the cloudmatrix384 preset, for the comparison with JMH; NaN until measured. */
    private double warmLoadNanos = Double.NaN;
    /** Host ns per lookup by path on {@link EmbeddingConfig#GATHER_BENCHMARK}, the workload JMH runs. */
    private final Map<EmbeddingPath, Double> gatherNanos = new EnumMap<>(EmbeddingPath.class);
    /** Warmed host ns per operation of each sweep method and size, through the probe JMH runs. */
    private final Map<PathKind, Map<Long, Double>> probeNanos = new EnumMap<>(PathKind.class);
    /** The sizes the probes fetch: a scalar and a 64 KiB block. */
    private static final List<Long> PROBE_SIZES = List.of(8L, 65_536L);
    /** Host ns per request by path on {@link BenchmarkReplay}, the replay JMH runs. */
    private final Map<ServingPath, Double> replayNanos = new EnumMap<>(ServingPath.class);
    /** Replays of the shared KV trace before timing and timed. */
    private static final int REPLAY_WARMUP_RUNS = 5;
    private static final int REPLAY_TIMED_RUNS = 5;
    /** Runs of the shared embedding workload before timing (the JIT's warm-up) and timed. */
    private static final int GATHER_WARMUP_RUNS = 20;
    private static final int GATHER_TIMED_RUNS = 20;
    /** Where timed loads leave their sum, so the JIT cannot drop them. */
    private long sink;

    /**
     * @param plan how much to run
     * @param seed seeds every workload
     * @param dir  where charts go ({@code dir/charts})
     * @param log  receives one line as each part starts
     */
    public Report(ReportPlan plan, long seed, Path dir, Consumer<String> log) {
        this.plan = plan;
        this.seed = seed;
        this.charts = dir.resolve("charts");
        this.log = log;
    }

    /** The sections, in reading order; every workload runs here, each announced as {@code [i/n] what}. */
    public List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(methodology());
        List<Map.Entry<String, Supplier<Section>>> parts = List.of(Map.entry("unified vs copy sweep", this::sweep),
                Map.entry("KV-cache replay", this::kv), Map.entry("embedding tables", this::embedding),
                Map.entry("fidelity against published figures", this::fidelity), Map.entry("emulator cost", this::cost));
        int total = parts.size() + 1;
        // The probes run first, while this JVM is idle: after the heavy workloads its collector and compiler
        // threads would share the cores with the probes' JVMs. Their figures go to the cost section.
        log.accept(String.format(Locale.ROOT, "[1/%d] host cost probes, each in its own JVM", total));
        measureProbes();
        for (int i = 0; i < parts.size(); i++) {
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s", i + 2, total, parts.get(i).getKey()));
            sections.add(parts.get(i).getValue().get());
        }
        return sections;
    }

    private Section methodology() {
        return new Section("methodology", "Methodology", List.of(
                new Block.Paragraph("Real: every byte a path moves is copied between off-heap MemorySegments that stand for the "
                        + "nodes' memories (loads and stores through the global address space, messages through registered "
                        + "bounce buffers, coherence data through line caches), and every path's outputs are compared: KV decode "
                        + "digests and pooled embedding outputs must be identical across paths."),
                new Block.Paragraph("Modeled: time on the emulated machine comes from a LogGP-style fabric model (latency, "
                        + "per-message overhead, gap, bandwidth per lane, a second switch tier) whose link profiles carry their "
                        + "sources: UB from Zuo et al., CloudMatrix384, arXiv 2506.12708, Table 1; NVLink 4 and NCCL send/recv "
                        + "from NCCL issues 1264 and 1487; InfiniBand and RoCE from perftest measurements; CXL from Melody "
                        + "(ASPLOS'25) and Pond (ASPLOS'23); PCIe 5 staging from copy-engine measurements. The fidelity section "
                        + "sets the model beside each published figure."),
                new Block.Paragraph("Host: host time is this machine's clock around the emulator's own work. It says what "
                        + "emulating costs, never how fast the emulated machine is; the two are reported in separate columns and "
                        + "never mixed. JMH runs of the same operations (`benchmarks/run-jmh`) give the careful host figures."),
                new Block.Paragraph("Transfers are modeled unloaded unless a section says otherwise: per-port lanes queue bulk "
                        + "transfers, but coherence and KV fetches reserve no link time.")));
    }

    // ---- unified vs copy ------------------------------------------------------------------------

    private Section sweep() {
        List<FabricPair> pairs = FabricPair.all();
        List<SweepRow> rows = Sweep.run(pairs, Sweep.PATHS, plan.sweepSizes(), seed, row -> { });
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Paragraph("Node 0 fetches a buffer from a node across the top switch tier, on each fabric pair: "
                + "a load/store fabric against a copy-based stack on the same machine shape. Modeled latency per operation; "
                + "bandwidth is size over latency."));
        for (FabricPair pair : pairs) {
            List<SweepRow> mine = rows.stream().filter(r -> r.pair().equals(pair.name())).toList();
            List<String> header = new ArrayList<>(List.of("size"));
            for (PathKind m : Sweep.PATHS) {
                header.add(m.label() + " (modeled)");
            }
            List<List<String>> cells = new ArrayList<>();
            for (long size : plan.sweepSizes()) {
                List<String> row = new ArrayList<>(List.of(ByteSize.format(size)));
                for (PathKind m : Sweep.PATHS) {
                    SweepRow r = find(mine, m, size);
                    row.add(Units.nanos(Math.round(r.latencyNanos())) + (size >= 65_536
                            ? ", " + String.format(Locale.ROOT, "%.1f GB/s", r.bytesPerSecond() / 1e9) : ""));
                }
                cells.add(row);
            }
            blocks.add(new Block.Table(pair.name() + ": " + pair.loadStore().name() + " load/store vs " + pair.copy().name(),
                    header, cells, Set.of()));
            XYChart chart = Charts.lines("Modeled latency, " + pair.name(), "transfer size (bytes)", "modeled latency (us)");
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setXAxisDecimalPattern("0.#E0");
            for (PathKind m : Sweep.PATHS) {
                double[] x = plan.sweepSizes().stream().mapToDouble(Long::doubleValue).toArray();
                double[] y = plan.sweepSizes().stream().mapToDouble(s -> find(mine, m, s).latencyNanos() / 1e3).toArray();
                chart.addSeries(m.label(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
            blocks.add(figure(chart, "sweep-" + pair.name().toLowerCase(Locale.ROOT),
                    "Modeled latency against transfer size, " + pair.name() + " (log-log)."));
        }
        return new Section("compare", "Unified vs copy: the sweep", blocks);
    }

    private static SweepRow find(List<SweepRow> rows, PathKind m, long size) {
        return rows.stream().filter(r -> r.method() == m && r.sizeBytes() == size).findFirst().orElseThrow();
    }

    // ---- KV cache ---------------------------------------------------------------------------

    private Section kv() {
        TraceLoad load = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(seed).withRequests(plan.kvRequests()));
        ReplayOptions base = ReplayOptions.defaults();
        List<ReplayResult> results = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        Set<Integer> disagree = new HashSet<>();
        long everything = base.capacityHoldingEveryBlock(load);
        for (double fraction : plan.kvCapacities()) {
            long capacity = Math.max(base.layout().tokensPerBlock(), Math.round(everything * fraction));
            List<ReplayResult> side = Replay.sideBySide(load, base.withCapacityTokens(capacity), List.of(ServingPath.values()), n -> { });
            long digest = side.getFirst().outputDigest();
            for (ReplayResult r : side) {
                if (r.outputDigest() != digest) {
                    disagree.add(cells.size());
                }
                cells.add(List.of(String.format(Locale.ROOT, "%,d", capacity), r.options().path().label(),
                        pct(r.blockHitRate()), Units.nanos(r.meanTtftNanos()), Units.nanos(r.ttftQuantileNanos(0.99)),
                        Units.decimalBytes(r.fabricBytes()), String.format(Locale.ROOT, "%,d", r.messages()),
                        String.format(Locale.ROOT, "%.2f s", r.hostNanos() / 1e9)));
                results.add(r);
            }
        }
        for (ServingPath path : ServingPath.values()) {
            ReplayResult r = results.stream().filter(x -> x.options().path() == path).reduce((a, b) -> b).orElseThrow();
            double perRequest = r.hostNanos() / (double) r.requests();
            costRows.add(List.of("KV replay: " + path.label() + ", one request", fmt(perRequest) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perRequest) + " req/s", Units.nanos(r.meanTtftNanos()) + " TTFT"));
        }
        XYChart hit = Charts.lines("KV block hit rate, " + load.requests().size() + " requests on " + base.nodes() + " nodes",
                "KV capacity per node (k tokens)", "block hit rate (%)");
        hit.getStyler().setXAxisLogarithmic(true);
        XYChart ttft = Charts.lines("Mean time to first token (modeled)", "KV capacity per node (k tokens)", "mean TTFT (ms)");
        ttft.getStyler().setXAxisLogarithmic(true);
        for (ServingPath path : ServingPath.values()) {
            List<ReplayResult> mine = results.stream().filter(r -> r.options().path() == path).toList();
            double[] x = mine.stream().mapToDouble(r -> r.options().capacityTokensPerNode() / 1e3).toArray();
            hit.addSeries(path.label(), x, mine.stream().mapToDouble(r -> 100 * r.blockHitRate()).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            ttft.addSeries(path.label(), x, mine.stream().mapToDouble(r -> r.meanTtftNanos() / 1e6).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        return new Section("kv", "KV-cache pooling", List.of(
                new Block.Paragraph(load.requests().size() + " generated multi-turn chat requests (seed " + seed + ") on "
                        + base.nodes() + " nodes, " + base.pair().name() + ", model " + base.profile().name()
                        + ": local-only (stacked servers) against a pool read in place by load/store and a pool fetched by "
                        + "request and reply. Capacities run from a small share up to what holds every distinct block ("
                        + String.format(Locale.ROOT, "%,d", everything) + " tokens per node). Every capacity replays all three "
                        + "paths; decode digests must agree (rows that do not are flagged)."),
                new Block.Table("KV replay by capacity and path", List.of("tokens/node", "path", "block hits", "mean TTFT",
                        "p99 TTFT", "fabric bytes", "messages", "host"), cells, disagree),
                figure(hit, "kv-hit-rate", "Block hit rate against KV capacity per node."),
                figure(ttft, "kv-ttft", "Mean modeled time to first token against KV capacity per node.")));
    }

    // ---- embedding --------------------------------------------------------------------------

    private Section embedding() {
        EmbeddingConfig base = plan.embedding().withMachine(plan.embedding().dim(), plan.embedding().pair(), seed)
                .withZipf(plan.zipfExponents().getFirst());
        int lineBytes = EmbeddingConfig.cacheLineBytes(base.dim());
        List<Integer> lines = plan.cacheBytes().stream().map(b -> (int) (b / lineBytes)).toList();
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Paragraph(base.describe() + ", " + base.steps() + " steps, on " + base.pair().name()
                + "; the Zipf exponent as each table says. Without a cache, loads move more bytes than an all-to-all of pooled vectors; a coherent row cache "
                + "may turn that around when ids are skewed. Every path must pool identical outputs (rows that do not "
                + "are flagged)."));
        for (double zipf : plan.zipfExponents()) {
            List<EmbeddingResult> results = EmbeddingRuns.runAll(base.withZipf(zipf), List.of(EmbeddingPath.values()), lines, done -> { });
            long digest = results.getFirst().outputDigest();
            List<List<String>> cells = new ArrayList<>();
            Set<Integer> disagree = new HashSet<>();
            for (EmbeddingResult r : results) {
                if (r.outputDigest() != digest) {
                    disagree.add(cells.size());
                }
                cells.add(List.of(r.label(), Units.decimalBytes(r.fabricBytesPerStep()), Units.decimalBytes(r.idBytesPerStep()),
                        Units.decimalBytes(r.rowBytesPerStep()), Units.decimalBytes(r.pooledBytesPerStep()),
                        String.format(Locale.ROOT, "%,d", r.messagesPerStep()), Units.nanos(r.modeledStepNanos()),
                        Double.isNaN(r.cacheHitRate()) ? "-" : pct(r.cacheHitRate()),
                        String.format(Locale.ROOT, "%,.0f", r.lookupsPerHostSecond())));
            }
            blocks.add(new Block.Table(String.format(Locale.ROOT, "Zipf %.2f, per step", zipf), List.of("path", "fabric",
                    "ids", "rows", "pooled", "messages", "step (modeled)", "cache hits", "lookups/s (host)"), cells, disagree));
            String name = String.format(Locale.ROOT, "embedding-crossover-zipf-%.2f", zipf).replace('.', '_');
            blocks.add(figure(() -> EmbeddingPlots.crossover(results,
                    String.format(Locale.ROOT, "Fabric bytes per step, Zipf %.2f", zipf), charts, name), name, String.format(Locale.ROOT,
                    "Zipf %.2f: fabric bytes per step of the cached path against its cache size, beside the paths without a cache.", zipf)));
            // The last exponent's runs give the cost rows: by then the JIT has compiled every path.
            if (zipf == plan.zipfExponents().getLast()) {
                for (EmbeddingResult r : results) {
                    double perLookup = 1e9 / r.lookupsPerHostSecond();
                    costRows.add(List.of("embedding: " + r.label() + ", one lookup", fmt(perLookup) + " ns",
                            String.format(Locale.ROOT, "%,.0f", r.lookupsPerHostSecond()) + " lookups/s",
                            Units.nanos(r.modeledStepNanos()) + " per step"));
                }
            }
        }
        return new Section("embedding", "Embedding tables", blocks);
    }

    // ---- fidelity ---------------------------------------------------------------------------

    private Section fidelity() {
        List<FidelityRow> rows = Fidelity.rows();
        List<List<String>> cells = new ArrayList<>();
        Set<Integer> outside = new HashSet<>();
        for (FidelityRow r : rows) {
            if (!r.within()) {
                outside.add(cells.size());
            }
            cells.add(List.of(r.what(), fmt(r.published()) + " " + r.unit(), fmt(r.modeled()) + " " + r.unit(),
                    String.format(Locale.ROOT, "%+.1f %%", 100 * r.relativeError()),
                    String.format(Locale.ROOT, "%.0f %%", 100 * r.tolerance()), r.within() ? "yes" : "NO", r.source()));
        }
        long out = rows.stream().filter(r -> !r.within()).count();
        return new Section("fidelity", "Fidelity: modeled against published", List.of(
                new Block.Paragraph("Each operation measured on the model the way its publication measured it: one warm access "
                        + "for latencies, a 64 MiB transfer for bandwidths, half a ping-pong for message latencies. Modeled time "
                        + "is deterministic, so these rows are the same on every machine. " + out + " of " + rows.size()
                        + " rows are outside their tolerance; they are flagged, not hidden."),
                new Block.Table("Published figures beside the model", List.of("operation", "published", "modeled",
                        "error", "tolerance", "within", "source"), cells, outside)));
    }

    // ---- emulator cost ----------------------------------------------------------------------

    private void measureProbes() {
        for (PathKind m : Sweep.PATHS) {
            for (long size : PROBE_SIZES) {
                probeNanos.computeIfAbsent(m, k -> new TreeMap<>()).put(size, probeInFreshJvm(m, size));
            }
        }
    }

    private Section cost() {
        List<List<String>> probeRows = new ArrayList<>();
        probeNanos.forEach((m, bySize) -> bySize.forEach((size, perOp) -> probeRows.add(List.of(
                m.label() + ", " + ByteSize.format(size), fmt(perOp) + " ns",
                String.format(Locale.ROOT, "%,.0f", 1e9 / perOp) + " ops/s"))));
        for (ServingPath path : ServingPath.values()) {
            double perRequest = replayNanosPerRequest(path);
            replayNanos.put(path, perRequest);
            costRows.add(List.of("KV replay, the JMH trace: " + path.label() + ", one request", fmt(perRequest) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perRequest) + " req/s", "-"));
        }
        for (EmbeddingPath path : EmbeddingPath.values()) {
            double perLookup = gatherNanosPerLookup(path);
            gatherNanos.put(path, perLookup);
            costRows.add(List.of("embedding, the JMH workload: " + path.label() + ", one lookup", fmt(perLookup) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perLookup) + " lookups/s", "-"));
        }
        List<List<String>> scaling = new ArrayList<>();
        for (int nodes : plan.scalingNodes()) {
            scaling.add(scale(nodes, plan.touchBytesPerNode()));
        }
        // Touched memory grows the page tables' working set and the resident memory, not the node count.
        for (int factor : List.of(8, 32)) {
            scaling.add(scale(plan.scalingNodes().getFirst(), plan.touchBytesPerNode() * factor));
        }
        return new Section("cost", "The emulator's own cost", List.of(
                new Block.Paragraph("Each method of the sweep on " + FabricPair.UB_VS_ROCE.name() + ", node 0 fetching "
                        + "from the last node, one operation at a time on one thread, warmed up first and then timed over "
                        + "as long (" + plan.probeMillis() + " ms each): the same probe JMH's SweepOpBenchmark runs, each in a fresh JVM as JMH forks "
                        + "one per benchmark (in this JVM, after the workloads above, the JIT's profiles of the shared "
                        + "access paths are mixed and small operations cost up to three times as much). Send/receive "
                        + "counts both sides' work; remote reads are served inline."),
                new Block.Table("Host cost per operation, warmed", List.of("operation", "host per op", "host rate"),
                        probeRows, Set.of()),
                new Block.Paragraph("Host time per request and per lookup inside the workloads above (one run each, so "
                        + "noisier), per request on the " + BenchmarkReplay.REQUESTS + "-request trace JMH's KvReplayBenchmark "
                        + "replays (" + REPLAY_WARMUP_RUNS + " replays to warm up, " + REPLAY_TIMED_RUNS + " timed), and per "
                        + "lookup on the small embedding workload JMH's EmbeddingGatherBenchmark runs ("
                        + GATHER_WARMUP_RUNS + " runs to warm up, " + GATHER_TIMED_RUNS + " timed). The modeled time of the "
                        + "same operation is beside it for scale: the two are different clocks."),
                new Block.Table("Host cost per emulated operation in the workloads", List.of("operation", "host per op",
                        "host rate", "modeled"), costRows, Set.of()),
                new Block.Paragraph("Machine size: each preset booted in this JVM; node 0 loads 8 B from random addresses of a "
                        + "region interleaved over every node, after each node's share (" + ByteSize.format(plan.touchBytesPerNode())
                        + ") was written, and from one warm 64 KiB page as the JMH ScalarLoadBenchmark does; the third of "
                        + "three rounds is timed. The last two rows touch 8 and 32 times as much on the smallest machine. Resident memory "
                        + "is the whole process's (heap and native), so it includes everything run before."),
                new Block.Table("Emulator cost against machine size", List.of("nodes", "preset", "nominal memory", "boot",
                        "RSS after boot", "touched", "RSS after touch", "random remote load (host)", "warm-page load (host)"),
                        scaling, Set.of())));
    }

    private List<String> scale(int nodes, long touchBytesPerNode) {
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
                    ByteSize.format(rssTouched), fmt(perRandom) + " ns", fmt(perWarm) + " ns");
        }
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

    /** Host ns per lookup on JMH's embedding workload, by path, as the cost section measured it (empty before). */
    public Map<EmbeddingPath, Double> gatherNanos() {
        return Collections.unmodifiableMap(gatherNanos);
    }

    /** Host ns per request on JMH's KV trace, by path, as the cost section measured it (empty before). */
    public Map<ServingPath, Double> replayNanos() {
        return Collections.unmodifiableMap(replayNanos);
    }

    /** Host ns per request of one path replaying {@link BenchmarkReplay}, timed as JMH times a replay of it. */
    private static double replayNanosPerRequest(ServingPath path) {
        BenchmarkReplay replay = new BenchmarkReplay(path);
        return nanosPerRun(replay::run, REPLAY_WARMUP_RUNS, REPLAY_TIMED_RUNS) / replay.requests();
    }

    /** Host ns per run of {@code run}: {@code warmups} runs untimed (the JIT's warm-up), then the mean of {@code timed}. */
    private static double nanosPerRun(Runnable run, int warmups, int timed) {
        for (int i = 0; i < warmups; i++) {
            run.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            run.run();
        }
        return (System.nanoTime() - start) / (double) timed;
    }

    /** Warmed host ns per operation of {@code method} fetching {@code sizeBytes}, as the cost section measured it (NaN before). */
    public double probeNanos(PathKind method, long sizeBytes) {
        return probeNanos.getOrDefault(method, Map.of()).getOrDefault(sizeBytes, Double.NaN);
    }

    /**
     * Warmed host ns per operation of one probe, timed in a child JVM on this JVM's class path with the
     * flags JMH's forks get, warmed up and timed for the plan's probe time each.
     */
    private double probeInFreshJvm(PathKind method, long size) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dchronicle.analytics.disable=true", "-cp", System.getProperty("java.class.path"), OpProbe.class.getName(),
                FabricPair.UB_VS_ROCE.name(), method.name(), String.valueOf(size), String.valueOf(seed),
                String.valueOf(plan.probeMillis()), String.valueOf(plan.probeMillis()));
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes()).strip();
            if (child.waitFor() != 0) {
                throw new IllegalStateException("the " + method + " " + size + " B probe's JVM failed: " + output);
            }
            return Double.parseDouble(output.lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for the " + method + " probe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + method + " probe ran", e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the " + method + " " + size + " B probe's JVM printed no figure", e);
        }
    }

    /** Host ns per lookup of one path on {@link EmbeddingConfig#GATHER_BENCHMARK}, timed as JMH times a run of it. */
    private static double gatherNanosPerLookup(EmbeddingPath path) {
        EmbeddingConfig config = EmbeddingConfig.GATHER_BENCHMARK;
        try (EmbeddingWorkload workload = new EmbeddingWorkload(config, path)) {
            return nanosPerRun(workload::run, GATHER_WARMUP_RUNS, GATHER_TIMED_RUNS) / (config.lookupsPerStep() * config.steps());
        }
    }

    /** Host ns per warm-page remote load on the 384-node preset, as measured by the cost section (NaN before). */
    public double warmLoadNanos() {
        return warmLoadNanos;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Block.Figure figure(Chart<?, ?> chart, String name, String caption) {
        return figure(() -> Charts.save(chart, charts, name), name, caption);
    }

    /** A chart written by {@code save} as {@code charts/<name>.png|svg}, as a figure of the report. */
    private static Block.Figure figure(ChartWriter save, String name, String caption) {
        try {
            save.write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + name, e);
        }
        return new Block.Figure(name, caption);
    }

    /** Writes one chart's files. */
    @FunctionalInterface
    private interface ChartWriter {
        List<Path> write() throws IOException;
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String fmt(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
