package io.supernode.bench.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.AxesChartStyler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Log-scaled axes label sizes and counts in binary units, with ticks on round values. */
class ChartsTest {

    @Test
    void sizesReadInBinaryUnits() {
        assertEquals("8 B", Charts.binaryBytes(8));
        assertEquals("1000 B", Charts.binaryBytes(1000));
        assertEquals("4 KiB", Charts.binaryBytes(4096));
        assertEquals("256 KiB", Charts.binaryBytes(262_144));
        assertEquals("1.5 GiB", Charts.binaryBytes(1.5 * (1L << 30)));
        // The axis hands back 2^log2(size), a hair off the size: still the same label.
        assertEquals("1 GiB", Charts.binaryBytes(Math.pow(2, Math.log(1L << 30) / Math.log(2))));
        assertEquals("8 PiB", Charts.binaryBytes(8.0 * (1L << 50)));
    }

    @Test
    void log2TakesEachValue() {
        assertArrayEquals(new double[] {0, 3, 10}, Charts.log2(new double[] {1, 8, 1024}), 1e-12);
    }

    @Test
    void countsReadInBinaryThousandsAndMillions() {
        assertEquals("8", Charts.binaryCount(8));
        assertEquals("384", Charts.binaryCount(384));
        assertEquals("2Ki", Charts.binaryCount(2048));
        assertEquals("512Ki", Charts.binaryCount(524_288));
        assertEquals("1Mi", Charts.binaryCount(1 << 20));
        assertEquals("64", Charts.binaryCount(Math.pow(2, Math.log(64) / Math.log(2))));
    }

    /** Every tick XChart draws on a sweep's axes reads as a whole binary unit, as the sweeps' sizes do. */
    @Test
    void ticksOfASweepFallOnRoundUnits() {
        double[] sizes = {8, 64, 512, 4096, 32_768, 262_144, 2_097_152};
        double[] tokens = {2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000};
        assertEquals(List.of(), oddTicks(Charts.log2(sizes), Charts::logBytesX, "\\d+ (B|KiB|MiB)"));
        assertEquals(List.of(), oddTicks(Charts.log2(tokens), Charts::logCountX, "\\d+(Ki)?"));
        // A sweep over a few powers of two, where XChart would otherwise tick every half power: 5.66Ki, 11.3Ki.
        double[] narrow = {4_096, 16_384, 65_536, 131_072};
        assertEquals(List.of(), oddTicks(Charts.log2(narrow), Charts::logCountX, "\\d+(Ki)?"));
        assertEquals(List.of(), oddTicks(Charts.log2(new double[] {4096, 8192}), Charts::logBytesX, "\\d+ (B|KiB|MiB)"));
    }

    @Test
    void timesReadInDecimalUnits() {
        assertEquals("500 ns", Charts.decimalNanos(500));
        assertEquals("1 us", Charts.decimalNanos(1_000));
        assertEquals("100 us", Charts.decimalNanos(Math.pow(10, Math.log10(100_000))));
        assertEquals("1 ms", Charts.decimalNanos(1e6));
        assertEquals("2.5 s", Charts.decimalNanos(2.5e9));
    }

    /** A time axis ticks decades, each in its unit: a latency sweep from 1.9 us to 115 us, a TTFT CDF over 8 to 400 ms. */
    @Test
    void ticksOfATimeAxisFallOnDecades() {
        String decade = "(1|10|100) (ns|us|ms|s)";
        assertEquals(List.of(), oddTicks(Charts.log10(new double[] {1_900, 8_000, 27_000, 115_000}), Charts::logNanosX,
                decade));
        assertEquals(List.of(), oddTicks(Charts.log10(new double[] {8e6, 40e6, 400e6}), Charts::logNanosX, decade));
        assertEquals(List.of(), oddTicks(Charts.log10(new double[] {1_900, 8_000, 27_000, 115_000}), Charts::logNanosY,
                decade));
    }

    /**
     * The tick labels XChart draws on the axes {@code axis} made custom, for a series of {@code plotted} against
     * itself (values already on the axis's scale), that do not match {@code round}.
     */
    private static List<String> oddTicks(double[] plotted, Consumer<XYChart> axis, String round) {
        XYChart chart = Charts.lines("t", "x", "y");
        axis.accept(chart);
        chart.addSeries("s", plotted, plotted);
        Charts.roundLogAxes(chart);
        List<String> drawn = new ArrayList<>();
        AxesChartStyler styler = chart.getStyler();
        if (styler.getxAxisTickLabelsFormattingFunction() != null) {
            styler.setxAxisTickLabelsFormattingFunction(recording(styler.getxAxisTickLabelsFormattingFunction(), drawn));
        }
        if (styler.getyAxisTickLabelsFormattingFunction() != null) {
            styler.setyAxisTickLabelsFormattingFunction(recording(styler.getyAxisTickLabelsFormattingFunction(), drawn));
        }
        BitmapEncoder.getBufferedImage(chart);
        assertFalse(drawn.isEmpty(), "no tick was drawn");
        return drawn.stream().filter(text -> !text.matches(round)).distinct().toList();
    }

    private static Function<Double, String> recording(Function<Double, String> label, List<String> drawn) {
        return v -> {
            String text = label.apply(v);
            drawn.add(text);
            return text;
        };
    }

    @Test
    void aLineHidingAnEarlierOneSaysSo() {
        XYChart chart = Charts.lines("t", "x", "y");
        chart.addSeries("unified load", new double[] {1, 2, 3}, new double[] {5, 6, 7});
        chart.addSeries("unified copy", new double[] {1, 2, 3}, new double[] {5, 6, 7});
        chart.addSeries("send recv", new double[] {1, 2, 3}, new double[] {5, 6, 8});
        Charts.noteIdenticalSeries(chart);
        assertEquals("unified load", chart.getSeriesMap().get("unified load").getLabel());
        assertEquals("unified copy (same as unified load)", chart.getSeriesMap().get("unified copy").getLabel());
        assertEquals("send recv", chart.getSeriesMap().get("send recv").getLabel());
    }

    /** A line within 1 % of the y axis's span of an earlier one everywhere covers it when drawn: its label says so. */
    @Test
    void aLineDrawnOverAnEarlierOneSaysSo() {
        XYChart chart = Charts.lines("t", "x", "y");
        chart.addSeries("local-only", new double[] {0, 50, 90}, new double[] {290, 155, 47});
        chart.addSeries("pooled-unified", new double[] {0, 50, 90}, new double[] {290, 153, 47});
        chart.addSeries("pooled-copy", new double[] {0, 50, 90}, new double[] {290, 120, 47});
        Charts.noteIdenticalSeries(chart);
        assertEquals("pooled-unified (on top of local-only)", chart.getSeriesMap().get("pooled-unified").getLabel());
        assertEquals("pooled-copy", chart.getSeriesMap().get("pooled-copy").getLabel());
    }
}
