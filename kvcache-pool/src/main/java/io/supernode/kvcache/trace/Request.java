package io.supernode.kvcache.trace;

import io.supernode.kvcache.KvConfigException;

/**
 * One serving request: when it arrives, its prompt as block keys and tokens, and how many tokens it
 * generates.
 *
 * @param id            position in the trace, from 0
 * @param arrivalNanos  arrival time from the trace's start
 * @param inputTokens   prompt tokens
 * @param outputTokens  tokens to generate
 * @param blockKeys     the prompt's chained block keys, one per block (the last block may be partial)
 * @param tokens        the prompt's token ids
 */
public record Request(long id, long arrivalNanos, int inputTokens, int outputTokens, long[] blockKeys,
                      BlockTokens tokens) {

    /** Checks the shape. */
    public Request {
        if (inputTokens < 1 || outputTokens < 0 || arrivalNanos < 0) {
            throw new KvConfigException("request " + id + " needs inputTokens >= 1, outputTokens >= 0 and a "
                    + "non-negative arrival, got " + inputTokens + ", " + outputTokens + ", " + arrivalNanos);
        }
        if (blockKeys == null || blockKeys.length == 0 || tokens == null) {
            throw new KvConfigException("request " + id + " needs block keys and tokens");
        }
    }

    /** Blocks in the prompt. */
    public int blocks() {
        return blockKeys.length;
    }

    /** Tokens in block {@code block} with blocks of {@code tokensPerBlock}: fewer in a partial last block. */
    public int tokensInBlock(int block, int tokensPerBlock) {
        return Math.min(tokensPerBlock, inputTokens - block * tokensPerBlock);
    }
}
