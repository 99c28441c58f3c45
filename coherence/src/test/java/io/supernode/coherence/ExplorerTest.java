package io.supernode.coherence;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.check.Explorer;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * The state counts of an independent Murphi model of the same system (docs/murphi), which Rumur
     * reproduces: any packing that merges two different states, or tells two equal ones apart, moves them.
     */
    @ParameterizedTest
    @CsvSource({"MSI, 2, 3, 17104, 39676", "MESI, 2, 3, 18548, 43550", "MSI, 3, 2, 443476, 1382313",
        "MESI, 3, 2, 455521, 1416288"})
    void holdsInEveryInterleavingWithTheModelCheckersStateCount(Protocol protocol, int nodes, int ops, long states,
                                                               long transitions) {
        Explorer.Result r = Explorer.explore(protocol, ProtocolVariant.CORRECT, nodes, 1, ops, VALUES, 2_000_000);
        assertTrue(r.holds(), () -> r.violation() + " via " + r.trace());
        assertEquals(states, r.states());
        assertEquals(transitions, r.transitions());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void twoThreadsCountWhatOneCounts(Protocol protocol) {
        Explorer.Space space = new Explorer.Space(protocol, ProtocolVariant.CORRECT, 3, 1, 2, VALUES);
        Explorer.Result one = Explorer.explore(space, new Explorer.Search(2_000_000, false, 1));
        Explorer.Result two = Explorer.explore(space, new Explorer.Search(2_000_000, false, 2));
        assertEquals(one.states(), two.states());
        assertEquals(one.transitions(), two.transitions());
    }

    /**
     * Renaming the caches merges at most nodes! states into one, and never merges states that differ in
     * anything but names: two caches' worth of symmetry halves the count at most, and the states it keeps
     * still keep every invariant.
     */
    @ParameterizedTest
    @CsvSource({"MSI, 2, 3, 2", "MSI, 3, 2, 6", "MESI, 3, 2, 6"})
    void symmetryReductionKeepsOneStatePerRenaming(Protocol protocol, int nodes, int ops, int renamings) {
        Explorer.Space space = new Explorer.Space(protocol, ProtocolVariant.CORRECT, nodes, 1, ops, VALUES);
        long full = Explorer.explore(space, Explorer.Search.exhaustive(2_000_000)).states();
        Explorer.Result reduced = Explorer.explore(space, new Explorer.Search(2_000_000, true, 2));
        assertTrue(reduced.holds());
        assertTrue(reduced.states() < full && reduced.states() * renamings >= full,
                "reduced " + reduced.states() + " of " + full + " states, with " + renamings + " renamings");
    }

    /**
     * A variant that treats caches by number (it forgets the lowest-numbered sharer) is caught with three
     * caches when symmetry is asked for, with the counterexample of the plain search. The explorer searches
     * such a variant whole: a reduced search of it could keep the renaming that hides the violation.
     */
    @Test
    void aVariantThatDependsOnCacheNumbersIsCaughtWhenSymmetryIsAsked() {
        Explorer.Space space = new Explorer.Space(Protocol.MSI, ProtocolVariant.DIRECTORY_FORGETS_ONE_INV, 3, 1, 2, VALUES);
        Explorer.Result plain = Explorer.explore(space, Explorer.Search.exhaustive(2_000_000));
        Explorer.Result asked = Explorer.explore(space, new Explorer.Search(2_000_000, true, 1));
        assertFalse(asked.holds());
        assertEquals(plain.violation().getMessage(), asked.violation().getMessage());
        assertEquals(plain.trace(), asked.trace());
    }

    @ParameterizedTest
    @MethodSource("brokenVariants")
    void symmetryAndThreadsCatchEveryBrokenVariantWithTheSameCounterexample(Protocol protocol, ProtocolVariant variant) {
        Explorer.Space space = new Explorer.Space(protocol, variant, 2, 1, 3, VALUES);
        Explorer.Result plain = Explorer.explore(space, Explorer.Search.exhaustive(2_000_000));
        Explorer.Result fast = Explorer.explore(space, new Explorer.Search(2_000_000, true, 2));
        assertFalse(fast.holds());
        assertEquals(plain.violation().getMessage(), fast.violation().getMessage());
        assertEquals(plain.trace(), fast.trace());
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
