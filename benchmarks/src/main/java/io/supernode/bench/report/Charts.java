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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        return chart;
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
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(png, svg);
    }
}
