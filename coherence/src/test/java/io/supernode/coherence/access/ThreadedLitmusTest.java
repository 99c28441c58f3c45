package io.supernode.coherence.access;

import io.supernode.coherence.check.LitmusResult;
import io.supernode.coherence.check.LitmusTest;
import io.supernode.coherence.check.LitmusTests;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ten litmus tests on the coherent access mode with a thread per node: no forbidden outcome, no failure,
 * and more than one outcome for the tests whose outcome depends on timing (the threads really interleave).
 * {@code -Dsupernode.litmus.iterations=N} runs longer; {@code -Dsupernode.litmus.seed=N} fixes the pauses.
 */
class ThreadedLitmusTest {

    private static final int ITERATIONS = Integer.getInteger("supernode.litmus.iterations", 100_000);
    /** Iterations of each test in checking mode, where every access takes its line's lock and is checked. */
    private static final int CHECKED_ITERATIONS = 2_000;
    private static final long SEED = Long.getLong("supernode.litmus.seed", 7);

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyLitmusTestOnThreadsGivesOnlyOutcomesScAllows(Protocol protocol) {
        List<String> problems = new ArrayList<>();
        for (LitmusTest test : LitmusTests.all()) {
            long start = System.nanoTime();
            LitmusResult result = ThreadedLitmus.run(test, protocol, CoherenceMode.FAST, ITERATIONS, SEED);
            System.out.printf("%s %-5s %,d iterations in %.1f s: %s%n", protocol, test.name(), ITERATIONS,
                    (System.nanoTime() - start) / 1e9, result.outcomes());
            if (!result.passed()) {
                problems.add(test.name() + ": forbidden " + result.forbiddenSeen() + ", failures " + result.failures().keySet());
            }
        }
        assertTrue(problems.isEmpty(), protocol + " seed " + SEED + ": " + problems);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theCheckingModeFindsNothingWrongWithTheCorrectProtocol(Protocol protocol) {
        for (LitmusTest test : LitmusTests.all()) {
            LitmusResult result = ThreadedLitmus.run(test, protocol, CoherenceMode.CHECKED, CHECKED_ITERATIONS, SEED);
            assertTrue(result.passed(), protocol + " " + test.name() + " seed " + SEED + ": " + result.failures().keySet()
                    + " forbidden " + result.forbiddenSeen());
        }
    }

    /**
     * Each broken variant fails some litmus test on threads, except the unordered forward network: its bug needs
     * an eviction racing a forwarded request for the same line, which fresh litmus locations never see
     * ({@link ConcurrentCountersTest} catches it).
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyBrokenVariantFailsALitmusTestOnThreads(Protocol protocol) {
        for (ProtocolVariant variant : ProtocolVariant.values()) {
            if (variant == ProtocolVariant.CORRECT || variant == ProtocolVariant.UNORDERED_FORWARD_NETWORK) {
                continue;
            }
            boolean caught = LitmusTests.all().stream().anyMatch(test ->
                    !ThreadedLitmus.run(test, protocol, CoherenceMode.checked(variant), CHECKED_ITERATIONS, SEED).passed());
            assertTrue(caught, protocol + " " + variant + " passed every litmus test on threads, seed " + SEED);
        }
    }
}
