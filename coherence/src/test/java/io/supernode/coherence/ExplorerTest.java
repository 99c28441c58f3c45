package io.supernode.coherence;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.check.Explorer;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every interleaving of small systems: the Primer's MSI protocol keeps SWMR, data-value, progress and
 * directory agreement in all of them, and every deliberately broken variant is caught.
 */
class ExplorerTest {

    private static final int[] VALUES = {1, 2};

    @Test
    void msiHoldsInEveryInterleavingOfTwoNodes() {
        Explorer.Result r = Explorer.explore(ProtocolVariant.CORRECT, 2, 1, 3, VALUES, 2_000_000);
        assertTrue(r.holds(), () -> r.violation() + " via " + r.trace());
        assertTrue(r.states() > 10_000, "explored only " + r.states() + " states");
    }

    @Test
    void msiHoldsInEveryInterleavingOfThreeNodes() {
        Explorer.Result r = Explorer.explore(ProtocolVariant.CORRECT, 3, 1, 2, VALUES, 2_000_000);
        assertTrue(r.holds(), () -> r.violation() + " via " + r.trace());
        assertTrue(r.states() > 100_000, "explored only " + r.states() + " states");
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVariant.class, names = "CORRECT", mode = EnumSource.Mode.EXCLUDE)
    void everyBrokenVariantIsCaughtWithItsOwnKindOfViolation(ProtocolVariant variant) {
        Explorer.Result r = Explorer.explore(variant, 2, 1, 3, VALUES, 2_000_000);
        assertFalse(r.holds(), variant + " went unnoticed over " + r.states() + " states");
        CoherenceViolation.Kind expected = switch (variant) {
            case DIRECTORY_FORGETS_ONE_INV -> CoherenceViolation.Kind.DEADLOCK;
            case DATA_ACK_ZERO_ON_S_GETM, OWNER_STAYS_M_AFTER_FWD_GETS -> CoherenceViolation.Kind.SWMR;
            case UNORDERED_FORWARD_NETWORK -> CoherenceViolation.Kind.NO_TRANSITION;
            case CORRECT -> throw new AssertionError();
        };
        assertEquals(expected, r.violation().kind(), r.violation().getMessage());
        assertFalse(r.trace().isEmpty(), "a counterexample comes with its schedule");
    }
}
