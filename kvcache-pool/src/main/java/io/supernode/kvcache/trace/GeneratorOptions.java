package io.supernode.kvcache.trace;

import io.supernode.kvcache.KvConfigException;

/**
 * The synthetic workload: multi-turn chat sessions that open with one of a few shared system prompts
 * chosen by Zipf popularity, arriving as a Poisson process.
 *
 * @param seed               every random choice comes from this
 * @param requests           requests to generate
 * @param systemPrompts      distinct shared system prompts
 * @param systemPromptTokens tokens in each system prompt
 * @param zipfExponent       popularity skew over system prompts (0 = uniform)
 * @param meanTurns          mean turns per session (geometric)
 * @param meanUserTokens     mean tokens a user adds per turn (exponential, at least 1)
 * @param meanOutputTokens   mean tokens generated per turn (exponential, at least 1)
 * @param arrivalsPerSecond  Poisson arrival rate of requests
 * @param tenants            tenants sessions are spread over; each salts its keys, so none shares blocks with another
 * @param maxPromptTokens    a session ends before its prompt would grow beyond this
 * @param tokensPerBlock     block size the keys are chained over
 */
public record GeneratorOptions(long seed, int requests, int systemPrompts, int systemPromptTokens, double zipfExponent,
                               double meanTurns, double meanUserTokens, double meanOutputTokens,
                               double arrivalsPerSecond, int tenants, int maxPromptTokens, int tokensPerBlock) {

    /** Checks every option against its documented range (see the constants). */
    public GeneratorOptions {
        count("requests", requests, MAX_REQUESTS);
        count("system prompts", systemPrompts, MAX_REQUESTS);
        count("system prompt tokens", systemPromptTokens, MAX_PROMPT_TOKENS);
        count("tenants", tenants, MAX_REQUESTS);
        count("block tokens", tokensPerBlock, MAX_PROMPT_TOKENS);
        count("max prompt tokens", maxPromptTokens, MAX_PROMPT_TOKENS);
        range("zipf exponent", zipfExponent, 0, MAX_ZIPF_EXPONENT);
        range("mean turns", meanTurns, 1, MAX_MEAN_TURNS);
        range("mean user tokens", meanUserTokens, 1, MAX_PROMPT_TOKENS);
        range("mean output tokens", meanOutputTokens, 1, MAX_PROMPT_TOKENS);
        rate(arrivalsPerSecond);
        if (maxPromptTokens <= systemPromptTokens) {
            throw new KvConfigException("generator max prompt tokens (" + maxPromptTokens
                    + ") must exceed the system prompt (" + systemPromptTokens + ")");
        }
    }

    /** The longest prompt, and the largest per-turn token mean, the generator accepts: 1,048,576 tokens (A). */
    public static final int MAX_PROMPT_TOKENS = 1 << 20;
    /** The largest Zipf exponent (A: at 100 the first prompt already takes every draw). */
    public static final double MAX_ZIPF_EXPONENT = 100;
    /** The largest mean of turns per session (A: sessions end at the prompt limit long before). */
    public static final double MAX_MEAN_TURNS = 10_000;
    /** The highest arrival rate (A: a billion requests per second is far above any serving system). */
    public static final double MAX_ARRIVALS_PER_SECOND = 1e9;

    /** Checks a Poisson arrival rate: above 0, at most {@link #MAX_ARRIVALS_PER_SECOND}. */
    static void rate(double arrivalsPerSecond) {
        if (!(arrivalsPerSecond > 0) || !(arrivalsPerSecond <= MAX_ARRIVALS_PER_SECOND)) {
            throw new KvConfigException("generator arrival rate must be above 0 and at most "
                    + (long) MAX_ARRIVALS_PER_SECOND + " per second, got " + arrivalsPerSecond);
        }
    }

    static void count(String what, int value, int max) {
        if (value < 1 || value > max) {
            throw new KvConfigException("generator " + what + " must be 1.." + max + ", got " + value);
        }
    }

    static void range(String what, double value, double min, double max) {
        if (!(value >= min) || !(value <= max)) {
            throw new KvConfigException("generator " + what + " must be " + min + ".." + max + ", got " + value);
        }
    }

    /**
     * The most requests a run generates or reads: 1,000,000, 83 times the Mooncake conversation trace in
     * {@code traces/mooncake} (12,031 requests); a run this size still fits a default heap.
     */
    public static final int MAX_REQUESTS = 1_000_000;

    /** The defaults: 1,000 requests, 16 system prompts of 2,048 tokens at Zipf 1.0, 4 turns, 4 requests/s, blocks of 512. */
    public static GeneratorOptions defaults(long seed) {
        return new GeneratorOptions(seed, 1_000, 16, 2_048, 1.0, 4, 400, 300, 4, 1, 16_384, 512);
    }

    /** These options with {@code count} requests. */
    public GeneratorOptions withRequests(int count) {
        return new GeneratorOptions(seed, count, systemPrompts, systemPromptTokens, zipfExponent, meanTurns,
                meanUserTokens, meanOutputTokens, arrivalsPerSecond, tenants, maxPromptTokens, tokensPerBlock);
    }

    /** These options with blocks of {@code tokens}. */
    public GeneratorOptions withTokensPerBlock(int tokens) {
        return new GeneratorOptions(seed, requests, systemPrompts, systemPromptTokens, zipfExponent, meanTurns,
                meanUserTokens, meanOutputTokens, arrivalsPerSecond, tenants, maxPromptTokens, tokens);
    }

    /** These options with {@code count} tenants. */
    public GeneratorOptions withTenants(int count) {
        return new GeneratorOptions(seed, requests, systemPrompts, systemPromptTokens, zipfExponent, meanTurns,
                meanUserTokens, meanOutputTokens, arrivalsPerSecond, count, maxPromptTokens, tokensPerBlock);
    }
}
