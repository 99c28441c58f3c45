package io.supernode.cli;

import io.supernode.bench.report.Charts;
import io.supernode.collectives.run.CollectiveResult;
import io.supernode.collectives.run.Transport;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The collective command's chart: bus bandwidth against size, log-log, one line per path. */
final class CollectivePlots {

    private CollectivePlots() {
    }

    /** Writes {@code collective-busbw.png|svg} into {@code dir}; sizes of 0 bytes are left out (no bandwidth). */
    static List<Path> busBandwidth(List<CollectiveResult> results, String title, Path dir) throws IOException {
        XYChart chart = Charts.lines(title, "size (bytes)", "busbw (GB/s, modeled)");
        Charts.logBytesX(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Transport transport : Transport.values()) {
            List<CollectiveResult> mine = results.stream()
                    .filter(r -> r.transport() == transport && r.spec().sizeBytes() > 0 && r.busBwGBps() > 0).toList();
            if (!mine.isEmpty()) {
                chart.addSeries(transport.name().toLowerCase(Locale.ROOT),
                        Charts.log2(mine.stream().mapToDouble(r -> r.spec().sizeBytes()).toArray()),
                        mine.stream().mapToDouble(CollectiveResult::busBwGBps).toArray()).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return Charts.save(chart, dir, "collective-busbw");
    }
}
