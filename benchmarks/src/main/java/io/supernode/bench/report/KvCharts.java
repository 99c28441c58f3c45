package io.supernode.bench.report;

import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The KV replay's charts, drawn once for both the {@code kv} command's files and the report: a measure against KV
 * capacity per node, one line per path, and the distribution of time to first token.
 */
public final class KvCharts {

    private static final int CDF_POINTS = 400;
    /** The least TTFT the CDF draws, 0.1 ms: a logarithmic axis has no zero, and a cached request can take less. */
    private static final double MIN_TTFT_NANOS = 100_000;

    private KvCharts() {
    }

    /** Block hit rate (0 to 100 %) against KV capacity per node, one line per path of {@code sweep}. */
    public static XYChart hitRateVsCapacity(List<ReplayResult> sweep, String title) {
        XYChart chart = vsCapacity(sweep, title, "block hit rate (%)", r -> 100 * r.reuse().blockHitRate());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("#0");
        return chart;
    }

    /** Mean modeled time to first token against KV capacity per node, one line per path of {@code sweep}. */
    public static XYChart meanTtftVsCapacity(List<ReplayResult> sweep, String title) {
        return vsCapacity(sweep, title, "mean TTFT (ms, modeled)", r -> r.modeled().meanTtftNanos() / 1e6);
    }

    /** The cumulative distribution of modeled time to first token on a logarithmic axis, one line per result. */
    public static XYChart ttftCdf(List<ReplayResult> results, String title) {
        XYChart chart = Charts.lines(title, "time to first token (modeled)", "requests (%)");
        Charts.logNanosX(chart);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("#0");
        for (ReplayResult result : results) {
            long[] ttft = result.modeled().ttftNanos();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            int step = Math.max(1, ttft.length / CDF_POINTS);
            for (int i = 0; i < ttft.length; i += step) {
                x.add(Math.log10(Math.max(MIN_TTFT_NANOS, ttft[i])));
                y.add(100.0 * (i + 1) / ttft.length);
            }
            x.add(Math.log10(Math.max(MIN_TTFT_NANOS, ttft[ttft.length - 1])));
            y.add(100.0);
            chart.addSeries(result.options().path().label(), x, y).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static XYChart vsCapacity(List<ReplayResult> sweep, String title, String yTitle,
                                      ToDoubleFunction<ReplayResult> y) {
        XYChart chart = Charts.lines(title, "KV capacity per node (tokens)", yTitle);
        Charts.logCountX(chart);
        for (ServingSetup path : sweep.stream().map(r -> r.options().path()).distinct().toList()) {
            List<ReplayResult> mine = sweep.stream().filter(r -> r.options().path() == path).toList();
            double[] x = Charts.log2(mine.stream().mapToDouble(r -> r.options().capacityTokensPerNode()).toArray());
            chart.addSeries(path.label(), x, mine.stream().mapToDouble(y).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
