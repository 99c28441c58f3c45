package io.supernode.collectives.moe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeepEP's published dispatch and combine figures, within the MoE issue's tolerances. */
class MoeFidelityTest {

    @Test
    void everyDeepEpFigureIsWithinItsTolerance() {
        List<MoeFidelity.Anchor> anchors = MoeFidelity.anchors();
        assertEquals(20, anchors.size());
        StringBuilder table = new StringBuilder();
        for (MoeFidelity.Anchor a : anchors) {
            table.append(String.format("%-45s published %7.1f %-4s modeled %7.1f (%+.1f %%)%n", a.what(), a.published(),
                    a.unit(), a.modeled(), 100 * a.relativeError()));
        }
        System.out.print(table);
        for (MoeFidelity.Anchor a : anchors) {
            assertTrue(Math.abs(a.relativeError()) <= a.tolerance(), a.what() + ": " + table);
        }
    }
}
