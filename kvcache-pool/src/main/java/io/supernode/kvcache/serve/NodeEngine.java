package io.supernode.kvcache.serve;

import io.supernode.kvcache.model.ServingProfile;
import io.supernode.serving.cost.StepLoad;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One serving node's engine under continuous batching, as vLLM and Sarathi-Serve schedule: every step carries one
 * decode token of each running sequence and fills the rest of a token budget with prompt chunks, first come first
 * served (chunked prefill), and a prompt is admitted only while the KV cache has room for it and its output. Each
 * step takes {@link io.supernode.serving.cost.StepCost}'s time for its whole load; a prompt's first token comes at the
 * end of the step that computes its last chunk, and each later token one step after the one before.
 */
final class NodeEngine {

    /** Told when a prompt's first token comes out of its prefill, and when a request's last token does. */
    interface Events {
        /** Tells nothing. */
        Events NONE = new Events() { };

        /** Request {@code index}'s first token came out at {@code nanos}. */
        default void firstToken(int index, long nanos) {
        }

        /** Request {@code index}'s last token came out at {@code nanos}; it holds no KV here any more. */
        default void finished(int index, long nanos) {
        }
    }

    /** A request on this node: waiting to be prefilled, prefilling in chunks, then decoding. */
    private static final class Sequence {
        final int index;
        final long arrivalNanos;
        final long readyNanos;
        final int newTokens;
        final int cachedTokens;
        final int outputTokens;
        int prefilled;
        /** Prompt tokens the step being built computes. */
        int chunk;
        int produced;
        boolean admitted;
        /** When its last token came out. */
        long lastTokenNanos;

        Sequence(int index, long arrivalNanos, long readyNanos, int newTokens, int cachedTokens, int outputTokens) {
            this.index = index;
            this.arrivalNanos = arrivalNanos;
            this.readyNanos = readyNanos;
            this.newTokens = newTokens;
            this.cachedTokens = cachedTokens;
            this.outputTokens = outputTokens;
        }

        /** A sequence whose prompt was prefilled elsewhere: its KV and first token are there at {@code readyNanos}. */
        boolean decodeOnly() {
            return newTokens == 0;
        }

        long kvTokens() {
            return (long) cachedTokens + newTokens + outputTokens;
        }

        long context() {
            return (long) cachedTokens + newTokens + produced;
        }
    }

    private final ServingProfile profile;
    private final long kvCapacityTokens;
    private final int tokenBudget;
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final long[] ttftNanos;
    private final long[] endNanos;
    private final LongArrayList tbtNanos;
    private final Events events;
    private long clockNanos;
    private long kvUsedTokens;

    /**
     * An idle engine whose results for request {@code i} go to {@code ttftNanos[i]} and {@code endNanos[i]}, and whose
     * gaps between tokens are added to {@code tbtNanos}; {@code events} (or null) is told of every first and last token.
     */
    NodeEngine(ServingProfile profile, long kvCapacityTokens, int tokenBudget, long[] ttftNanos, long[] endNanos,
               LongArrayList tbtNanos, Events events) {
        this.profile = profile;
        this.kvCapacityTokens = kvCapacityTokens;
        this.tokenBudget = tokenBudget;
        this.ttftNanos = ttftNanos;
        this.endNanos = endNanos;
        this.tbtNanos = tbtNanos;
        this.events = events == null ? Events.NONE : events;
    }

    /**
     * Queues request {@code index}, arrived at {@code arrivalNanos}, whose prefill may start at {@code readyNanos}
     * (after its reused blocks are fetched): {@code newTokens} to compute after {@code cachedTokens} reused.
     */
    void submit(int index, long arrivalNanos, long readyNanos, int newTokens, int cachedTokens, int outputTokens) {
        wakeAt(arrivalNanos);
        waiting.add(new Sequence(index, arrivalNanos, readyNanos, Math.max(1, newTokens),
                Math.max(0, cachedTokens - Math.max(0, 1 - newTokens)), Math.max(1, outputTokens)));
    }

    /**
     * Queues request {@code index} for decoding only: its prompt of {@code contextTokens} was prefilled on another node,
     * which produced its first token; its KV is here from {@code readyNanos}, and {@code outputTokens - 1} tokens are
     * left. The gap to its second token runs from {@code readyNanos}.
     */
    void submitDecode(int index, long arrivalNanos, long readyNanos, int contextTokens, int outputTokens) {
        wakeAt(arrivalNanos);
        Sequence s = new Sequence(index, arrivalNanos, readyNanos, 0, contextTokens, outputTokens);
        s.produced = 1;
        s.lastTokenNanos = readyNanos;
        waiting.add(s);
    }

    /** An idle engine's clock moves on to {@code nanos}: it had nothing to do until then. */
    private void wakeAt(long nanos) {
        if (waiting.isEmpty() && running.isEmpty()) {
            clockNanos = Math.max(clockNanos, nanos);
        }
    }

    /** Sequences queued or running: what a router balancing decode nodes weighs. */
    int sequences() {
        return waiting.size() + running.size();
    }

    /** Runs every step that starts before {@code nanos}. */
    void runUntil(long nanos) {
        while (clockNanos < nanos && !(waiting.isEmpty() && running.isEmpty())) {
            if (!step()) {
                clockNanos = Math.min(nanos, earliestReady());
            }
        }
    }

    /** Runs until every queued request has finished. */
    void drain() {
        while (!(waiting.isEmpty() && running.isEmpty())) {
            if (!step()) {
                clockNanos = earliestReady();
            }
        }
    }

    /** The engine's clock: when its last step ended. */
    long clockNanos() {
        return clockNanos;
    }

    /**
     * When a step could next run, after one could not: the first fetch still under way ends. A step with nothing to
     * do leaves no ready prompt it could admit (with no KV held, every ready prompt is admitted), so one is.
     */
    private long earliestReady() {
        long ready = Long.MAX_VALUE;
        for (Sequence s : waiting) {
            if (s.readyNanos > clockNanos) {
                ready = Math.min(ready, s.readyNanos);
            }
        }
        if (ready == Long.MAX_VALUE) {
            throw new IllegalStateException("node engine: nothing can run at " + clockNanos + " ns and nothing is "
                    + "fetching; " + waiting.size() + " waiting, " + running.size() + " running");
        }
        return ready;
    }

    /** One step; false when nothing could run at the clock (every waiting prompt still fetching). */
    private boolean step() {
        boolean admitting = startDecoding();
        StepLoad load = StepLoad.EMPTY;
        int budget = tokenBudget;
        for (Sequence s : running) {
            load = load.plus(StepLoad.decode(s.context()));
            budget--;
        }
        List<Sequence> chunked = new ArrayList<>();
        for (Sequence s : waiting) {
            if (budget <= 0) {
                break;
            }
            if (s.readyNanos > clockNanos || s.decodeOnly()) {
                continue;
            }
            if (!s.admitted) {
                // Head of line: once a prompt does not fit (and something holds KV), no later one is admitted; those
                // admitted already keep getting their chunks, so the KV they hold is freed in time.
                if (!admitting) {
                    continue;
                }
                if (!admit(s)) {
                    admitting = false;
                    continue;
                }
            }
            s.chunk = Math.min(budget, s.newTokens - s.prefilled);
            load = load.plus(StepLoad.prefill(s.chunk, (long) s.cachedTokens + s.prefilled,
                    s.prefilled + s.chunk == s.newTokens));
            chunked.add(s);
            budget -= s.chunk;
        }
        if (load.tokens() == 0) {
            return false;
        }
        long stepNanos = profile.cost().nanos(load);
        clockNanos += stepNanos;
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            s.produced++;
            tbtNanos.add(clockNanos - s.lastTokenNanos);
            s.lastTokenNanos = clockNanos;
            if (s.produced == s.outputTokens) {
                finish(s);
                it.remove();
            }
        }
        for (Sequence s : chunked) {
            s.prefilled += s.chunk;
            if (s.prefilled == s.newTokens) {
                waiting.remove(s);
                ttftNanos[s.index] = clockNanos - s.arrivalNanos;
                events.firstToken(s.index, clockNanos);
                s.produced = 1;
                s.lastTokenNanos = clockNanos;
                if (s.produced == s.outputTokens) {
                    finish(s);
                } else {
                    running.add(s);
                }
            }
        }
        return true;
    }

    /**
     * Moves the ready decode-only sequences, in queue order, into the running batch while each fits. Returns whether
     * prompts may still be admitted (false once a sequence did not fit: it heads the line).
     */
    private boolean startDecoding() {
        for (Iterator<Sequence> it = waiting.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (!s.decodeOnly() || s.readyNanos > clockNanos) {
                continue;
            }
            if (!admit(s)) {
                return false;
            }
            it.remove();
            running.add(s);
        }
        return true;
    }

    /** Admits {@code s} when its KV fits beside what is held, or when nothing is held; false when it must wait. */
    private boolean admit(Sequence s) {
        if (kvUsedTokens + s.kvTokens() > kvCapacityTokens && kvUsedTokens > 0) {
            return false;
        }
        s.admitted = true;
        kvUsedTokens += s.kvTokens();
        return true;
    }

    private void finish(Sequence s) {
        endNanos[s.index] = clockNanos - s.arrivalNanos;
        kvUsedTokens -= s.kvTokens();
        events.finished(s.index, clockNanos);
    }
}
