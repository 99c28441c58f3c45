package io.supernode.bench.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte axis of log-scaled charts labels each size in the largest binary unit it reaches. */
class ChartsTest {

    @Test
    void sizesReadInBinaryUnits() {
        assertEquals("8 B", Charts.binaryBytes(8));
        assertEquals("1000 B", Charts.binaryBytes(1000));
        assertEquals("4 KiB", Charts.binaryBytes(4096));
        assertEquals("256 KiB", Charts.binaryBytes(262_144));
        assertEquals("1.5 GiB", Charts.binaryBytes(1.5 * (1L << 30)));
        // The axis hands back 10^log10(size), a hair off the size: still the same label.
        assertEquals("1 GiB", Charts.binaryBytes(Math.pow(10, Math.log10(1L << 30))));
        assertEquals("8 PiB", Charts.binaryBytes(8.0 * (1L << 50)));
    }

    @Test
    void log10TakesEachValue() {
        assertArrayEquals(new double[] {0, 1, 3}, Charts.log10(new double[] {1, 10, 1000}), 1e-12);
    }

    @Test
    void countsReadInThousandsAndMillions() {
        assertEquals("8", Charts.count(8));
        assertEquals("384", Charts.count(384));
        assertEquals("2k", Charts.count(2000));
        assertEquals("32k", Charts.count(32_000));
        assertEquals("1.5M", Charts.count(1_500_000));
        assertEquals("64", Charts.count(Math.pow(10, Math.log10(64))));
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
