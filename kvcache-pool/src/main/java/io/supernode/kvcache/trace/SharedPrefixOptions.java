package io.supernode.kvcache.trace;

import io.supernode.kvcache.KvConfigException;

import java.util.Locale;

/**
 * The shared-prefix workload context-caching studies sweep: every prompt opens with one of a few shared prefixes,
 * taking {@code reuseShare} of its tokens, and ends with tokens of its own.
 *
 * @param seed              every random choice comes from this
 * @param requests          requests to generate
 * @param prefixes          distinct shared prefixes, picked by Zipf popularity
 * @param zipfExponent      popularity skew over prefixes (0 = uniform)
 * @param reuseShare        share of each prompt that is its shared prefix, 0..1 (block-aligned reuse is what hits)
 * @param promptTokens      prompt lengths
 * @param outputTokens      output lengths
 * @param arrivalsPerSecond Poisson arrival rate; {@link #SATURATE} sends every request at time 0 (a throughput run)
 * @param tokensPerBlock    block size the keys are chained over
 */
public record SharedPrefixOptions(long seed, int requests, int prefixes, double zipfExponent, double reuseShare,
                                  Lengths promptTokens, Lengths outputTokens, double arrivalsPerSecond,
                                  int tokensPerBlock) {

    /** Prompt tokens a run may hold in all, on average (A: a gigabyte of token ids, within a default heap). */
    public static final long MAX_PROMPT_TOKENS_IN_ALL = 250_000_000;

    /** The arrival rate of a saturation run: every request arrives at once. */
    public static final double SATURATE = Double.POSITIVE_INFINITY;

    /** Checks every option. */
    public SharedPrefixOptions {
        GeneratorOptions.count("requests", requests, GeneratorOptions.MAX_REQUESTS);
        GeneratorOptions.count("prefixes", prefixes, GeneratorOptions.MAX_REQUESTS);
        GeneratorOptions.range("zipf exponent", zipfExponent, 0, GeneratorOptions.MAX_ZIPF_EXPONENT);
        GeneratorOptions.range("reuse share", reuseShare, 0, 1);
        if (promptTokens == null || outputTokens == null) {
            throw new KvConfigException("prompt and output lengths must be set");
        }
        if (arrivalsPerSecond != SATURATE) {
            GeneratorOptions.rate(arrivalsPerSecond);
        }
        if (requests * promptTokens.meanTokens() > MAX_PROMPT_TOKENS_IN_ALL) {
            throw new KvConfigException(String.format(Locale.ROOT, "%,d requests of %,.0f prompt tokens on "
                    + "average exceed the %,d prompt tokens a run may hold", requests, promptTokens.meanTokens(),
                    MAX_PROMPT_TOKENS_IN_ALL));
        }
        GeneratorOptions.count("block tokens", tokensPerBlock, Lengths.MAX_TOKENS);
    }
}
