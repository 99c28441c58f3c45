package io.supernode.bench.report;

import io.supernode.bench.compare.Fidelity;
import io.supernode.bench.compare.FidelityRow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.supernode.bench.report.Cells.number;

/** The fabric model beside its published figures, rows outside their tolerance flagged. Modeled time only. */
final class FidelitySection {

    private FidelitySection() {
    }

    static Section section() {
        List<FidelityRow> rows = Fidelity.rows();
        List<List<String>> cells = new ArrayList<>();
        Set<Integer> outside = new HashSet<>();
        for (FidelityRow r : rows) {
            if (!r.within()) {
                outside.add(cells.size());
            }
            cells.add(List.of(r.what(), number(r.published()) + " " + r.unit(), number(r.modeled()) + " " + r.unit(),
                    String.format(Locale.ROOT, "%+.1f %%", 100 * r.relativeError()),
                    String.format(Locale.ROOT, "%.0f %%", 100 * r.tolerance()), r.within() ? "yes" : "NO", r.source()));
        }
        long out = rows.stream().filter(r -> !r.within()).count();
        return new Section("fidelity", "Fidelity: modeled against published", List.of(
                new Block.Paragraph("Each operation measured on the model the way its publication measured it: one warm access "
                        + "for latencies, a 64 MiB transfer for bandwidths, half a ping-pong for message latencies, nccl-tests' "
                        + "bus bandwidth for collectives, DeepEP's figures for MoE dispatch and combine. Modeled time "
                        + "is deterministic, so these rows are the same on every machine. " + out + " of " + rows.size()
                        + " rows are outside their tolerance; they are flagged, not hidden."),
                new Block.Table("Published figures beside the model", List.of("operation", "published", "modeled",
                        "error", "tolerance", "within", "source"), cells, outside),
                new Block.Paragraph("The serving step cost (prefill and decode times of a model on its accelerators) "
                        + "beside published measurements: the calibration rows set its constants, the held-out rows "
                        + "test them. Times include NIM's client overhead where NIM measured them."),
                new Block.Table("Serving step cost beside published figures", List.of("what", "role", "published",
                        "modeled", "error", "source"), servingRows(), Set.of())));
    }

    private static List<List<String>> servingRows() {
        List<List<String>> cells = new ArrayList<>();
        for (io.supernode.serving.cost.Fidelity.Point p : io.supernode.serving.cost.Fidelity.points()) {
            cells.add(List.of(p.what(), p.role().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    String.format(Locale.ROOT, "%,.2f ms", p.publishedMillis()),
                    String.format(Locale.ROOT, "%,.2f ms", p.modeledMillis()),
                    String.format(Locale.ROOT, "%+.1f %%", p.errorPercent()), p.source()));
        }
        return cells;
    }
}
