package io.supernode.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/** The charts every command draws share one size, one look and one way to be written: PNG beside SVG. */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts() {
    }

    /** A line chart with a grid and the legend outside the plot, to its right, where it hides no line. */
    public static XYChart lines(String title, String xTitle, String yTitle) {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        // Also on logarithmic axes, which would otherwise read 1E4 past 1,000.
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        return chart;
    }

    /**
     * Makes the x axis of {@code chart} a logarithmic axis of bytes labelled in binary units (8 B, 4 KiB,
     * 1 GiB): the chart plots log2 of the sizes on a linear axis, so series added after this must pass
     * their sizes through {@link #log2}. XChart steps a linear axis by 1, 2 or 5 (times a power of ten), so
     * over a range of a few sizes or more every tick falls on a power of two and reads as a round binary unit
     * (a log10 axis put ticks at 1000 B and 9.77 KiB). XChart's own logarithmic axis labels sizes with all
     * their digits (1,000,000,000), which overlap, and a custom formatter on it names the wrong values (XChart
     * 3.8.8 places such labels as if the axis were linear).
     */
    public static void logBytesX(XYChart chart) {
        logX(chart, Charts::binaryBytes);
    }

    /**
     * As {@link #logBytesX}, for counts (ranks, tokens): ticks fall on powers of two and read 8, 64, 512, then
     * in binary thousands, 2Ki, 512Ki, 1Mi ({@link #binaryCount}). Series added after this pass their x values
     * through {@link #log2}.
     */
    public static void logCountX(XYChart chart) {
        logX(chart, Charts::binaryCount);
    }

    private static void logX(XYChart chart, DoubleFunction<String> label) {
        chart.getStyler().setXAxisLogarithmic(false);
        chart.setCustomXAxisTickLabelsFormatter(new LogTicks(label));
    }

    /** The tick labels of an axis plotting log2 of its values: each tick labelled with the value it stands for. */
    private record LogTicks(DoubleFunction<String> label) implements Function<Double, String> {
        @Override
        public String apply(Double log2) {
            return label.apply(Math.pow(2, log2));
        }
    }

    /**
     * On an axis made by {@link #logBytesX} or {@link #logCountX}, widens the x range to whole powers of two: XChart
     * counts its ticks from the axis minimum, so a sweep starting at 2,000 tokens would otherwise tick at 1.95Ki,
     * 3.91Ki. {@link #save} does this; a chart drawn another way calls it once its series are in.
     */
    static void roundLogX(XYChart chart) {
        if (!(chart.getStyler().getxAxisTickLabelsFormattingFunction() instanceof LogTicks)) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double x : series.getXData()) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        // Bounds the caller set are kept.
        if (min <= max && chart.getStyler().getXAxisMin() == null && chart.getStyler().getXAxisMax() == null) {
            chart.getStyler().setXAxisMin(Math.floor(min));
            chart.getStyler().setXAxisMax(Math.max(Math.ceil(max), Math.floor(min) + 1));
        }
    }

    /** {@code n} below 1,024 as it is, then in 1,024s (Ki) or 1,048,576s (Mi), to three significant digits. */
    static String binaryCount(double n) {
        return scaled(n, 1024, "", "Ki", "Mi", "Gi");
    }

    /** The base-2 logarithms of {@code values}, for an axis made by {@link #logBytesX} or {@link #logCountX}. */
    public static double[] log2(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]) / Math.log(2);
        }
        return logs;
    }

    /** {@code bytes} in the largest binary unit it reaches, to three significant digits: 512 B, 4 KiB, 1.5 GiB. */
    static String binaryBytes(double bytes) {
        return scaled(bytes, 1024, " B", " KiB", " MiB", " GiB", " TiB", " PiB");
    }

    /** {@code value} over the largest power of {@code base} it reaches, to three significant digits, with that unit. */
    private static String scaled(double value, double base, String... units) {
        int unit = 0;
        double scaled = value;
        while (scaled >= base * (1 - 1e-9) && unit < units.length - 1) {
            scaled /= base;
            unit++;
        }
        return new BigDecimal(scaled).round(new MathContext(3)).stripTrailingZeros().toPlainString() + units[unit];
    }

    /** A bar chart, one group of bars per category, optionally stacked; the legend outside, to the right. */
    public static CategoryChart bars(String title, String xTitle, String yTitle, boolean stacked) {
        headless();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setStacked(stacked);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    /**
     * Labels each line that repeats an earlier one point for point "(same as ...)": drawn on top of it, it hides
     * the earlier line, and without the note a reader would think that line missing.
     */
    static void noteIdenticalSeries(XYChart chart) {
        List<XYSeries> series = List.copyOf(chart.getSeriesMap().values());
        for (int later = 1; later < series.size(); later++) {
            XYSeries s = series.get(later);
            for (int earlier = 0; earlier < later; earlier++) {
                XYSeries e = series.get(earlier);
                if (Arrays.equals(s.getXData(), e.getXData()) && Arrays.equals(s.getYData(), e.getYData())
                        && !s.getLabel().contains("(same as ")) {
                    s.setLabel(s.getName() + " (same as " + e.getName() + ")");
                    break;
                }
            }
        }
    }

    // Charts are drawn off screen: no display is needed, or wanted, on servers and in CI.
    private static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Writes {@code name.png} and {@code name.svg} into {@code dir}, making it if needed.
     *
     * @return the files written, PNG first
     */
    public static List<Path> save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        if (chart instanceof XYChart lines) {
            noteIdenticalSeries(lines);
            roundLogX(lines);
        }
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(png, svg);
    }
}
