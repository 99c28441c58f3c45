package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingWorkload;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.path.FabricPair;
import io.supernode.kvcache.serve.BenchmarkReplay;
import io.supernode.kvcache.serve.ServingSetup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.supernode.bench.report.Cells.number;

/**
 * The emulator's own cost on this host: the sweep methods' probes (run earlier, each in its own JVM), host
 * time per operation inside the workload sections and on the workloads JMH runs, and the cost against
 * machine size.
 */
final class CostSection {

    /** Replays of the shared KV trace before timing and timed. */
    private static final int REPLAY_WARMUP_RUNS = 5;
    private static final int REPLAY_TIMED_RUNS = 5;
    /** Runs of the shared embedding workload before timing (the JIT's warm-up) and timed. */
    private static final int GATHER_WARMUP_RUNS = 20;
    private static final int GATHER_TIMED_RUNS = 20;

    private final ReportPlan plan;
    private final List<List<String>> costRows;
    private final HostProbes probes;
    private final MachineScaling scaling;
    /** Host ns per request by path on {@link BenchmarkReplay}, the replay JMH runs. */
    private final Map<ServingSetup, Double> replayNanos = new EnumMap<>(ServingSetup.class);
    /** Host ns per lookup by path on {@link EmbeddingConfig#GATHER_BENCHMARK}, the workload JMH runs. */
    private final Map<EmbeddingSetup, Double> gatherNanos = new EnumMap<>(EmbeddingSetup.class);

    /**
     * @param in     the cost rows in it are the workload sections' by the time this section is built; it adds its own
     * @param probes the sweep methods' probes, measured before this section is built
     */
    CostSection(SectionInputs in, HostProbes probes, MachineScaling scaling) {
        this.plan = in.plan();
        this.costRows = in.costRows();
        this.probes = probes;
        this.scaling = scaling;
    }

    /** Times JMH's workloads and the machine sizes, and shows every host figure gathered. */
    Section section() {
        List<List<String>> probeRows = new ArrayList<>();
        probes.all().forEach((m, bySize) -> bySize.forEach((size, perOp) -> probeRows.add(List.of(
                m.label() + ", " + ByteSize.format(size), number(perOp) + " ns",
                String.format(Locale.ROOT, "%,.0f", 1e9 / perOp) + " ops/s"))));
        for (ServingSetup path : ServingSetup.values()) {
            double perRequest = replayNanosPerRequest(path);
            replayNanos.put(path, perRequest);
            costRows.add(List.of("KV replay, the JMH trace: " + path.label() + ", one request", number(perRequest) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perRequest) + " req/s", "-"));
        }
        for (EmbeddingSetup path : EmbeddingSetup.values()) {
            double perLookup = gatherNanosPerLookup(path);
            gatherNanos.put(path, perLookup);
            costRows.add(List.of("embedding, the JMH workload: " + path.label() + ", one lookup", number(perLookup) + " ns",
                    String.format(Locale.ROOT, "%,.0f", 1e9 / perLookup) + " lookups/s", "-"));
        }
        List<List<String>> scalingRows = new ArrayList<>();
        for (int nodes : plan.scalingNodes()) {
            scalingRows.add(scaling.row(nodes, plan.touchBytesPerNode()));
        }
        // Touched memory grows the page tables' working set and the resident memory, not the node count.
        for (int factor : List.of(8, 32)) {
            scalingRows.add(scaling.row(plan.scalingNodes().getFirst(), plan.touchBytesPerNode() * factor));
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
                        + "same operation is beside it for scale: the two are different clocks. The KV replay rows of the "
                        + "workloads are the replay thread's CPU time, since the paths' replays run side by side; the "
                        + "others are wall time."),
                new Block.Table("Host cost per emulated operation in the workloads", List.of("operation", "host per op",
                        "host rate", "modeled"), costRows, Set.of()),
                new Block.Paragraph("Machine size: each preset booted in this JVM; node 0 loads 8 B from random addresses of a "
                        + "region interleaved over every node, after each node's share (" + ByteSize.format(plan.touchBytesPerNode())
                        + ") was written, and from one warm 64 KiB page as the JMH ScalarLoadBenchmark does; the third of "
                        + "three rounds is timed. The last two rows touch 8 and 32 times as much on the smallest machine. Resident memory "
                        + "is the whole process's (heap and native), so it includes everything run before."),
                new Block.Table("Emulator cost against machine size", List.of("nodes", "preset", "nominal memory", "boot",
                        "RSS after boot", "touched", "RSS after touch", "random remote load (host)", "warm-page load (host)"),
                        scalingRows, Set.of())));
    }

    /** Host ns per request on JMH's KV trace, by path (empty before {@link #section()}). */
    Map<ServingSetup, Double> replayNanos() {
        return Collections.unmodifiableMap(replayNanos);
    }

    /** Host ns per lookup on JMH's embedding workload, by path (empty before {@link #section()}). */
    Map<EmbeddingSetup, Double> gatherNanos() {
        return Collections.unmodifiableMap(gatherNanos);
    }

    /** Host ns per request of one path replaying {@link BenchmarkReplay}, timed as JMH times a replay of it. */
    private static double replayNanosPerRequest(ServingSetup path) {
        BenchmarkReplay replay = new BenchmarkReplay(path);
        return nanosPerRun(replay::run, REPLAY_WARMUP_RUNS, REPLAY_TIMED_RUNS) / replay.requests();
    }

    /** Host ns per lookup of one path on {@link EmbeddingConfig#GATHER_BENCHMARK}, timed as JMH times a run of it. */
    private static double gatherNanosPerLookup(EmbeddingSetup path) {
        EmbeddingConfig config = EmbeddingConfig.GATHER_BENCHMARK;
        try (EmbeddingWorkload workload = new EmbeddingWorkload(config, path)) {
            return nanosPerRun(workload::run, GATHER_WARMUP_RUNS, GATHER_TIMED_RUNS) / (config.lookupsPerStep() * config.steps());
        }
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
}
