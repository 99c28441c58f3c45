package io.supernode.coherence.check;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What many runs of one litmus test produced.
 *
 * @param test      the test
 * @param protocol  the protocol it ran on
 * @param variant   which variant of it
 * @param runs      runs made
 * @param seed      the first run's seed; run {@code i} used {@code seed + i}
 * @param outcomes  how often each outcome appeared
 * @param allowed   the outcomes sequential consistency allows
 * @param failures  runs that ended in a protocol error, a stale value, a deadlock or a livelock, by what happened
 */
public record LitmusResult(LitmusTest test, Protocol protocol, ProtocolVariant variant, int runs, long seed, Map<String, Integer> outcomes,
                           Set<String> allowed, Map<String, Failure> failures) {

    /**
     * Runs that failed the same way.
     *
     * @param count     how many
     * @param firstSeed the seed of the first, to replay it with {@link LitmusRunner#once}
     */
    public record Failure(int count, long firstSeed) {
    }

    /** Outcomes that appeared although sequential consistency forbids them, with their counts. */
    public Map<String, Integer> forbiddenSeen() {
        Map<String, Integer> seen = new TreeMap<>();
        outcomes.forEach((outcome, count) -> {
            if (!allowed.contains(outcome)) {
                seen.put(outcome, count);
            }
        });
        return seen;
    }

    /** Whether every run ended and only outcomes SC allows appeared. */
    public boolean passed() {
        return failures.isEmpty() && forbiddenSeen().isEmpty();
    }
}
