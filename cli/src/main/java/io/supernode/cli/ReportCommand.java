package io.supernode.cli;

import io.supernode.embedding.EmbeddingSetup;
import io.supernode.bench.report.Block;
import io.supernode.bench.report.JmhResults;
import io.supernode.bench.report.OutputFiles;
import io.supernode.bench.report.Report;
import io.supernode.bench.report.ReportPlan;
import io.supernode.bench.report.ReportWriter;
import io.supernode.bench.report.Section;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.memory.ByteSize;
import io.supernode.kvcache.serve.ServingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code supernode report}: every workload on every path, written as one HTML page and its markdown twin. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the unified-vs-copy sweep, the KV-cache replay (three paths, several capacities) and the "
                + "embedding workload (paths x cache sizes x Zipf exponents), set the fabric model beside its published "
                + "figures, measure what emulating costs this host (per operation and against 8, 72 and 384 nodes), and "
                + "write report.html (self-contained) and report.md with their charts.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "The quick profile: smaller workloads, a few minutes (default: the full one).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "supernode-report",
            description = "Folder for report.html, report.md and charts/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Seeds every workload (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jmh", paramLabel = "FILE",
            description = "Add a JMH result file (benchmarks/run-jmh writes one) and set its figures beside the report's own.")
    Path jmh;

    @Override
    public Integer call() {
        OutputFiles.requireWritableFolder("--out", out);
        PrintWriter err = spec.commandLine().getErr();
        ReportPlan plan = quick ? ReportPlan.QUICK : ReportPlan.FULL;
        JmhResults jmhResults = jmh == null ? null : JmhResults.read(jmh);
        long start = System.nanoTime();
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Report report = new Report(plan, seed, out, part -> err.println("report: " + part));
        List<Section> sections = new ArrayList<>(report.sections());
        if (jmhResults != null) {
            sections.add(jmhSection(jmhResults, report));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sections.addFirst(runSection(plan, started, seconds));
        List<Path> written = ReportWriter.write("Supernode: unified vs copy-based access", sections, out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s report in %.0f s: %s%n", plan.name(), seconds,
                String.join(", ", written.stream().map(Path::toString).toList()));
        return 0;
    }

    private Section runSection(ReportPlan plan, Instant started, double seconds) {
        Runtime rt = Runtime.getRuntime();
        long physical = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        List<List<String>> rows = List.of(
                List.of("started", started.toString()),
                List.of("profile", plan.name() + " (" + String.format(Locale.ROOT, "%.0f s", seconds) + " of host time)"),
                List.of("seed", String.valueOf(seed)),
                List.of("supernode", String.valueOf(ReportCommand.class.getPackage().getImplementationVersion())),
                List.of("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")"),
                List.of("host", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch") + ", " + rt.availableProcessors() + " CPUs"
                        + (physical > 0 ? ", " + ByteSize.format(physical) + " RAM" : "")),
                List.of("JVM heap limit", ByteSize.format(rt.maxMemory())));
        return new Section("run", "This run", List.of(
                new Block.Paragraph("Re-run with `supernode report" + (quick ? " --quick" : "") + " --seed " + seed
                        + "`: modeled figures repeat exactly for the same seed; host figures depend on this machine."),
                new Block.Table("Run", List.of("what", "value"), rows, Set.of())));
    }

    private static Section jmhSection(JmhResults results, Report report) {
        List<List<String>> rows = new ArrayList<>();
        for (JmhResults.Score s : results.scores()) {
            rows.add(List.of(s.shortName(), s.params().isEmpty() ? "-" : s.params(), s.mode(),
                    String.format(Locale.ROOT, "%,.2f", s.score()),
                    Double.isNaN(s.error()) ? "-" : String.format(Locale.ROOT, "± %,.2f", s.error()), s.unit()));
        }
        List<Block> blocks = new ArrayList<>(List.of(new Block.Paragraph("From " + results.source()
                + ". Only ratios within one JMH run mean much on a shared machine."),
                new Block.Table("JMH scores", List.of("benchmark", "params", "mode", "score", "error", "unit"), rows, Set.of())));
        List<List<String>> agree = new ArrayList<>();
        Set<Integer> off = new HashSet<>();
        for (JmhResults.Score s : results.scores()) {
            String what = null;
            String code = "same";
            double mine = Double.NaN;
            if (s.benchmark().endsWith("SweepOpBenchmark.operation")) {
                PathKind method = PathKind.byName(s.param("method"));
                long size = Long.parseLong(s.param("size"));
                what = method.label() + ", " + ByteSize.format(size);
                mine = report.probeNanos(method, size);
            } else if (s.benchmark().endsWith("EmbeddingGatherBenchmark.step")) {
                EmbeddingSetup path = EmbeddingSetup.valueOf(s.param("path"));
                what = "embedding lookup, " + path.label();
                mine = report.gatherNanos().getOrDefault(path, Double.NaN);
            } else if (s.benchmark().endsWith("KvReplayBenchmark.replay")) {
                ServingSetup path = ServingSetup.valueOf(s.param("path"));
                what = "KV request, " + path.label();
                mine = report.replayNanos().getOrDefault(path, Double.NaN);
            } else if (s.benchmark().endsWith("ScalarLoadBenchmark.unifiedLoad")) {
                what = "warm-page remote load";
                code = "similar: 384 nodes after the scaling runs, a summing loop";
                mine = report.warmLoadNanos();
            }
            if (what != null && !Double.isNaN(mine)) {
                double jmhNanos = s.nanos();
                double ratio = mine / jmhNanos;
                if (ratio < 0.5 || ratio > 2) {
                    off.add(agree.size());
                }
                agree.add(List.of(what, code, String.format(Locale.ROOT, "%.1f", mine),
                        String.format(Locale.ROOT, "%.1f", jmhNanos), String.format(Locale.ROOT, "%.2f", ratio)));
            }
        }
        blocks.add(new Block.Paragraph("Where the code is the same, the report runs JMH's own set-up (SweepOpBenchmark's "
                + "probe, EmbeddingGatherBenchmark's workload, KvReplayBenchmark's trace) and times it in a plain loop after a warm-up; JMH times it "
                + "through its harness, in a fresh JVM. Ratios outside 0.5 to 2 are flagged."));
        blocks.add(new Block.Table("The report's own figures beside JMH's", List.of("operation", "code", "report (ns)",
                "JMH (ns)", "report / JMH"), agree, off));
        return new Section("jmh", "JMH", blocks);
    }
}
