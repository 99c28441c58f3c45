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

    /** Checks every option. */
    public GeneratorOptions {
        if (requests > MAX_REQUESTS) {
            throw new KvConfigException("generator makes at most " + MAX_REQUESTS + " requests, got " + requests);
        }
        if (requests < 1 || systemPrompts < 1 || systemPromptTokens < 1 || tenants < 1 || tokensPerBlock < 1) {
            throw new KvConfigException("generator needs requests, system prompts, prompt tokens, tenants and block "
                    + "tokens >= 1, got " + requests + ", " + systemPrompts + ", " + systemPromptTokens + ", " + tenants
                    + ", " + tokensPerBlock);
        }
        if (!(zipfExponent >= 0) || !(meanTurns >= 1) || !(meanUserTokens >= 1) || !(meanOutputTokens >= 1)
                || !(arrivalsPerSecond > 0)) {
            throw new KvConfigException("generator needs zipf >= 0, mean turns >= 1, mean tokens >= 1 and a positive "
                    + "arrival rate");
        }
        if (maxPromptTokens <= systemPromptTokens) {
            throw new KvConfigException("generator max prompt tokens (" + maxPromptTokens
                    + ") must exceed the system prompt (" + systemPromptTokens + ")");
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
