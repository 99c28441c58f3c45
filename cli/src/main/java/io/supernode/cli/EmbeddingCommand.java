package io.supernode.cli;

import io.supernode.bench.report.EmbeddingPlots;
import io.supernode.bench.report.OutputFiles;
import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.embedding.EmbeddingRuns;
import io.supernode.embedding.Optimizer;
import io.supernode.embedding.Pooling;
import io.supernode.embedding.Sharding;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.Json;
import io.supernode.gas.stats.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code supernode embedding}: the embedding-table workload on every path, side by side. */
@Command(name = "embedding", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sharded embedding tables looked up with EmbeddingBag over Zipf-skewed batches, on the unified "
                + "path (loads of every row), the unified path with a coherent row cache, and the copy path (all-to-all "
                + "of ids and pooled vectors). Prints fabric bytes per step by kind, messages, modeled step time, cache "
                + "hit rate, imbalance and host lookups per second, and checks that every path pooled the same outputs.")
public final class EmbeddingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", description = "Nodes (default: 8).")
    Integer nodes;

    @Option(names = "--tables", paramLabel = "N", description = "Tables (default: 8).")
    Integer tables;

    @Option(names = "--rows", paramLabel = "N", description = "Rows per table (default: 1000000).")
    Integer rows;

    @Option(names = "--dim", paramLabel = "N", description = "Floats per row, a power of two (default: 64).")
    Integer dim;

    @Option(names = "--batch", paramLabel = "N", description = "Global batch (default: 2048).")
    Integer batch;

    @Option(names = "--bag", paramLabel = "N", description = "Ids per bag (default: 20).")
    Integer bag;

    @Option(names = "--zipf", paramLabel = "S", description = "Zipf exponent of id popularity (default: 1.1).")
    Double zipf;

    @Option(names = "--sharding", paramLabel = "KIND", description = "table-wise, row-range or row-modulo (default: table-wise).")
    String sharding;

    @Option(names = "--pooling", paramLabel = "KIND", description = "sum or mean (default: sum).")
    String pooling;

    @Option(names = "--dedup", description = "Unified paths load each distinct row once per node, table and step.")
    boolean dedup;

    @Option(names = "--cache", paramLabel = "SIZE", split = ",",
            description = "Coherent row cache per node, e.g. 4MiB; several sizes (1MiB,4MiB,16MiB) run the cached path "
                    + "once each and chart the crossover with --plot (default: 4MiB).")
    List<String> cache;

    @Option(names = "--train", description = "Training: every touched row is written once per step with its summed gradient.")
    boolean train;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "With --train: sgd, or rowwise-adagrad (one float of state per row at its owner) (default: sgd).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "With --train: the optimizer's step (default: 0.05).")
    Float learningRate;

    @Option(names = "--steps", paramLabel = "N", description = "Steps (default: 3).")
    Integer steps;

    @Option(names = "--paths", paramLabel = "PATH", split = ",", description = "unified, unified-cached, copy (default: all).")
    List<String> paths;

    @Option(names = "--fabric", paramLabel = "PAIR", defaultValue = "ub-vs-roce",
            description = "Fabric pair: ub-vs-roce, nvlink4-vs-ib, cxl-vs-roce, dgx-vs-ib (default: ${DEFAULT-VALUE}).")
    String fabric;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seed of ids and initial rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TableFiles tableFiles;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also write charts to DIR as PNG and SVG: fabric bytes per step by kind, modeled step time, and "
                    + "with several --cache sizes the crossover of the cached path against the others.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        tableFiles.requireWritable();
        OutputFiles.requireWritableFolder("--plot", plot);
        int dimension = dim != null ? dim : EmbeddingConfig.DEFAULT.dim();
        List<Integer> lines = cacheLines(dimension);
        EmbeddingConfig config = config(dimension, lines.getFirst());
        List<EmbeddingSetup> list = paths == null ? List.of(EmbeddingSetup.values())
                : paths.stream().map(p -> EnumNames.parse(EmbeddingSetup.class, p, "path")).distinct().toList();
        PrintWriter out = spec.commandLine().getOut();
        out.println(Prose.wrap(config.describe()));
        Topology shape = config.pair().shape().inGroupsOf(config.nodes(), 8);
        if (paths == null && !shape.loadStoreEverywhere()) {
            // A coherence domain needs load/store between every pair of nodes; stacked servers have it only inside.
            list = list.stream().filter(p -> p != EmbeddingSetup.UNIFIED_CACHED).toList();
            out.println("unified-cached left out: " + shape.groupNoun() + "s are joined by "
                    + shape.scaleOut().name() + ", which carries messages only");
        }
        List<EmbeddingResult> results = runAll(config, list, lines);
        out.print(table(results));
        boolean agree = results.stream().mapToLong(EmbeddingResult::outputDigest).distinct().count() <= 1;
        out.println(agree ? "pooled outputs: identical on every path (digest " + Long.toHexString(results.getFirst().outputDigest()) + ")"
                : "pooled outputs DIFFER between paths");
        tableFiles.write(out, () -> csv(results), () -> json(config, results));
        if (plot != null) {
            String what = config.nodes() + " nodes, Zipf " + config.zipfExponent() + ", " + EnumNames.label(config.sharding());
            EmbeddingPlots.all(results, what, plot).forEach(f -> out.println("wrote " + f));
        }
        return agree ? 0 : 1;
    }

    /** Runs {@code config} on every path, the cached path once per cache size, with a progress bar. */
    private static List<EmbeddingResult> runAll(EmbeddingConfig config, List<EmbeddingSetup> paths, List<Integer> cacheLines) {
        int runs = EmbeddingRuns.count(paths, cacheLines);
        try (Progress progress = Progress.start("embedding", runs, "runs")) {
            var step = progress.stepper();
            return EmbeddingRuns.runAll(config, paths, cacheLines, step::accept);
        }
    }

    /** The paths side by side, one row each; the updates column only when a run trains. */
    static String table(List<EmbeddingResult> results) {
        boolean training = results.stream().anyMatch(r -> r.updateBytesPerStep() > 0);
        List<String> header = new ArrayList<>(List.of("path", "ids/step", "rows/step", "pooled/step"));
        if (training) {
            header.add("updates/step");
        }
        header.addAll(List.of("fabric/step", "messages/step", "step (modeled)", "cache hits", "imbalance", "lookups/s (host)"));
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (EmbeddingResult r : results) {
            List<Object> cells = new ArrayList<>(List.of(r.label(), Units.decimalBytes(r.idBytesPerStep()),
                    Units.decimalBytes(r.rowBytesPerStep()), Units.decimalBytes(r.pooledBytesPerStep())));
            if (training) {
                cells.add(Units.decimalBytes(r.updateBytesPerStep()));
            }
            cells.addAll(List.of(Units.decimalBytes(r.fabricBytesPerStep()), r.messagesPerStep(), Units.nanos(r.modeledStepNanos()),
                    Double.isNaN(r.cacheHitRate()) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * r.cacheHitRate()),
                    String.format(Locale.ROOT, "%.2f", r.imbalance()), String.format(Locale.ROOT, "%,.0f", r.lookupsPerHostSecond())));
            table.row(cells.toArray());
        }
        return table.toString();
    }

    private EmbeddingConfig config(int dimension, int cacheLinesPerNode) {
        EmbeddingConfig.Builder b = EmbeddingConfig.DEFAULT.toBuilder().dim(dimension).dedup(dedup)
                .cacheLinesPerNode(cacheLinesPerNode).training(train).pair(FabricPair.byName(fabric)).seed(seed);
        if (nodes != null) {
            b.nodes(nodes);
        }
        if (tables != null) {
            b.tables(tables);
        }
        if (rows != null) {
            b.rowsPerTable(rows);
        }
        if (batch != null) {
            b.globalBatch(batch);
        }
        if (bag != null) {
            b.bagSize(bag);
        }
        if (zipf != null) {
            b.zipfExponent(zipf);
        }
        if (sharding != null) {
            b.sharding(EnumNames.parse(Sharding.class, sharding, "sharding"));
        }
        if (pooling != null) {
            b.pooling(EnumNames.parse(Pooling.class, pooling, "pooling"));
        }
        if (optimizer != null) {
            b.optimizer(EnumNames.parse(Optimizer.class, optimizer, "optimizer"));
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        if (steps != null) {
            b.steps(steps);
        }
        return b.build();
    }

    /** The --cache sizes as lines of the row cache, in the order given. */
    private List<Integer> cacheLines(int dimension) {
        int lineBytes = EmbeddingConfig.cacheLineBytes(dimension);
        List<String> sizes = cache == null ? List.of("4MiB") : cache;
        List<Integer> lines = new ArrayList<>();
        for (String size : sizes) {
            long cacheBytes = ByteSize.parse(size).bytes();
            if (cacheBytes < lineBytes || cacheBytes / lineBytes > EmbeddingConfig.MAX_CACHE_LINES_PER_NODE) {
                // Every size is checked here, before the first run, not when its own run starts.
                throw new ConfigFault("--cache: " + ByteSize.format(cacheBytes) + " is not a usable cache size (one "
                        + ByteSize.format(lineBytes) + " line to " + EmbeddingConfig.MAX_CACHE_LINES_PER_NODE + " lines, "
                        + ByteSize.format((long) lineBytes * EmbeddingConfig.MAX_CACHE_LINES_PER_NODE) + ", per node)");
            }
            lines.add((int) (cacheBytes / lineBytes));
        }
        return lines.stream().distinct().toList();
    }

    private static String csv(List<EmbeddingResult> results) {
        StringBuilder out = new StringBuilder("path,cache_bytes_per_node,steps,lookups_per_step,id_bytes_per_step,row_bytes_per_step,"
                + "pooled_bytes_per_step,update_bytes_per_step,fabric_bytes_per_step,messages_per_step,modeled_step_ns,"
                + "cache_hit_rate,imbalance,host_ns,lookups_per_host_second,output_digest\n");
        for (EmbeddingResult r : results) {
            out.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s,%.4f,%d,%.0f,%s%n", r.path().label(),
                    r.cacheBytesPerNode(), r.steps(), r.lookupsPerStep(), r.idBytesPerStep(), r.rowBytesPerStep(), r.pooledBytesPerStep(),
                    r.updateBytesPerStep(), r.fabricBytesPerStep(), r.messagesPerStep(), r.modeledStepNanos(),
                    Double.isNaN(r.cacheHitRate()) ? "" : String.format(Locale.ROOT, "%.4f", r.cacheHitRate()), r.imbalance(),
                    r.hostNanos(), r.lookupsPerHostSecond(), Long.toHexString(r.outputDigest())));
        }
        return out.toString();
    }

    /**
     * The setting and one row per path as JSON: rates and the imbalance with four decimals, lookups per
     * host second with none. The cache hit rate is NaN on paths without a cache and is written as null
     * there; so would be any other decimal that were not finite, since JSON has no NaN.
     */
    static String json(EmbeddingConfig c, List<EmbeddingResult> results) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeNumberField("nodes", c.nodes());
            json.writeNumberField("tables", c.tables());
            json.writeNumberField("rows_per_table", c.rowsPerTable());
            json.writeNumberField("dim", c.dim());
            json.writeNumberField("global_batch", c.globalBatch());
            json.writeNumberField("bag_size", c.bagSize());
            json.writeNumberField("zipf", c.zipfExponent());
            json.writeStringField("sharding", EnumNames.label(c.sharding()));
            json.writeStringField("pooling", EnumNames.label(c.pooling()));
            json.writeBooleanField("dedup", c.dedup());
            json.writeBooleanField("training", c.training());
            json.writeStringField("optimizer", EnumNames.label(c.optimizer()));
            json.writeNumberField("learning_rate", c.learningRate());
            json.writeStringField("fabric", c.pair().name());
            json.writeNumberField("seed", c.seed());
            json.writeArrayFieldStart("paths");
            for (EmbeddingResult r : results) {
                json.writeStartObject();
                json.writeStringField("path", r.path().label());
                json.writeNumberField("cache_bytes_per_node", r.cacheBytesPerNode());
                json.writeNumberField("id_bytes_per_step", r.idBytesPerStep());
                json.writeNumberField("row_bytes_per_step", r.rowBytesPerStep());
                json.writeNumberField("pooled_bytes_per_step", r.pooledBytesPerStep());
                json.writeNumberField("update_bytes_per_step", r.updateBytesPerStep());
                json.writeNumberField("messages_per_step", r.messagesPerStep());
                json.writeNumberField("modeled_step_ns", r.modeledStepNanos());
                Json.writeFixedField(json, "cache_hit_rate", r.cacheHitRate(), 4);
                Json.writeFixedField(json, "imbalance", r.imbalance(), 4);
                json.writeNumberField("host_ns", r.hostNanos());
                Json.writeFixedField(json, "lookups_per_host_second", r.lookupsPerHostSecond(), 0);
                json.writeStringField("output_digest", Long.toHexString(r.outputDigest()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
