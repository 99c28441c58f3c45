package io.supernode.bench.compare;

import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.FabricPair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpProbeTest {

    private static final long SEED = 7;

    @Test
    void everyMethodFetchesTheHoldersBytesFromItsFirstOperationOnAndKeepsDoingSo() {
        for (FabricPair pair : FabricPair.all()) {
            for (PathKind method : Sweep.PATHS) {
                for (long size : List.of(8L, 65_536L)) {
                    try (OpProbe probe = OpProbe.open(pair, method, size, SEED)) {
                        String what = pair.name() + " " + method + " " + size + " B, seed " + SEED;
                        // The local buffer starts zeroed, so a first operation that moved nothing would return 0.
                        assertNotEquals(0L, probe.heldFirstWord(), what);
                        assertEquals(probe.heldFirstWord(), probe.runOnce(), what);
                        assertTrue(probe.hostNanosPerOp(1, 1) > 0, what);
                        assertEquals(probe.heldFirstWord(), probe.runOnce(), what);
                    }
                }
            }
        }
    }
}
