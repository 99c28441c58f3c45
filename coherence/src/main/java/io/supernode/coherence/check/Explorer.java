package io.supernode.coherence.check;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import io.supernode.coherence.transport.PackedState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Breadth-first search over every interleaving of a small system: every core request and every message
 * delivery the protocol allows, from the quiet initial state. Invariants are checked in every state reached;
 * terminal states must be quiescent and agree. The first violation is reported with the shortest schedule
 * that reaches it, as a message sequence.
 *
 * <p>States are packed into longs ({@link PackedState}) and kept in a {@link StateStore}: an open-addressing
 * table over an append-only array that is the search's queue as well. A level is expanded in batches, each
 * split among {@link Search#threads()} threads. With {@link Search#symmetry()}, states that differ only in
 * which of the identical caches is which count once. Counts do not depend on the number of threads; when a
 * search that used threads or symmetry finds a violation, it is searched again on one thread without
 * symmetry, so that the counterexample is the same on every machine and names the caches as they are.
 */
public final class Explorer {

    /** Frontier states per batch: the threads split a batch, the store grows between batches. */
    private static final int BATCH_STATES = 16_384;
    /** Frontier states a thread takes at a time. */
    private static final int PIECE_STATES = 64;
    /** The most steps one state may enable: the store keeps a step's number in a byte. */
    private static final int MAX_STEPS = 255;

    /**
     * The system to explore.
     *
     * @param protocol    the protocol
     * @param variant     its variant under test
     * @param nodes       caches
     * @param lines       lines
     * @param opsPerNode  requests each core issues at most (loads, stores and replacements)
     * @param storeValues the values stores write
     */
    public record Space(Protocol protocol, ProtocolVariant variant, int nodes, int lines, int opsPerNode, int[] storeValues) {
        /** Validates the bounds. */
        public Space {
            if (nodes < 1 || nodes > 6 || lines < 1 || lines > 4 || opsPerNode < 0 || storeValues.length == 0) {
                throw new IllegalArgumentException("explore 1..6 nodes, 1..4 lines, some store values; got " + nodes
                        + " nodes, " + lines + " lines, " + storeValues.length + " values");
            }
            storeValues = storeValues.clone();
        }

        @Override
        public int[] storeValues() {
            return storeValues.clone();
        }

        /** The quiet system the search starts from: every cache invalid, memory zero, nothing in flight. */
        public CoherenceSystem initial() {
            return new CoherenceSystem(nodes, lines, protocol, variant);
        }
    }

    /**
     * How to search.
     *
     * @param maxStates stop with an {@link IllegalStateException} beyond this many states
     * @param symmetry  count states that differ only by renaming the caches once; ignored for a variant whose
     *                  behaviour depends on the caches' numbers ({@link ProtocolVariant#symmetricInNodes()})
     * @param threads   threads that expand a level together
     */
    public record Search(long maxStates, boolean symmetry, int threads) {
        /** Validates the bounds. */
        public Search {
            if (maxStates < 1 || threads < 1) {
                throw new IllegalArgumentException("maxStates and threads must be positive");
            }
        }

        /** One thread, every state: the search whose counterexamples are reported. */
        public static Search exhaustive(long maxStates) {
            return new Search(maxStates, false, 1);
        }
    }

    /**
     * What the search found.
     *
     * @param states      distinct states reached (with symmetry, distinct up to renaming the caches)
     * @param transitions steps taken
     * @param violation   the first violation, or null
     * @param trace       the shortest schedule reaching it (empty without one)
     * @param storeBytes  bytes the visited states took (packed states, parents, steps and hash table)
     */
    public record Result(long states, long transitions, CoherenceViolation violation, List<String> trace, long storeBytes) {

        /** Whether every reachable state kept every invariant. */
        public boolean holds() {
            return violation == null;
        }
    }

    /** A violation found while expanding state {@code index} by its step {@code step} (-1: the state itself). */
    private record Found(int index, int step, CoherenceViolation violation, String lastStep) {
        boolean before(Found other) {
            return other == null || index < other.index || index == other.index && step < other.step;
        }
    }

    private final Space space;
    private final Search search;
    private final int[] storeValues;
    private final StateStore store;
    private final PackedState packing;
    private final int maxMessages;
    private volatile Found found;

    private Explorer(Space space, Search search, int maxMessages) {
        this.space = space;
        this.maxMessages = maxMessages;
        this.search = search;
        this.storeValues = space.storeValues();
        this.packing = new PackedState(space.initial(), space.opsPerNode(), storeValues, maxMessages);
        this.store = new StateStore(packing.words());
    }

    /**
     * Explores {@code variant} of {@code protocol} on {@code nodes} caches x {@code lines} lines, each core issuing at most {@code opsPerNode}
     * requests, stores writing each of {@code storeValues}; stops after {@code maxStates} states. One thread, no symmetry.
     */
    public static Result explore(Protocol protocol, ProtocolVariant variant, int nodes, int lines, int opsPerNode, int[] storeValues,
                                 long maxStates) {
        return explore(new Space(protocol, variant, nodes, lines, opsPerNode, storeValues), Search.exhaustive(maxStates));
    }

    /** Explores {@code space} as {@code search} says. */
    public static Result explore(Space space, Search search) {
        return explore(space, search, states -> { });
    }

    /**
     * Explores {@code space} as {@code search} says, telling {@code statesSoFar} the count of states found
     * after every batch (a few times a second on large spaces).
     */
    public static Result explore(Space space, Search search, LongConsumer statesSoFar) {
        // Packed states have room for a bounded number of messages in flight; a system that sends more is
        // searched again with twice the room (the first bound holds every protocol here).
        int maxMessages = 2 * space.nodes() * space.lines() + 2;
        while (true) {
            try {
                Search applied = search.symmetry() && !space.variant().symmetricInNodes()
                        ? new Search(search.maxStates(), false, search.threads()) : search;
                Result result = new Explorer(space, applied, maxMessages).runAndFree(statesSoFar);
                if (!result.holds() && (applied.symmetry() || applied.threads() > 1)) {
                    try {
                        return new Explorer(space, Search.exhaustive(search.maxStates()), maxMessages).runAndFree(statesSoFar);
                    } catch (IllegalStateException beyondTheBound) {
                        // The search without symmetry outgrew the bound: keep the reduced search's counterexample,
                        // whose steps may name the caches differently from one step to the next.
                        return result;
                    }
                }
                return result;
            } catch (PackedState.TooManyMessages e) {
                maxMessages *= 2;
            }
        }
    }

    private Result run(LongConsumer statesSoFar) {
        Worker[] workers = new Worker[search.threads()];
        for (int t = 0; t < workers.length; t++) {
            workers[t] = new Worker(t == 0 ? packing : packing.copy());
        }
        long[] key = new long[packing.words()];
        packing.encode(space.initial(), key, 0);
        store.prepare(1);
        store.add(key, -1, 0);
        int maxSteps = space.nodes() * space.lines() * (2 + storeValues.length) + maxMessages;
        ForkJoinPool pool = search.threads() > 1 ? new ForkJoinPool(search.threads()) : null;
        try {
            int levelStart = 0;
            int levelEnd = 1;
            while (levelStart < levelEnd && found == null) {
                for (int batch = levelStart; batch < levelEnd && found == null; batch += BATCH_STATES) {
                    int batchEnd = Math.min(levelEnd, batch + BATCH_STATES);
                    store.prepare((batchEnd - batch) * maxSteps);
                    expand(pool, workers, batch, batchEnd);
                    statesSoFar.accept(store.size());
                    if (store.size() > search.maxStates()) {
                        throw new IllegalStateException("more than " + search.maxStates() + " states: bound the exploration more");
                    }
                }
                levelStart = levelEnd;
                levelEnd = store.size();
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        long transitions = 0;
        for (Worker w : workers) {
            transitions += w.transitions;
        }
        if (found == null) {
            return new Result(store.size(), transitions, null, List.of(), store.bytes());
        }
        return new Result(store.size(), transitions, found.violation(), trace(found.index(), found.lastStep()), store.bytes());
    }

    private Result runAndFree(LongConsumer statesSoFar) {
        try (store) {
            return run(statesSoFar);
        }
    }

    private void expand(ForkJoinPool pool, Worker[] workers, int from, int to) {
        if (pool == null) {
            workers[0].expand(from, to);
            return;
        }
        AtomicInteger cursor = new AtomicInteger(from);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (Worker w : workers) {
            tasks.add(() -> {
                for (int piece = cursor.getAndAdd(PIECE_STATES); piece < to && found == null;
                     piece = cursor.getAndAdd(PIECE_STATES)) {
                    w.expand(piece, Math.min(to, piece + PIECE_STATES));
                }
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("exploration interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private synchronized void report(Found candidate) {
        if (candidate.before(found)) {
            found = candidate;
        }
    }

    /** One thread's packing, scratch space and count of steps taken. */
    private final class Worker {
        private final PackedState packing;
        private final long[] key;
        private final long[] child;
        private final CoherenceSystem next;
        private long transitions;

        Worker(PackedState packing) {
            this.packing = packing;
            this.key = new long[packing.words()];
            this.child = new long[packing.words()];
            this.next = space.initial();
        }

        void expand(int from, int to) {
            for (int index = from; index < to && found == null; index++) {
                store.key(index, key);
                CoherenceSystem state = packing.decode(key, 0);
                List<CoherenceSystem.Step> steps = state.enabled(space.opsPerNode(), storeValues);
                if (steps.size() > MAX_STEPS) {
                    throw new IllegalStateException(steps.size() + " steps enabled in one state, more than " + MAX_STEPS);
                }
                if (steps.isEmpty()) {
                    CoherenceViolation terminal = terminal(state);
                    if (terminal != null) {
                        report(new Found(index, -1, terminal, null));
                        return;
                    }
                }
                for (int i = 0; i < steps.size(); i++) {
                    CoherenceSystem.Step step = steps.get(i);
                    // Each step starts again from the packed state, decoded into the same scratch system:
                    // cheaper than copying the system's arrays once per step.
                    packing.decode(key, 0, next);
                    transitions++;
                    try {
                        next.apply(step);
                        Invariants.checkAlways(next);
                    } catch (ProtocolError e) {
                        report(new Found(index, i, new CoherenceViolation(CoherenceViolation.Kind.NO_TRANSITION, e.getMessage()),
                                step.toString()));
                        return;
                    } catch (CoherenceViolation v) {
                        report(new Found(index, i, v, step.toString()));
                        return;
                    }
                    if (search.symmetry()) {
                        packing.encodeCanonical(next, child);
                    } else {
                        packing.encode(next, child, 0);
                    }
                    store.add(child, index, i);
                }
            }
        }
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

    /** The steps from the initial state to state {@code index}, replayed from the parents, then {@code last}. */
    private List<String> trace(int index, String last) {
        List<String> steps = new ArrayList<>();
        if (last != null) {
            steps.add(last);
        }
        long[] key = new long[packing.words()];
        for (int at = index; store.parent(at) >= 0; at = store.parent(at)) {
            store.key(store.parent(at), key);
            CoherenceSystem parent = packing.decode(key, 0);
            steps.add(parent.enabled(space.opsPerNode(), storeValues).get(store.step(at)).toString());
        }
        Collections.reverse(steps);
        return steps;
    }
}
