package io.supernode.cli;

import io.supernode.bench.report.Charts;
import io.supernode.collectives.moe.MoeMode;
import io.supernode.collectives.moe.MoeReport;
import io.supernode.collectives.moe.MoeResult;
import io.supernode.collectives.moe.StepResult;
import io.supernode.collectives.run.Transport;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The moe command's chart: dispatch and combine time against EP size, log-log, one line per mode, path and phase. */
final class MoePlots {

    private MoePlots() {
    }

    /** Writes {@code moe-time.png|svg} into {@code dir}. */
    static List<Path> times(List<MoeResult> results, String title, Path dir) throws IOException {
        XYChart chart = Charts.lines(title, "expert-parallel ranks", "time per phase (modeled)");
        Charts.logCountX(chart);
        Charts.logNanosY(chart);
        for (MoeMode mode : MoeMode.values()) {
            for (Transport transport : Transport.values()) {
                List<MoeResult> mine = results.stream().filter(r -> r.spec().mode() == mode && r.transport() == transport)
                        .toList();
                if (mine.isEmpty()) {
                    continue;
                }
                String name = mode.label() + " " + MoeReport.transport(mine.getFirst());
                add(chart, name + " dispatch", mine, r -> r.dispatch().meanNanos());
                add(chart, name + " combine", mine, r -> r.combine().meanNanos());
            }
        }
        return Charts.save(chart, dir, "moe-time");
    }

    /**
     * Writes {@code moe-step.png|svg} into {@code dir}: one MoE layer's phases (attention, experts, dispatch, combine,
     * whole batch, no overlap) stacked per EP size and path.
     */
    static List<Path> layerPhases(List<StepResult> results, String title, Path dir) throws IOException {
        CategoryChart chart = Charts.bars(title, "expert-parallel ranks and path", "one MoE layer (us, modeled)", true);
        List<String> categories = results.stream()
                .map(r -> r.ranks() + " " + r.transport().name().toLowerCase(Locale.ROOT)).toList();
        chart.addSeries("attention", categories, results.stream().map(StepResult::attentionMicros).toList());
        chart.addSeries("experts", categories, results.stream().map(StepResult::expertsMicros).toList());
        chart.addSeries("dispatch", categories, results.stream().map(StepResult::dispatchMicros).toList());
        chart.addSeries("combine", categories, results.stream().map(StepResult::combineMicros).toList());
        return Charts.save(chart, dir, "moe-step");
    }

    private static void add(XYChart chart, String name, List<MoeResult> results, ToDoubleFunction<MoeResult> nanos) {
        chart.addSeries(name.toLowerCase(Locale.ROOT), Charts.log2(results.stream().mapToDouble(MoeResult::ranks).toArray()),
                Charts.log10(results.stream().mapToDouble(nanos).toArray())).setMarker(SeriesMarkers.CIRCLE);
    }
}
