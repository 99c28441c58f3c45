package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Packing is lossless: along seeded random walks of systems of 2 to 4 caches and 1 to 3 lines, a system
 * decoded from its longs (fresh, or into a reused system) enables the same steps and packs to the same
 * longs, and its canonical packing does not depend on how the caches are numbered. jqwik prints the seed.
 */
class PackedStateTest {

    private static final int[] VALUES = {1, 2};
    private static final int OPS = 6;

    @Property(tries = 60)
    void decodingGivesBackTheSameSystem(@ForAll @IntRange(min = 2, max = 4) int nodes,
                                        @ForAll @IntRange(min = 1, max = 3) int lines, @ForAll boolean mesi,
                                        @ForAll long seed) {
        CoherenceSystem system = new CoherenceSystem(nodes, lines, mesi ? Protocol.MESI : Protocol.MSI, ProtocolVariant.CORRECT);
        PackedState packing = new PackedState(system, OPS, VALUES, 4 * nodes * lines + 4);
        CoherenceSystem scratch = system.copy();
        long[] key = new long[packing.words()];
        long[] again = new long[packing.words()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int step = 0; step < 200; step++) {
            packing.encode(system, key, 0);
            CoherenceSystem fresh = packing.decode(key, 0);
            packing.decode(key, 0, scratch);
            packing.encode(fresh, again, 0);
            assertArrayEquals(key, again, "seed " + seed + ", step " + step);
            packing.encode(scratch, again, 0);
            assertArrayEquals(key, again, "seed " + seed + ", step " + step);
            List<CoherenceSystem.Step> steps = system.enabled(OPS, VALUES);
            assertEquals(steps.size(), fresh.enabled(OPS, VALUES).size(), "seed " + seed + ", step " + step);
            assertEquals(sorted(system), sorted(fresh), "seed " + seed + ", step " + step);
            if (steps.isEmpty()) {
                return;
            }
            try {
                system.apply(steps.get(random.nextInt(steps.size())));
            } catch (ProtocolError e) {
                throw new AssertionError("seed " + seed + ": the correct protocol failed", e);
            }
        }
    }

    private static List<String> sorted(CoherenceSystem s) {
        return s.inFlight().stream().map(m -> m + " req " + m.requestor() + " acks " + m.ackCount()).sorted().toList();
    }

    @Test
    void aSystemLargerThanThePackingIsRefusedNotCorrupted() {
        CoherenceSystem system = new CoherenceSystem(2, 1, Protocol.MSI, ProtocolVariant.CORRECT);
        PackedState packing = new PackedState(system, 1, VALUES, 4);
        for (int i = 0; i < 3; i++) {
            system.apply(system.enabled(OPS, VALUES).stream().filter(s -> s instanceof CoherenceSystem.Issue issue
                    && issue.node() == 0).findFirst().orElseThrow());
            while (!system.quiescent()) {
                system.apply(system.enabled(0, VALUES).getFirst());
            }
        }
        assertThrows(IllegalStateException.class, () -> packing.encode(system, new long[packing.words()], 0),
                "three requests issued where the packing counts one");
    }
}
