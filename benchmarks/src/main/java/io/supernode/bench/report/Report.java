package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingSetup;
import io.supernode.gas.path.PathKind;
import io.supernode.kvcache.serve.ServingSetup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs every workload on every path and turns the results into report sections: the unified-vs-copy
 * sweep, the KV-cache replay over several capacities, the embedding workload over Zipf exponents and cache
 * sizes, the fabric model against its published anchors, and what emulating costs this host. Each section
 * is a class of its own; this one runs them in order and keeps the host figures the command line sets
 * beside JMH's.
 */
public final class Report {

    private final SectionInputs in;
    private final Consumer<String> log;
    private final HostProbes probes;
    private final MachineScaling scaling;
    private final CostSection cost;

    /**
     * @param plan how much to run
     * @param seed seeds every workload
     * @param dir  where charts go ({@code dir/charts})
     * @param log  receives one line as each part starts
     */
    public Report(ReportPlan plan, long seed, Path dir, Consumer<String> log) {
        this.in = new SectionInputs(plan, seed, new Figures(dir.resolve("charts")), new ArrayList<>());
        this.log = log;
        this.probes = new HostProbes(plan, seed);
        this.scaling = new MachineScaling(plan, seed);
        this.cost = new CostSection(in, probes, scaling);
    }

    /** The sections, in reading order; every workload runs here, each announced as {@code [i/n] what}. */
    public List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(MethodologySection.section());
        List<Map.Entry<String, Supplier<Section>>> parts = List.of(
                Map.entry("unified vs copy sweep", () -> SweepSection.section(in)),
                Map.entry("KV-cache replay", () -> KvSection.section(in)),
                Map.entry("embedding tables", () -> EmbeddingSection.section(in)),
                Map.entry("fidelity against published figures", FidelitySection::section),
                Map.entry("emulator cost", cost::section));
        int total = parts.size() + 1;
        // The probes run first, while this JVM is idle: after the heavy workloads its collector and compiler
        // threads would share the cores with the probes' JVMs. Their figures go to the cost section.
        log.accept(String.format(Locale.ROOT, "[1/%d] host cost probes, each in its own JVM", total));
        probes.measure();
        for (int i = 0; i < parts.size(); i++) {
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s", i + 2, total, parts.get(i).getKey()));
            sections.add(parts.get(i).getValue().get());
        }
        return sections;
    }

    /** Host ns per lookup on JMH's embedding workload, by path, as the cost section measured it (empty before). */
    public Map<EmbeddingSetup, Double> gatherNanos() {
        return cost.gatherNanos();
    }

    /** Host ns per request on JMH's KV trace, by path, as the cost section measured it (empty before). */
    public Map<ServingSetup, Double> replayNanos() {
        return cost.replayNanos();
    }

    /** Warmed host ns per operation of {@code method} fetching {@code sizeBytes}, as the cost section measured it (NaN before). */
    public double probeNanos(PathKind method, long sizeBytes) {
        return probes.nanos(method, sizeBytes);
    }

    /** Host ns per warm-page remote load on the 384-node preset, as measured by the cost section (NaN before). */
    public double warmLoadNanos() {
        return scaling.warmLoadNanos();
    }
}
