package io.supernode.kvcache.model;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.index.BlockHash;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One decode step's attention over a prefix, fed one block at a time in prefix order with an online
 * softmax, so that a block can come from local memory, a remote view or a fetched copy without
 * holding the whole prefix. The arithmetic and its order depend only on the bytes fed, which is what
 * makes outputs from different paths comparable bit for bit.
 */
public final class Decode {

    private final BlockLayout layout;
    private final int dim;
    private final float[] query;
    private final float[] max;
    private final float[] sum;
    private final float[] accumulator;
    private long tokensSeen;
    /** The block being consumed, as floats: K then V for each token, layer and head, in the block's order. */
    private float[] values = new float[0];

    Decode(BlockLayout layout, float[] query) {
        this.layout = layout;
        this.dim = layout.headDim();
        this.query = query;
        int heads = layout.layers() * layout.kvHeads();
        this.max = new float[heads];
        this.sum = new float[heads];
        this.accumulator = new float[heads * dim];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
    }

    /** Attends over the first {@code tokens} tokens of {@code block}. */
    public void consume(MemorySegment block, int tokens) {
        int heads = layout.layers() * layout.kvHeads();
        // The block's K and V as floats first, in one pass over its bytes; the arithmetic below is the same
        // whatever the element type, and runs on an array rather than through the segment element by element.
        int elements = tokens * heads * 2 * dim;
        if (elements > values.length) {
            values = new float[elements];
        }
        layout.dtype().getAll(block, values, elements);
        int at = 0;
        for (int t = 0; t < tokens; t++) {
            for (int lh = 0; lh < heads; lh++) {
                int q = lh * dim;
                float score = 0f;
                for (int i = 0; i < dim; i++) {
                    score += query[q + i] * values[at + i];
                }
                float weight;
                if (score > max[lh]) {
                    float rescale = DeterministicMath.expNonPositive(max[lh] - score);
                    sum[lh] *= rescale;
                    for (int i = 0; i < dim; i++) {
                        accumulator[q + i] *= rescale;
                    }
                    max[lh] = score;
                    weight = 1f;
                } else {
                    weight = DeterministicMath.expNonPositive(score - max[lh]);
                }
                sum[lh] += weight;
                int v = at + dim;
                for (int i = 0; i < dim; i++) {
                    accumulator[q + i] += weight * values[v + i];
                }
                at += 2 * dim;
            }
        }
        tokensSeen += tokens;
    }

    /** Tokens attended so far. */
    public long tokensSeen() {
        return tokensSeen;
    }

    /** The attention output: for every layer and head, the softmax-weighted sum of V. */
    public float[] output() {
        float[] out = new float[accumulator.length];
        for (int lh = 0; lh < sum.length; lh++) {
            for (int i = 0; i < dim; i++) {
                out[lh * dim + i] = sum[lh] == 0f ? 0f : accumulator[lh * dim + i] / sum[lh];
            }
        }
        return out;
    }

    /** A 64-bit digest of the output's exact bits, for comparing paths. */
    public long digest() {
        long h = 0x243F_6A88_85A3_08D3L;
        for (float value : output()) {
            h = BlockHash.mix(h ^ Float.floatToRawIntBits(value));
        }
        return h;
    }
}
