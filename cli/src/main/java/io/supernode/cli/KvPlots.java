package io.supernode.cli;

import io.supernode.bench.report.Charts;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The KV replay's charts, written as PNG and SVG: hit rate against capacity, and the TTFT distribution. */
final class KvPlots {

    private static final int CDF_POINTS = 400;
    /**
     * The least TTFT the CDF draws, 0.1 ms: a logarithmic axis has no zero, and a cached request can take
     * less; the axis then starts at a label that reads 0.1, not a rounded 0.
     */
    private static final double MIN_TTFT_MILLIS = 0.1;

    private KvPlots() {
    }

    /**
     * Block hit rate against KV capacity per node, one line per path.
     *
     * @param sweep results of one replay per path and capacity
     * @return the files written
     */
    static List<Path> hitRateVsCapacity(List<ReplayResult> sweep, String title, Path dir) throws IOException {
        XYChart chart = chart(title, "KV capacity per node (tokens)", "block hit rate (%)");
        Charts.logCountX(chart);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        for (ServingSetup path : sweep.stream().map(r -> r.options().path()).distinct().toList()) {
            List<ReplayResult> mine = sweep.stream().filter(r -> r.options().path() == path).toList();
            double[] x = Charts.log2(mine.stream().mapToDouble(r -> r.options().capacityTokensPerNode()).toArray());
            double[] y = mine.stream().mapToDouble(r -> 100 * r.reuse().blockHitRate()).toArray();
            chart.addSeries(path.label(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return Charts.save(chart, dir, "kv-hit-rate-vs-capacity");
    }

    /** The cumulative distribution of modeled time to first token, one line per path. */
    static List<Path> ttftCdf(List<ReplayResult> results, String title, Path dir) throws IOException {
        XYChart chart = chart(title, "time to first token (ms, modeled)", "requests (%)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        for (ReplayResult result : results) {
            long[] ttft = result.modeled().ttftNanos();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            int step = Math.max(1, ttft.length / CDF_POINTS);
            for (int i = 0; i < ttft.length; i += step) {
                x.add(Math.max(MIN_TTFT_MILLIS, ttft[i] / 1e6));
                y.add(100.0 * (i + 1) / ttft.length);
            }
            x.add(Math.max(MIN_TTFT_MILLIS, ttft[ttft.length - 1] / 1e6));
            y.add(100.0);
            chart.addSeries(result.options().path().label(), x, y).setMarker(SeriesMarkers.NONE);
        }
        return Charts.save(chart, dir, "kv-ttft-cdf");
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = Charts.lines(title, xTitle, yTitle);
        chart.getStyler().setYAxisDecimalPattern("#0");
        return chart;
    }
}
