package io.supernode.coherence;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.check.Explorer;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every interleaving of small systems: the Primer's MSI and MESI protocols keep SWMR, data-value, progress
 * and directory agreement in all of them, and every deliberately broken variant of either is caught.
 */
class ExplorerTest {

    private static final int[] VALUES = {1, 2};

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void holdsInEveryInterleavingOfTwoNodes(Protocol protocol) {
        Explorer.Result r = Explorer.explore(protocol, ProtocolVariant.CORRECT, 2, 1, 3, VALUES, 2_000_000);
        assertTrue(r.holds(), () -> r.violation() + " via " + r.trace());
        assertTrue(r.states() > 10_000, "explored only " + r.states() + " states");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void holdsInEveryInterleavingOfThreeNodes(Protocol protocol) {
        Explorer.Result r = Explorer.explore(protocol, ProtocolVariant.CORRECT, 3, 1, 2, VALUES, 2_000_000);
        assertTrue(r.holds(), () -> r.violation() + " via " + r.trace());
        assertTrue(r.states() > 100_000, "explored only " + r.states() + " states");
    }

    @Test
    void mesiReachesStatesMsiCannot() {
        long msi = Explorer.explore(Protocol.MSI, ProtocolVariant.CORRECT, 2, 1, 3, VALUES, 2_000_000).states();
        long mesi = Explorer.explore(Protocol.MESI, ProtocolVariant.CORRECT, 2, 1, 3, VALUES, 2_000_000).states();
        assertTrue(mesi > msi, "MESI " + mesi + " states vs MSI " + msi);
    }

    static Stream<Arguments> brokenVariants() {
        return Arrays.stream(Protocol.values()).flatMap(p -> Arrays.stream(ProtocolVariant.values())
                .filter(v -> v != ProtocolVariant.CORRECT).map(v -> Arguments.of(p, v)));
    }

    @ParameterizedTest
    @MethodSource("brokenVariants")
    void everyBrokenVariantIsCaughtWithItsOwnKindOfViolation(Protocol protocol, ProtocolVariant variant) {
        Explorer.Result r = Explorer.explore(protocol, variant, 2, 1, 3, VALUES, 2_000_000);
        assertFalse(r.holds(), protocol + " " + variant + " went unnoticed over " + r.states() + " states");
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
