package io.supernode.bench;

import io.supernode.bench.RoundTripRatio.Iteration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round-trip summary's arithmetic: which iterations count, their medians, and the verdict. */
class RoundTripRatioTest {

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, RoundTripRatio.median(new double[] {3, 1, 2}));
        assertEquals(2.5, RoundTripRatio.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void slowPlacementIterationsAreCountedApartFromTheVerdict() {
        // Fork 1 fast at 1.4x, fork 2 at the slow placement at 0.95x: the verdict reads fork 1 only.
        String summary = RoundTripRatio.summary(List.of(
                new Iteration(1, 80, 112), new Iteration(1, 90, 126), new Iteration(1, 85, 119),
                new Iteration(2, 440, 418), new Iteration(2, 450, 427)), 2);
        assertTrue(summary.contains("3 of 5 iterations in 1 of 2 forks"), summary);
        assertTrue(summary.contains("copy/floor median 1.40"), summary);
        assertTrue(summary.contains("slow placement: 2 iterations, floor 445.0 ns, copy/floor median 0.95"), summary);
        assertTrue(summary.contains("2     0          (all at the slow placement)"), summary);
        assertTrue(summary.contains("at the floor's lowest level (within 1.1x of the lowest): 2 iterations, "
                + "floor 82.5 ns, copy path 115.5 ns, copy/floor median 1.40"), summary);
        assertTrue(summary.endsWith("target copy/floor <= 1.5, judged over the fast placement: met (median 1.40); at "
                + "the floor's lowest level within it too (median 1.40)\n"), summary);
    }

    @Test
    void aRunAtOnePlacementSaysItCannotTellWhichOne() {
        String onePlacement = RoundTripRatio.summary(
                List.of(new Iteration(1, 440, 460), new Iteration(1, 450, 470)), 1);
        assertTrue(onePlacement.contains("every iteration sat at one placement"), onePlacement);
        String two = RoundTripRatio.summary(List.of(new Iteration(1, 90, 126), new Iteration(2, 450, 470)), 2);
        assertFalse(two.contains("every iteration sat at one placement"), two);
    }

    @Test
    void aMedianOverTheTargetIsMissedAndForksOverItAreCounted() {
        String summary = RoundTripRatio.summary(List.of(
                new Iteration(1, 80, 112), new Iteration(2, 80, 128), new Iteration(3, 80, 136),
                new Iteration(3, Double.NaN, Double.NaN)), 3);
        assertTrue(summary.contains("over 1.5x: 2 of 3 iterations, 2 of 3 forks"), summary);
        assertTrue(summary.contains("3 of 4 iterations"), summary);
        assertTrue(summary.endsWith("judged over the fast placement: missed (median 1.60); at the floor's lowest level "
                + "over it (median 1.60)\n"), summary);
    }

    @Test
    void theLowestLevelIsJudgedOnItsOwn() {
        // The copy path stays put while the floor toggles: 1.38x at the upper level, 1.65x at the lower.
        String summary = RoundTripRatio.summary(List.of(
                new Iteration(1, 92, 127), new Iteration(1, 93, 128), new Iteration(1, 77, 127)), 1);
        assertTrue(summary.contains("1 iteration, floor 77.0 ns"), summary);
        assertTrue(summary.endsWith("judged over the fast placement: met (median 1.38); at the floor's lowest level "
                + "over it (median 1.65)\n"), summary);
    }

    @Test
    void theMinimalRingIsReportedAtBothReadingsWhenTheRunHasOne() {
        // At the upper level the ring costs 1.25x the floor and the copy path 1.12x the ring;
        // at the lower, 1.56x and 1.0x.
        String summary = RoundTripRatio.summary(List.of(
                new Iteration(1, 92, 128.8, 115), new Iteration(1, 92, 128.8, 115), new Iteration(2, 80, 125, 125)), 2);
        assertTrue(summary.contains("    minimal ring with the copy path's work 115.0 ns: ring/floor median 1.25, "
                + "copy/ring median 1.12\n"), summary);
        assertTrue(summary.contains("    minimal ring with the copy path's work 125.0 ns: ring/floor median 1.56, "
                + "copy/ring median 1.00\n"), summary);
        String without = RoundTripRatio.summary(List.of(new Iteration(1, 92, 128.8)), 1);
        assertFalse(without.contains("minimal ring"), without);
    }
}
