package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import io.supernode.embedding.EmbeddingRuns;
import io.supernode.gas.stats.Units;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.supernode.bench.report.Cells.number;
import static io.supernode.bench.report.Cells.percent;

/**
 * The embedding workload on every path, for each Zipf exponent of the plan and each row-cache size, with a
 * crossover chart per exponent. The last exponent's host time per lookup goes to the cost section's rows.
 */
final class EmbeddingSection {

    private EmbeddingSection() {
    }

    /** Runs every path at every exponent and cache size, adds a cost row per path, and writes the charts. */
    static Section section(SectionInputs in) {
        ReportPlan plan = in.plan();
        EmbeddingConfig base = plan.embedding().toBuilder().seed(in.seed()).build()
                .withZipf(plan.zipfExponents().getFirst());
        int lineBytes = EmbeddingConfig.cacheLineBytes(base.dim());
        List<Integer> lines = plan.cacheBytes().stream().map(b -> (int) (b / lineBytes)).toList();
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Paragraph(base.describe() + ", " + base.steps() + " steps, on " + base.pair().label()
                + "; the Zipf exponent as each table says. Without a cache, loads move more bytes than an all-to-all of pooled vectors; a coherent row cache "
                + "may turn that around when ids are skewed. Every path must pool identical outputs (rows that do not "
                + "are flagged)."));
        for (double zipf : plan.zipfExponents()) {
            List<EmbeddingResult> results = EmbeddingRuns.runAll(base.withZipf(zipf), List.of(EmbeddingSetup.values()), lines, done -> { });
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
                        Double.isNaN(r.cacheHitRate()) ? "-" : percent(r.cacheHitRate()),
                        String.format(Locale.ROOT, "%,.0f", r.lookupsPerHostSecond())));
            }
            blocks.add(new Block.Table(String.format(Locale.ROOT, "Zipf %.2f, per step", zipf), List.of("path", "fabric",
                    "ids", "rows", "pooled", "messages", "step (modeled)", "cache hits", "lookups/s (host)"), cells, disagree));
            String name = String.format(Locale.ROOT, "embedding-crossover-zipf-%.2f", zipf).replace('.', '_');
            blocks.add(in.figures().figure(dir -> EmbeddingPlots.crossover(results,
                    String.format(Locale.ROOT, "Fabric bytes per step, Zipf %.2f", zipf), dir, name), name, String.format(Locale.ROOT,
                    "Zipf %.2f: fabric bytes per step of the cached path against its cache size, beside the paths without a cache.", zipf)));
            // The last exponent's runs give the cost rows: by then the JIT has compiled every path.
            if (zipf == plan.zipfExponents().getLast()) {
                for (EmbeddingResult r : results) {
                    double perLookup = 1e9 / r.lookupsPerHostSecond();
                    in.costRows().add(List.of("embedding: " + r.label() + ", one lookup", number(perLookup) + " ns",
                            String.format(Locale.ROOT, "%,.0f", r.lookupsPerHostSecond()) + " lookups/s",
                            Units.nanos(r.modeledStepNanos()) + " per step"));
                }
            }
        }
        return new Section("embedding", "Embedding tables", blocks);
    }
}
