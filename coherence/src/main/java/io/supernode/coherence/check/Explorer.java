package io.supernode.coherence.check;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Breadth-first search over every interleaving of a small system: every core request and every message
 * delivery the protocol allows, from the quiet initial state, with visited states hashed. Invariants are
 * checked in every state reached; terminal states must be quiescent and agree. The first violation is
 * reported with the shortest schedule that reaches it, as a message sequence.
 */
public final class Explorer {

    /**
     * What the search found.
     *
     * @param states      distinct states reached
     * @param transitions steps taken
     * @param violation   the first violation, or null
     * @param trace       the shortest schedule reaching it (empty without one)
     */
    public record Result(long states, long transitions, CoherenceViolation violation, List<String> trace) {

        /** Whether every reachable state kept every invariant. */
        public boolean holds() {
            return violation == null;
        }
    }

    private record Parent(String key, String step) {
    }

    private Explorer() {
    }

    /**
     * Explores {@code variant} of {@code protocol} on {@code nodes} caches x {@code lines} lines, each core issuing at most {@code opsPerNode}
     * requests, stores writing each of {@code storeValues}; stops after {@code maxStates} states.
     */
    public static Result explore(Protocol protocol, ProtocolVariant variant, int nodes, int lines, int opsPerNode, int[] storeValues,
                                 long maxStates) {
        CoherenceSystem initial = new CoherenceSystem(nodes, lines, protocol, variant);
        Map<String, Parent> seen = new HashMap<>();
        ArrayDeque<CoherenceSystem> frontier = new ArrayDeque<>();
        seen.put(initial.key(), new Parent(null, null));
        frontier.add(initial);
        long transitions = 0;
        while (!frontier.isEmpty()) {
            CoherenceSystem state = frontier.poll();
            String key = state.key();
            List<CoherenceSystem.Step> steps = state.enabled(opsPerNode, storeValues);
            if (steps.isEmpty()) {
                CoherenceViolation terminal = terminal(state);
                if (terminal != null) {
                    return new Result(seen.size(), transitions, terminal, trace(seen, key, null));
                }
            }
            for (CoherenceSystem.Step step : steps) {
                CoherenceSystem next = state.copy();
                transitions++;
                try {
                    next.apply(step);
                    Invariants.checkAlways(next);
                } catch (ProtocolError e) {
                    return new Result(seen.size(), transitions,
                            new CoherenceViolation(CoherenceViolation.Kind.NO_TRANSITION, e.getMessage()),
                            trace(seen, key, step.toString()));
                } catch (CoherenceViolation v) {
                    return new Result(seen.size(), transitions, v, trace(seen, key, step.toString()));
                }
                String nextKey = next.key();
                if (seen.putIfAbsent(nextKey, new Parent(key, step.toString())) == null) {
                    if (seen.size() >= maxStates) {
                        throw new IllegalStateException("more than " + maxStates + " states: bound the exploration more");
                    }
                    frontier.add(next);
                }
            }
        }
        return new Result(seen.size(), transitions, null, List.of());
    }

    private static CoherenceViolation terminal(CoherenceSystem state) {
        if (!state.quiescent()) {
            int waiting = 0;
            for (int n = 0; n < state.nodes(); n++) {
                waiting |= state.waiting(n) ? 1 << n : 0;
            }
            return new CoherenceViolation(CoherenceViolation.Kind.DEADLOCK, "nothing can happen, yet "
                    + Invariants.names(waiting) + " wait(s) for a request to complete; in flight: " + state.inFlight());
        }
        try {
            Invariants.checkQuiescent(state);
            return null;
        } catch (CoherenceViolation v) {
            return v;
        }
    }

    private static List<String> trace(Map<String, Parent> seen, String key, String last) {
        List<String> steps = new ArrayList<>();
        if (last != null) {
            steps.add(last);
        }
        for (Parent p = seen.get(key); p != null && p.step() != null; p = seen.get(p.key())) {
            steps.add(p.step());
        }
        Collections.reverse(steps);
        return steps;
    }
}
