package io.supernode.bench.report;

import io.supernode.bench.compare.Sweep;
import io.supernode.bench.compare.SweepRow;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.stats.Units;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The unified-vs-copy sweep on every fabric pair: a table and a log-log chart of modeled latency per pair. */
final class SweepSection {

    private SweepSection() {
    }

    /** Runs the sweep over the plan's sizes and writes its charts. */
    static Section section(SectionInputs in) {
        ReportPlan plan = in.plan();
        List<FabricPair> pairs = FabricPair.all();
        List<SweepRow> rows = Sweep.run(pairs, Sweep.PATHS, plan.sweepSizes(), in.seed(), row -> { });
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Paragraph("Node 0 fetches a buffer from a node across the top switch tier, on each fabric pair: "
                + "a load/store fabric against a copy-based stack on the same machine shape. Modeled latency per operation; "
                + "bandwidth is size over latency."));
        for (FabricPair pair : pairs) {
            List<SweepRow> mine = rows.stream().filter(r -> r.pair().equals(pair.name())).toList();
            List<String> header = new ArrayList<>(List.of("size"));
            for (PathKind m : Sweep.PATHS) {
                header.add(m.label() + " (modeled)");
            }
            List<List<String>> cells = new ArrayList<>();
            for (long size : plan.sweepSizes()) {
                List<String> row = new ArrayList<>(List.of(ByteSize.format(size)));
                for (PathKind m : Sweep.PATHS) {
                    SweepRow r = find(mine, m, size);
                    row.add(Units.nanos(Math.round(r.latencyNanos())) + (size >= 65_536
                            ? ", " + String.format(Locale.ROOT, "%.1f GB/s", r.bytesPerSecond() / 1e9) : ""));
                }
                cells.add(row);
            }
            blocks.add(new Block.Table(pair.label() + ": " + pair.describe(),
                    header, cells, Set.of()));
            XYChart chart = Charts.lines("Modeled latency, " + pair.label(), "transfer size", "modeled latency");
            Charts.logBytesX(chart);
            Charts.logNanosY(chart);
            for (PathKind m : Sweep.PATHS) {
                double[] x = Charts.log2(plan.sweepSizes().stream().mapToDouble(Long::doubleValue).toArray());
                double[] y = Charts.log10(plan.sweepSizes().stream().mapToDouble(s -> find(mine, m, s).latencyNanos())
                        .toArray());
                chart.addSeries(m.label(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
            blocks.add(in.figures().figure(chart, "sweep-" + pair.name().toLowerCase(Locale.ROOT),
                    "Modeled latency against transfer size, " + pair.label() + " (log-log)."));
        }
        return new Section("compare", "Unified vs copy: the sweep", blocks);
    }

    private static SweepRow find(List<SweepRow> rows, PathKind m, long size) {
        return rows.stream().filter(r -> r.method() == m && r.sizeBytes() == size).findFirst().orElseThrow();
    }
}
