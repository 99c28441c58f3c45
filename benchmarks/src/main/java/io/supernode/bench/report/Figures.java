package io.supernode.bench.report;

import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a report's charts into its {@code charts/} folder and names each as a figure of a section. */
final class Figures {

    private final Path charts;

    /** Charts go into {@code charts}, as {@code <name>.png} and {@code <name>.svg}. */
    Figures(Path charts) {
        this.charts = charts;
    }

    /** {@code chart} saved as {@code charts/<name>.png|svg}, as a figure of the report. */
    Block.Figure figure(Chart<?, ?> chart, String name, String caption) {
        return figure(dir -> Charts.save(chart, dir, name), name, caption);
    }

    /** A chart written by {@code save} as {@code charts/<name>.png|svg}, as a figure of the report. */
    Block.Figure figure(ChartWriter save, String name, String caption) {
        try {
            save.write(charts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + name + " in " + charts + " (" + OutputFiles.reason(e) + ")", e);
        }
        return new Block.Figure(name, caption);
    }

    /** Writes one chart's files into a folder. */
    @FunctionalInterface
    interface ChartWriter {
        List<Path> write(Path dir) throws IOException;
    }
}
