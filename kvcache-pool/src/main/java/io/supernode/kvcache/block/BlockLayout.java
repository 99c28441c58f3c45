package io.supernode.kvcache.block;

import io.supernode.kvcache.KvConfigException;

/**
 * The bytes of one KV block: {@code tokensPerBlock} tokens, each holding a K and a V vector of
 * {@code headDim} elements per layer and KV head. Token-major, so a block that is only partly
 * filled keeps its tokens contiguous at the front: {@code [token][layer][head][K | V]}.
 *
 * @param tokensPerBlock tokens per block: 512 matches the Mooncake traces; 16, 64 and 256 are common in vLLM and SGLang
 * @param layers         transformer layers
 * @param kvHeads        KV heads per layer
 * @param headDim        elements per head vector
 * @param dtype          storage type of each element
 */
public record BlockLayout(int tokensPerBlock, int layers, int kvHeads, int headDim, KvDtype dtype) {

    /** The Mooncake traces' block: 512 tokens. */
    public static final int MOONCAKE_TOKENS_PER_BLOCK = 512;

    /** Checks every dimension. */
    public BlockLayout {
        positive("tokensPerBlock", tokensPerBlock);
        positive("layers", layers);
        positive("kvHeads", kvHeads);
        positive("headDim", headDim);
        if (dtype == null) {
            throw new KvConfigException("block layout needs a dtype");
        }
        if ((long) tokensPerBlock * layers * kvHeads * headDim * 2 * dtype.sizeBytes() > Integer.MAX_VALUE) {
            throw new KvConfigException("a block of " + tokensPerBlock + " tokens x " + layers + " layers x " + kvHeads
                    + " heads x " + headDim + " dims does not fit 2 GiB");
        }
    }

    /**
     * The payload trace replays store: {@code tokensPerBlock} tokens of one layer, one head of four fp32
     * elements (32 B per token, 16 KiB per 512-token block). Payloads are sized down so that a whole
     * trace replays in seconds; the cost model still charges the served model's full KV size.
     */
    public static BlockLayout replay(int tokensPerBlock) {
        return new BlockLayout(tokensPerBlock, 1, 1, 4, KvDtype.FP32);
    }

    /** A small layout with several layers and heads, for tests and teaching: 2 layers x 2 heads x 8 dims. */
    public static BlockLayout teaching(int tokensPerBlock, KvDtype dtype) {
        return new BlockLayout(tokensPerBlock, 2, 2, 8, dtype);
    }

    /** Elements per token: K and V for every layer and head. */
    public int elementsPerToken() {
        return layers * kvHeads * headDim * 2;
    }

    /** Bytes per token. */
    public int bytesPerToken() {
        return elementsPerToken() * dtype.sizeBytes();
    }

    /** Bytes per block. */
    public int blockBytes() {
        return bytesPerToken() * tokensPerBlock;
    }

    /** Offset in a block of token {@code token}'s K vector for {@code layer} and {@code head}; V follows it. */
    public long keyOffset(int token, int layer, int head) {
        return ((long) (token * layers + layer) * kvHeads + head) * 2L * headDim * dtype.sizeBytes();
    }

    /** Blocks a prompt of {@code tokens} tokens occupies. */
    public int blocksFor(int tokens) {
        return (tokens + tokensPerBlock - 1) / tokensPerBlock;
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new KvConfigException("block layout " + what + " must be positive, got " + value);
        }
    }
}
