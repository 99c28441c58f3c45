package io.supernode.bench.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

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
        assertEquals(List.of(), oddTicks(sizes, Charts::logBytesX, "\\d+ (B|KiB|MiB)"));
        assertEquals(List.of(), oddTicks(tokens, Charts::logCountX, "\\d+(Ki)?"));
    }

    /** The x tick labels of a chart of {@code xs} on {@code axis}, drawn, that do not match {@code round}. */
    private static List<String> oddTicks(double[] xs, Consumer<XYChart> axis, String round) {
        XYChart chart = Charts.lines("t", "x", "y");
        axis.accept(chart);
        chart.addSeries("s", Charts.log2(xs), xs);
        Charts.roundLogX(chart);
        Function<Double, String> label = chart.getStyler().getxAxisTickLabelsFormattingFunction();
        List<String> drawn = new ArrayList<>();
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
            String text = label.apply(v);
            drawn.add(text);
            return text;
        });
        BitmapEncoder.getBufferedImage(chart);
        assertFalse(drawn.isEmpty(), "no tick was drawn");
        return drawn.stream().filter(text -> !text.matches(round)).distinct().toList();
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
}
