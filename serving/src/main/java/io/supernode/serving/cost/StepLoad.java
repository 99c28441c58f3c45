package io.supernode.serving.cost;

import io.supernode.gas.fault.ConfigFault;

/**
 * The work of one engine step on one serving node, summed over the sequences it advances: prompt tokens prefilled
 * (whole prompts or chunks) and decode tokens, each attending to its context. Loads add up, as a batch's do.
 *
 * @param tokens        tokens the step computes (each passes through every layer once)
 * @param prefillPairs  query-context token pairs of prefill attention (causal: a prompt token attends to the cached
 *                      prefix and to the prompt tokens up to itself)
 * @param decodePairs   query-context token pairs of decode attention (each decode token attends to its whole context)
 * @param sampledTokens tokens the output head runs on: each decode token, and the last token of a finished prompt
 * @param kvTokensRead  cached tokens whose KV the step reads from memory (each sequence's context, once per layer)
 * @param prefixTokens  of those, the cached prefixes prompt chunks attend to (latent attention projects them up)
 */
public record StepLoad(long tokens, double prefillPairs, double decodePairs, long sampledTokens, long kvTokensRead,
                       long prefixTokens) {

    /** Nothing to do. */
    public static final StepLoad EMPTY = new StepLoad(0, 0, 0, 0, 0, 0);

    /** Checks the counts. */
    public StepLoad {
        if (tokens < 0 || !(prefillPairs >= 0) || !(decodePairs >= 0) || sampledTokens < 0 || kvTokensRead < 0
                || prefixTokens < 0 || prefixTokens > kvTokensRead
                || !Double.isFinite(prefillPairs) || !Double.isFinite(decodePairs)) {
            throw new ConfigFault("a step's token counts must be finite and >= 0");
        }
    }

    /**
     * A prompt chunk of {@code newTokens} after {@code cachedTokens} already in the KV cache (a cached prefix, or the
     * prompt's earlier chunks); {@code last}: the chunk ends the prompt, so its last token is sampled.
     */
    public static StepLoad prefill(long newTokens, long cachedTokens, boolean last) {
        if (newTokens < 1 || cachedTokens < 0) {
            throw new ConfigFault("a prefill needs at least 1 new token and >= 0 cached, got " + newTokens + " and "
                    + cachedTokens);
        }
        double pairs = (double) newTokens * cachedTokens + (double) newTokens * (newTokens + 1) / 2;
        return new StepLoad(newTokens, pairs, 0, last ? 1 : 0, cachedTokens, cachedTokens);
    }

    /** A whole prompt of {@code newTokens} after a cached prefix of {@code cachedTokens}. */
    public static StepLoad prefill(long newTokens, long cachedTokens) {
        return prefill(newTokens, cachedTokens, true);
    }

    /** One decode token of a sequence holding {@code contextTokens} in its KV cache. */
    public static StepLoad decode(long contextTokens) {
        if (contextTokens < 0) {
            throw new ConfigFault("a decode's context must be >= 0 tokens, got " + contextTokens);
        }
        return new StepLoad(1, 0, contextTokens, 1, contextTokens, 0);
    }

    /** {@code sequences} decode tokens, each of a sequence holding {@code contextTokens}. */
    public static StepLoad decode(int sequences, long contextTokens) {
        if (sequences < 1) {
            throw new ConfigFault("a decode step needs at least 1 sequence, got " + sequences);
        }
        StepLoad one = decode(contextTokens);
        return new StepLoad(sequences, 0, one.decodePairs * sequences, sequences, contextTokens * sequences, 0);
    }

    /** This step's work and {@code other}'s, in one step. */
    public StepLoad plus(StepLoad other) {
        return new StepLoad(tokens + other.tokens, prefillPairs + other.prefillPairs, decodePairs + other.decodePairs,
                sampledTokens + other.sampledTokens, kvTokensRead + other.kvTokensRead, prefixTokens + other.prefixTokens);
    }
}
