package io.supernode.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** The charts every command draws share one size, one look and one way to be written: PNG beside SVG. */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    /**
     * Lines closer than this share of the y axis's span everywhere, about 5 px of the plot's height, draw as one (A:
     * a line and its markers are about that wide).
     */
    private static final double COVERING_SHARE = 0.01;
    /**
     * The width and height a log axis's plot is taken to have when choosing its tick spacing (D: {@link #WIDTH} less
     * the legend, {@link #HEIGHT} less the title and axis titles). XChart rounds its step to 1, 2 or 5 times a power of
     * ten from the span over the plot's size times the spacing hint; a hint of a whole power's share of these keeps
     * the step at one power or more on plots from two thirds to four thirds of them.
     */
    private static final double LOG_AXIS_WIDTH_PIXELS = 600;
    private static final double LOG_AXIS_HEIGHT_PIXELS = 420;

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
        logX(chart, 2, Charts::binaryBytes);
    }

    /**
     * As {@link #logBytesX}, for counts (ranks, tokens): ticks fall on powers of two and read 8, 64, 512, then
     * in binary thousands, 2Ki, 512Ki, 1Mi ({@link #binaryCount}). Series added after this pass their x values
     * through {@link #log2}.
     */
    public static void logCountX(XYChart chart) {
        logX(chart, 2, Charts::binaryCount);
    }

    /**
     * Makes the x axis a logarithmic axis of times given in nanoseconds, ticked by decades in their unit: 100 us,
     * 1 ms, 10 ms, 1 s. Series added after this pass their x values through {@link #log10}.
     */
    public static void logNanosX(XYChart chart) {
        logX(chart, 10, Charts::decimalNanos);
    }

    /** As {@link #logNanosX}, for the y axis: series pass their y values through {@link #log10}. */
    public static void logNanosY(XYChart chart) {
        chart.getStyler().setYAxisLogarithmic(false);
        chart.setCustomYAxisTickLabelsFormatter(new LogTicks(10, Charts::decimalNanos));
    }

    private static void logX(XYChart chart, double base, DoubleFunction<String> label) {
        chart.getStyler().setXAxisLogarithmic(false);
        chart.setCustomXAxisTickLabelsFormatter(new LogTicks(base, label));
    }

    /**
     * The tick labels of an axis plotting the logarithms of its values to {@code base}: each tick labelled with the
     * value it stands for.
     */
    private record LogTicks(double base, DoubleFunction<String> label) implements Function<Double, String> {
        @Override
        public String apply(Double log) {
            return label.apply(Math.pow(base, log));
        }
    }

    /**
     * On the axes made by {@link #logBytesX}, {@link #logCountX}, {@link #logNanosX} or {@link #logNanosY}, widens
     * the range to whole powers and steps the ticks by whole powers: XChart counts its ticks from the axis minimum,
     * so a sweep starting at 2,000 tokens would otherwise tick at 1.95Ki, 3.91Ki, and over a few powers it would step
     * by a half, at 5.66Ki or 3.16 us. {@link #save} does this; a chart drawn another way calls it once its series
     * are in.
     */
    static void roundLogAxes(XYChart chart) {
        AxesChartStyler styler = chart.getStyler();
        if (styler.getxAxisTickLabelsFormattingFunction() instanceof LogTicks
                && styler.getXAxisMin() == null && styler.getXAxisMax() == null) {
            double[] range = range(chart, XYSeries::getXData);
            if (range != null) {
                styler.setXAxisMin(range[0]);
                styler.setXAxisMax(range[1]);
                styler.setXAxisTickMarkSpacingHint(Math.max(styler.getXAxisTickMarkSpacingHint(),
                        (int) Math.round(LOG_AXIS_WIDTH_PIXELS / (range[1] - range[0]))));
            }
        }
        if (styler.getyAxisTickLabelsFormattingFunction() instanceof LogTicks
                && styler.getYAxisMin() == null && styler.getYAxisMax() == null) {
            double[] range = range(chart, XYSeries::getYData);
            if (range != null) {
                styler.setYAxisMin(range[0]);
                styler.setYAxisMax(range[1]);
                styler.setYAxisTickMarkSpacingHint(Math.max(styler.getYAxisTickMarkSpacingHint(),
                        (int) Math.round(LOG_AXIS_HEIGHT_PIXELS / (range[1] - range[0]))));
            }
        }
    }

    /** The whole powers around every series' values on one axis, at least one apart; null with no values. */
    private static double[] range(XYChart chart, Function<XYSeries, double[]> axis) {
        double[] extent = extent(chart, axis, v -> v);
        if (extent == null) {
            return null;
        }
        double from = Math.floor(extent[0]);
        return new double[] {from, Math.max(Math.ceil(extent[1]), from + 1)};
    }

    /** The least and greatest of every series' values on one axis, as {@code drawn} places them; null with none. */
    private static double[] extent(XYChart chart, Function<XYSeries, double[]> axis, DoubleUnaryOperator drawn) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : axis.apply(series)) {
                min = Math.min(min, drawn.applyAsDouble(v));
                max = Math.max(max, drawn.applyAsDouble(v));
            }
        }
        return min <= max ? new double[] {min, max} : null;
    }

    /** {@code n} below 1,024 as it is, then in 1,024s (Ki) or 1,048,576s (Mi), to three significant digits. */
    static String binaryCount(double n) {
        return scaled(n, 1024, "", "Ki", "Mi", "Gi");
    }

    /** {@code nanos} in the largest decimal time unit it reaches, to three significant digits: 500 ns, 1 us, 10 ms, 2 s. */
    static String decimalNanos(double nanos) {
        return scaled(nanos, 1000, " ns", " us", " ms", " s");
    }

    /**
     * The base-10 logarithms of {@code values}, for an axis made by {@link #logNanosX} or {@link #logNanosY}.
     *
     * @throws IllegalArgumentException for a value of 0 or less, which a logarithmic axis has no place for
     */
    public static double[] log10(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0)) {
                throw new IllegalArgumentException("a logarithmic axis cannot show " + values[i]);
            }
            logs[i] = Math.log10(values[i]);
        }
        return logs;
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
     * Labels each line that repeats an earlier one point for point "(same as ...)", and one that stays within
     * {@link #COVERING_SHARE} of an earlier one "(on top of ...)", a share of the span of all the lines' y values (or
     * of the range the caller fixed the axis to, if wider): drawn over it, it hides the earlier line, and without the
     * note a reader would think that line missing.
     */
    static void noteIdenticalSeries(XYChart chart) {
        List<XYSeries> series = List.copyOf(chart.getSeriesMap().values());
        // Distances are judged where the lines are drawn: on a logarithmic axis, between logarithms.
        DoubleUnaryOperator drawn = chart.getStyler().isYAxisLogarithmic() ? Math::log10 : y -> y;
        // With no value to span (none, or not a number), only lines equal point for point are noted.
        double[] extent = extent(chart, XYSeries::getYData, drawn);
        double low = extent == null ? 0 : extent[0];
        double high = extent == null ? 0 : extent[1];
        // The axis spans at least what the caller fixed it to.
        Double axisMin = chart.getStyler().getYAxisMin();
        Double axisMax = chart.getStyler().getYAxisMax();
        low = axisMin == null ? low : Math.min(low, drawn.applyAsDouble(axisMin));
        high = axisMax == null ? high : Math.max(high, drawn.applyAsDouble(axisMax));
        double covering = COVERING_SHARE * (high - low);
        for (int later = 1; later < series.size(); later++) {
            XYSeries s = series.get(later);
            if (s.getLabel().contains("(same as ") || s.getLabel().contains("(on top of ")) {
                continue;
            }
            for (int earlier = 0; earlier < later; earlier++) {
                XYSeries e = series.get(earlier);
                if (!Arrays.equals(s.getXData(), e.getXData())) {
                    continue;
                }
                if (Arrays.equals(s.getYData(), e.getYData())) {
                    s.setLabel(s.getName() + " (same as " + e.getName() + ")");
                    break;
                }
                if (within(s.getYData(), e.getYData(), drawn, covering)) {
                    s.setLabel(s.getName() + " (on top of " + e.getName() + ")");
                    break;
                }
            }
        }
    }

    private static boolean within(double[] a, double[] b, DoubleUnaryOperator drawn, double distance) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(drawn.applyAsDouble(a[i]) - drawn.applyAsDouble(b[i])) <= distance)) {
                return false;
            }
        }
        return true;
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
            roundLogAxes(lines);
        }
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(png, svg);
    }
}
