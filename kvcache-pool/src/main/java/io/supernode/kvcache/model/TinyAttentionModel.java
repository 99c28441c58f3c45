package io.supernode.kvcache.model;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.index.BlockHash;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * A deterministic attention model small enough to run on every block of a trace, so that the bytes
 * in the KV cache are real and their reuse can be checked rather than assumed. Each layer and KV head
 * projects a token's input vector (an embedding of its id plus a term for its position) to K, V and
 * Q with seeded weight matrices of {@code headDim x headDim}.
 *
 * <p>Unlike a real transformer, a token's K and V depend only on its own id and position, not on the
 * tokens before it: deeper layers would make recomputation quadratic, and the prefix dependence is
 * already captured by the chained block keys. What the model must show is that the bytes a path
 * delivers are the bytes recomputation would produce, and that holds either way.
 */
public final class TinyAttentionModel {

    /** Token ids are taken modulo this many embeddings. */
    public static final int VOCABULARY = 4096;

    private final BlockLayout layout;
    private final int dim;
    private final float[] embedding;
    private final float[] keyWeights;
    private final float[] valueWeights;
    private final float[] queryWeights;
    private final float scale;

    /** A model for blocks of {@code layout} with weights drawn from {@code seed}. */
    public TinyAttentionModel(BlockLayout layout, long seed) {
        this.layout = layout;
        this.dim = layout.headDim();
        SplittableRandom random = new SplittableRandom(seed);
        this.embedding = draw(random, VOCABULARY * dim, 1f);
        int matrices = layout.layers() * layout.kvHeads() * dim * dim;
        float weightScale = (float) (1 / Math.sqrt(dim));
        this.keyWeights = draw(random, matrices, weightScale);
        this.valueWeights = draw(random, matrices, weightScale);
        this.queryWeights = draw(random, matrices, weightScale);
        this.scale = (float) (1 / Math.sqrt(dim));
    }

    /** The layout this model fills. */
    public BlockLayout layout() {
        return layout;
    }

    /**
     * Computes K and V for {@code count} tokens at positions {@code firstPosition...} into the front of
     * {@code block}; the rest of the block is left as it is.
     */
    public void fillBlock(int[] tokens, int count, int firstPosition, MemorySegment block) {
        // Token by token, the work is loops of a few iterations (a head's dim), whose overheads cost more than their
        // arithmetic. So it runs across the block's tokens instead: the inputs as one array per input element, then
        // each weight times that array into one array per output element, a loop over every token that the JIT
        // turns into vector instructions. Every output still sums its products in the order i = 0, 1, ..., starting
        // from zero, with a multiply and then an add (Java never fuses them), so its bits are those of the dot
        // product alone; the block is then laid out in its own order (token, layer, head, K then V) and stored once.
        int heads = layout.layers() * layout.kvHeads();
        float[] inputs = new float[dim * count];
        for (int t = 0; t < count; t++) {
            input(tokens[t], firstPosition + t, inputs, count, t);
        }
        int outputs = heads * 2 * dim;
        float[] byOutput = new float[outputs * count];
        for (int lh = 0; lh < heads; lh++) {
            for (int row = 0; row < dim; row++) {
                int key = (lh * 2 * dim + row) * count;
                int value = key + dim * count;
                for (int i = 0; i < dim; i++) {
                    float keyWeight = keyWeights[(lh * dim + row) * dim + i];
                    float valueWeight = valueWeights[(lh * dim + row) * dim + i];
                    int in = i * count;
                    for (int t = 0; t < count; t++) {
                        byOutput[key + t] += keyWeight * inputs[in + t];
                    }
                    for (int t = 0; t < count; t++) {
                        byOutput[value + t] += valueWeight * inputs[in + t];
                    }
                }
            }
        }
        float[] elements = new float[outputs * count];
        for (int o = 0; o < outputs; o++) {
            int from = o * count;
            for (int t = 0; t < count; t++) {
                elements[t * outputs + o] = byOutput[from + t];
            }
        }
        layout.dtype().putAll(block, elements, elements.length);
    }

    /** Starts the decode step of the token {@code token} at {@code position}: its query against a prefix fed block by block. */
    public Decode startDecode(int token, int position) {
        float[] input = new float[dim];
        input(token, position, input);
        float[] query = new float[layout.layers() * layout.kvHeads() * dim];
        for (int lh = 0; lh < layout.layers() * layout.kvHeads(); lh++) {
            for (int row = 0; row < dim; row++) {
                query[lh * dim + row] = dot(queryWeights, lh * dim * dim + row * dim, input) * scale;
            }
        }
        return new Decode(layout, query);
    }

    private void input(int token, int position, float[] into) {
        input(token, position, into, 1, 0);
    }

    /** Token {@code token}'s input vector at {@code position}, element {@code i} into {@code into[i * stride + at]}. */
    private void input(int token, int position, float[] into, int stride, int at) {
        int base = Math.floorMod(token, VOCABULARY) * dim;
        for (int i = 0; i < dim; i++) {
            long bits = BlockHash.mix(((long) position << 8) + i);
            float positionTerm = ((bits >>> 40) / (float) (1 << 24) - 0.5f) * 0.5f;
            into[i * stride + at] = embedding[base + i] + positionTerm;
        }
    }

    private float dot(float[] weights, int from, float[] input) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += weights[from + i] * input[i];
        }
        return sum;
    }

    private static float[] draw(SplittableRandom random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1) * scale;
        }
        return values;
    }
}
