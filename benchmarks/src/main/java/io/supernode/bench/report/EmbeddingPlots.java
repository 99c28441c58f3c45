package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/** The embedding workload's charts, written as PNG and SVG. */
public final class EmbeddingPlots {

    private EmbeddingPlots() {
    }

    /**
     * Fabric bytes per step of every run, stacked by kind: ids, rows, pooled vectors and partial sums, and
     * updates when a run trains.
     */
    public static List<Path> bytesPerStep(List<EmbeddingResult> results, String title, Path dir) throws IOException {
        CategoryChart chart = Charts.bars(title, "path", "fabric MB per step", true);
        chart.getStyler().setXAxisLabelRotation(results.size() > 3 ? 20 : 0);
        List<String> labels = results.stream().map(EmbeddingResult::label).toList();
        kind(chart, "ids", labels, results, EmbeddingResult::idBytesPerStep);
        kind(chart, "rows (loads, coherence)", labels, results, EmbeddingResult::rowBytesPerStep);
        kind(chart, "pooled / partial sums", labels, results, EmbeddingResult::pooledBytesPerStep);
        // Updates move only when training: no legend entry for a kind no run has.
        if (results.stream().anyMatch(r -> r.updateBytesPerStep() > 0)) {
            kind(chart, "updates", labels, results, EmbeddingResult::updateBytesPerStep);
        }
        return Charts.save(chart, dir, "embedding-bytes-per-step");
    }

    private static void kind(CategoryChart chart, String name, List<String> labels, List<EmbeddingResult> results,
                             ToLongFunction<EmbeddingResult> bytes) {
        chart.addSeries(name, labels, results.stream().map(r -> (Number) (bytes.applyAsLong(r) / 1e6)).toList());
    }

    /** Modeled step time of every run. */
    public static List<Path> stepTime(List<EmbeddingResult> results, String title, Path dir) throws IOException {
        CategoryChart chart = Charts.bars(title, "path", "modeled step time (us)", false);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(results.size() > 3 ? 20 : 0);
        chart.addSeries("step", results.stream().map(EmbeddingResult::label).toList(),
                results.stream().map(r -> (Number) (r.modeledStepNanos() / 1e3)).toList());
        return Charts.save(chart, dir, "embedding-step-time");
    }

    /**
     * The crossover: fabric bytes per step against the row cache's size, the cached path as a line and the
     * paths without a cache as flat lines across the same sizes. Needs at least two cache sizes.
     */
    public static List<Path> crossover(List<EmbeddingResult> results, String title, Path dir, String name) throws IOException {
        List<EmbeddingResult> cached = results.stream().filter(r -> r.path() == EmbeddingSetup.UNIFIED_CACHED).toList();
        XYChart chart = Charts.lines(title, "row cache per node", "fabric MB per step");
        Charts.logBytesX(chart);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        double[] x = Charts.log2(cached.stream().mapToDouble(EmbeddingResult::cacheBytesPerNode).toArray());
        chart.addSeries(EmbeddingSetup.UNIFIED_CACHED.label(), x,
                cached.stream().mapToDouble(r -> r.fabricBytesPerStep() / 1e6).toArray()).setMarker(SeriesMarkers.CIRCLE);
        for (EmbeddingResult flat : results) {
            if (flat.path() != EmbeddingSetup.UNIFIED_CACHED) {
                double[] y = new double[x.length];
                Arrays.fill(y, flat.fabricBytesPerStep() / 1e6);
                chart.addSeries(flat.label(), x, y).setMarker(SeriesMarkers.NONE);
            }
        }
        return Charts.save(chart, dir, name);
    }

    /** Every chart the runs support: the crossover only when the cached path ran at two sizes or more. */
    public static List<Path> all(List<EmbeddingResult> results, String what, Path dir) throws IOException {
        List<Path> written = new ArrayList<>(bytesPerStep(results, "Embedding fabric bytes per step, " + what, dir));
        written.addAll(stepTime(results, "Embedding step time (modeled), " + what, dir));
        if (results.stream().filter(r -> r.path() == EmbeddingSetup.UNIFIED_CACHED).count() >= 2) {
            written.addAll(crossover(results, "Row cache against the copy path, " + what, dir, "embedding-crossover"));
        }
        return written;
    }
}
