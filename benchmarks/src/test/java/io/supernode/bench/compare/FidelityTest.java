package io.supernode.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every published anchor the report shows is modeled within its tolerance, and the rows are deterministic. */
class FidelityTest {

    @Test
    void everyAnchorButTheKnownOneIsWithinTenPercent() {
        List<FidelityRow> rows = Fidelity.rows();
        assertTrue(rows.size() >= 15, "rows: " + rows.size());
        StringBuilder all = new StringBuilder();
        rows.forEach(r -> all.append(String.format("%n%-45s %9.1f %-4s vs %9.1f (%+.0f %%)", r.what(), r.modeled(), r.unit(),
                r.published(), 100 * r.relativeError())));
        // Known and shown in the report: the model has no per-MTU segmentation cost, so ib_send_lat's climb
        // from 1 KB to 4 KB is modeled at wire bandwidth only. Any other row leaving its tolerance fails here.
        assertEquals(List.of("ib_send_lat, 4 KB"), rows.stream().filter(r -> !r.within()).map(FidelityRow::what).toList(),
                all.toString());
        assertEquals(rows, Fidelity.rows(), "modeled time does not depend on the run");
    }

    @Test
    void aRowOutsideItsToleranceSaysSo() {
        FidelityRow off = new FidelityRow("x", "ns", 1_000, 1_150, 0.10, "test");
        assertEquals(0.15, off.relativeError(), 1e-9);
        assertTrue(!off.within());
        assertTrue(new FidelityRow("y", "ns", 1_000, 910, 0.10, "test").within());
    }
}
