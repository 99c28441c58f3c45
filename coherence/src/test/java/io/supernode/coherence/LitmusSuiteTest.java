package io.supernode.coherence;

import io.supernode.coherence.check.LitmusResult;
import io.supernode.coherence.check.LitmusTest;
import io.supernode.coherence.check.LitmusRunner;
import io.supernode.coherence.check.LitmusTests;
import io.supernode.coherence.check.ScReference;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The litmus tests on the MSI and MESI protocols: only outcomes sequential consistency allows, and every broken
 * variant caught.
 */
class LitmusSuiteTest {

    private static final long SEED = 1;
    private static final int RUNS = 400;
    private static final int CONCURRENT_RUNS = 50;

    @Test
    void theSequentialConsistencyReferenceForbidsWhatEachTestIsAbout() {
        for (var test : LitmusTests.all()) {
            assertFalse(ScReference.allowed(test).contains(test.forbidden()), test.name() + " must forbid " + test.forbidden());
            assertTrue(ScReference.allowed(test).size() >= 1);
        }
        assertEquals(3, ScReference.allowed(LitmusTests.MP).size());
        assertEquals(15, ScReference.allowed(LitmusTests.IRIW).size());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void showsOnlyOutcomesSequentialConsistencyAllows(Protocol protocol) {
        for (var test : LitmusTests.all()) {
            LitmusResult result = LitmusRunner.run(test, protocol, ProtocolVariant.CORRECT, RUNS, SEED);
            assertTrue(result.passed(), protocol + " " + test.name() + " seeds " + SEED + ".." + (SEED + RUNS - 1) + ": forbidden "
                    + result.forbiddenSeen() + ", failures " + result.failures());
            assertEquals(RUNS, result.outcomes().values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void schedulesVaryEnoughToShowEveryAllowedOutcomeOfTheTwoThreadTests(Protocol protocol) {
        for (var test : new LitmusTest[] {LitmusTests.MP, LitmusTests.SB, LitmusTests.LB,
            LitmusTests.TWO_PLUS_TWO_W, LitmusTests.CO_RR, LitmusTests.CO_RW, LitmusTests.CO_WR}) {
            LitmusResult result = LitmusRunner.run(test, protocol, ProtocolVariant.CORRECT, RUNS, SEED);
            assertEquals(result.allowed(), result.outcomes().keySet(), test.name() + " seed " + SEED);
        }
    }

    @Test
    void runsSharedAmongThreadsGiveTheResultOfOneThread() {
        // A broken variant, so that failures (their counts and first seeds) are compared as well as outcomes.
        for (ProtocolVariant variant : new ProtocolVariant[] {ProtocolVariant.CORRECT, ProtocolVariant.DIRECTORY_FORGETS_ONE_INV}) {
            for (var test : new LitmusTest[] {LitmusTests.MP, LitmusTests.IRIW}) {
                LitmusResult one = LitmusRunner.run(test, Protocol.MSI, variant, RUNS, SEED, 1);
                if (variant != ProtocolVariant.CORRECT) {
                    assertFalse(one.failures().isEmpty(), variant + " " + test.name() + " should fail some runs");
                }
                for (int threads : new int[] {2, 3, 7}) {
                    LitmusResult shared = LitmusRunner.run(test, Protocol.MSI, variant, RUNS, SEED, threads);
                    assertEquals(one.outcomes(), shared.outcomes(), variant + " " + test.name() + " on " + threads + " threads");
                    assertEquals(one.failures(), shared.failures(), variant + " " + test.name() + " on " + threads + " threads");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyBrokenVariantFailsSomeLitmusTest(Protocol protocol) {
        for (ProtocolVariant variant : ProtocolVariant.values()) {
            if (variant == ProtocolVariant.CORRECT) {
                continue;
            }
            boolean caught = LitmusTests.all().stream()
                    .anyMatch(test -> !LitmusRunner.run(test, protocol, variant, RUNS, SEED).passed());
            assertTrue(caught, protocol + " " + variant + " passed every litmus test with seeds " + SEED + ".." + (SEED + RUNS - 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theConcurrentTransportShowsOnlyOutcomesSequentialConsistencyAllows(Protocol protocol) {
        for (var test : LitmusTests.all()) {
            LitmusResult result = LitmusRunner.runConcurrent(test, protocol, ProtocolVariant.CORRECT, CONCURRENT_RUNS, SEED);
            assertTrue(result.passed(), protocol + " " + test.name() + " concurrent, seeds " + SEED + ".."
                    + (SEED + CONCURRENT_RUNS - 1) + ": forbidden " + result.forbiddenSeen() + ", failures " + result.failures());
            assertEquals(CONCURRENT_RUNS, result.outcomes().values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void theConcurrentTransportCatchesEveryBrokenVariantToo() {
        for (ProtocolVariant variant : ProtocolVariant.values()) {
            if (variant == ProtocolVariant.CORRECT) {
                continue;
            }
            // One repetition at a time, stopping at the first failure: thread timing decides when a bug shows.
            int repetition = 0;
            boolean caught = false;
            for (; repetition < 300 && !caught; repetition++) {
                long seed = SEED + repetition;
                caught = LitmusTests.all().stream()
                        .anyMatch(test -> !LitmusRunner.runConcurrent(test, Protocol.MSI, variant, 1, seed).passed());
            }
            assertTrue(caught, variant + " passed every litmus test in 300 repetitions on the concurrent transport");
        }
    }
}
