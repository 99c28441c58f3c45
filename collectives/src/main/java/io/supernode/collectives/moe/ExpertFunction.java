package io.supernode.collectives.moe;

import io.supernode.collectives.data.DataType;

/**
 * The computation an expert does on a token, small enough to run for every received token on the host yet different
 * per expert, so that a token delivered to the wrong expert or rank shows in the result: expert {@code e} multiplies
 * every block of {@link #BLOCK} channels by its own {@code BLOCK x BLOCK} matrix, whose entries are bfloat16 values in
 * [-0.5, 0.5) drawn from the seed and the expert. {@code y[b*4+i] = sum over j ascending of W[i][j] * x[b*4+j]}, in
 * float.
 */
public final class ExpertFunction {

    /** Channels per block. */
    public static final int BLOCK = 4;

    private final float[][] weights;

    /** The functions of {@code experts} experts drawn from {@code seed}. */
    public ExpertFunction(int experts, long seed) {
        weights = new float[experts][BLOCK * BLOCK];
        for (int e = 0; e < experts; e++) {
            for (int i = 0; i < BLOCK * BLOCK; i++) {
                long z = (seed + 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L + e * 0xBF58476D1CE4E5B9L + i;
                z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
                z ^= z >>> 29;
                weights[e][i] = DataType.BFLOAT16.round((z >>> 40) / (float) (1 << 24) - 0.5f);
            }
        }
    }

    /** Expert {@code e} applied to {@code x}, written into {@code y} (both of the hidden size, a multiple of 4). */
    public void apply(int e, float[] x, float[] y) {
        float[] w = weights[e];
        for (int b = 0; b < x.length; b += BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                float sum = 0f;
                for (int j = 0; j < BLOCK; j++) {
                    sum += w[i * BLOCK + j] * x[b + j];
                }
                y[b + i] = sum;
            }
        }
    }
}
